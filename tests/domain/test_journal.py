"""Behaviour tests for app.domain.journal: canonical encoding, chain hash, verification and payload round trips."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.journal import (
    FORMAT_VERSION,
    GENESIS_HASH,
    CanonicalEncodingError,
    ChainRecord,
    canonical_json,
    chain_hash,
    entry_payload,
    format_timestamp,
    parse_timestamp,
    payment_body,
    payment_from_payload,
    reversal_body,
    reversal_from_payload,
    session_closed_body,
    session_opened_body,
    verify_chain,
)
from app.domain.model import (
    BackEntry,
    CashCount,
    EntryKind,
    EvidenceKind,
    IdentityCheck,
    PaidLine,
    Recipient,
    RecipientKind,
)

DEVICE = "dev-01"
T0 = dt.datetime(2026, 12, 10, 1, 30, 0, 123456, tzinfo=dt.UTC)
ICT = dt.timezone(dt.timedelta(hours=7))


# --- canonical JSON ------------------------------------------------------------------------------------------------


def test_canonical_json_ignores_key_order_and_has_no_spaces() -> None:
    a = canonical_json({"b": 1, "a": {"y": [1, 2], "x": None}, "c": True})
    b = canonical_json({"c": True, "a": {"x": None, "y": [1, 2]}, "b": 1})
    assert a == b == b'{"a":{"x":null,"y":[1,2]},"b":1,"c":true}'


def test_canonical_json_is_utf8_not_escaped() -> None:
    assert canonical_json({"name": "Đức"}) == '{"name":"Đức"}'.encode()


def test_canonical_json_tuples_encode_as_lists() -> None:
    assert canonical_json({"a": (1, 2)}) == canonical_json({"a": [1, 2]})


def test_canonical_json_normalises_strings_to_nfc() -> None:
    nfc = "Nguyễn Văn Đức"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    assert canonical_json({"name": nfd, nfd: [nfd]}) == canonical_json({"name": nfc, nfc: [nfc]})
    decoded = canonical_json({"name": nfd}).decode()
    assert unicodedata.normalize("NFC", decoded) == decoded


@pytest.mark.parametrize(
    "payload",
    [
        {"amount": 1.0},
        {"amount": float("nan")},
        {"nested": {"list": [1, 2.5]}},
        {"blob": b"\x00"},
        {"when": dt.date(2026, 1, 1)},
        {"set": {1, 2}},
        {1: "x"},
        {"nested": {(1, 2): "x"}},
    ],
    ids=["float", "nan", "nested-float", "bytes", "date", "set", "int-key", "tuple-key"],
)
def test_canonical_json_refuses_values_without_a_canonical_form(payload: dict[Any, Any]) -> None:
    with pytest.raises(CanonicalEncodingError):
        canonical_json(payload)


def test_canonical_encoding_error_is_a_value_error() -> None:
    assert issubclass(CanonicalEncodingError, ValueError)


def test_canonical_json_keeps_bool_and_int_apart() -> None:
    assert canonical_json({"a": True}) != canonical_json({"a": 1})


# --- chain hash ----------------------------------------------------------------------------------------------------


def test_chain_hash_is_sha256_of_prev_newline_payload() -> None:
    import hashlib

    payload = canonical_json({"a": 1})
    assert chain_hash(GENESIS_HASH, payload) == hashlib.sha256(GENESIS_HASH.encode() + b"\n" + payload).hexdigest()
    assert len(GENESIS_HASH) == 64 and set(GENESIS_HASH) == {"0"}


def test_chain_hash_changes_when_any_field_changes() -> None:
    base_payload = opened_payload(1, "e-1")
    base = chain_hash(GENESIS_HASH, canonical_json(base_payload))
    seen = {base}
    for key in base_payload:
        changed = dict(base_payload)
        changed[key] = "x" if base_payload[key] != "x" else "y"
        digest = chain_hash(GENESIS_HASH, canonical_json(changed))
        assert digest not in seen, key
        seen.add(digest)
    for key in base_payload["body"]:
        changed = dict(base_payload, body=dict(base_payload["body"], **{key: "other"}))
        digest = chain_hash(GENESIS_HASH, canonical_json(changed))
        assert digest not in seen, key
        seen.add(digest)
    assert chain_hash("1" * 64, canonical_json(base_payload)) not in seen


# --- timestamps ----------------------------------------------------------------------------------------------------


def test_format_timestamp_is_utc_with_microseconds_and_z() -> None:
    local = dt.datetime(2026, 12, 10, 8, 30, 0, 123456, tzinfo=ICT)
    assert format_timestamp(local) == "2026-12-10T01:30:00.123456Z"
    assert format_timestamp(dt.datetime(2026, 1, 1, tzinfo=dt.UTC)) == "2026-01-01T00:00:00.000000Z"


def test_format_timestamp_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError):
        format_timestamp(dt.datetime(2026, 12, 10, 8, 30))


def test_timestamp_round_trip_is_the_same_instant_in_utc() -> None:
    local = dt.datetime(2027, 1, 1, 6, 59, 59, 999999, tzinfo=ICT)
    back = parse_timestamp(format_timestamp(local))
    assert back == local
    assert back.tzinfo == dt.UTC
    assert back == dt.datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC)


@settings(max_examples=50, deadline=None, derandomize=True)
@given(st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)))
def test_timestamp_round_trip_property(moment: dt.datetime) -> None:
    assert parse_timestamp(format_timestamp(moment)) == moment


def test_parse_timestamp_refuses_other_shapes() -> None:
    for text in ("2026-12-10T01:30:00Z", "2026-12-10 01:30:00.000000", "2026-12-10T01:30:00.000000+07:00"):
        with pytest.raises(ValueError):
            parse_timestamp(text)


# --- building chains -----------------------------------------------------------------------------------------------


def recipient_proxy() -> Recipient:
    return Recipient(
        kind=RecipientKind.PROXY,
        name="Trần Văn Bình",
        id_number="079201000123",
        authorisation_number="12/UQ-UBND",
        authorisation_valid_until=dt.date(2027, 1, 31),
        authorisation_valid_from=dt.date(2026, 12, 1),
    )


def pay_body(amounts: list[int] | None = None, **changes: Any) -> dict[str, Any]:
    amounts = amounts if amounts is not None else [2_789_000, 500_000]
    args: dict[str, Any] = {
        "session_id": "S-1",
        "record_code": "QNH-LS-0001",
        "lines": [
            PaidLine(f"QNH-LS-0001|2026-12|uu_dai|r{i}", "2026-12", "uu_dai", f"r{i}", amount)
            for i, amount in enumerate(amounts)
        ],
        "recipient": recipient_proxy(),
        "identity_check": IdentityCheck.QR_MATCHED,
        "evidence_kind": EvidenceKind.SIGNATURE,
        "signature_digest": "ab" * 32,
        "evidence_reason": "",
        "witness": "",
        "back_entry": None,
    }
    args.update(changes)
    return payment_body(**args)


def opened_payload(seq: int, entry_id: str) -> dict[str, Any]:
    return entry_payload(
        entry_id=entry_id,
        device_id=DEVICE,
        seq=seq,
        kind=EntryKind.SESSION_OPENED,
        recorded_at=T0,
        staff="teller1",
        body=session_opened_body(
            session_id="S-1",
            commune_code="22015",
            point_id="P-1",
            day=dt.date(2026, 12, 10),
            period="2026-12",
            cash_advance=50_000_000,
        ),
    )


def make_records(entries: list[tuple[EntryKind, dict[str, Any], str]],
                 start_hash: str = GENESIS_HASH) -> list[ChainRecord]:
    """entries: (kind, body, staff) → chained records with seq from 1."""
    records = []
    prev = start_hash
    for index, (kind, body, staff) in enumerate(entries, start=1):
        payload = entry_payload(
            entry_id=f"entry-{index:04d}",
            device_id=DEVICE,
            seq=index,
            kind=kind,
            recorded_at=T0 + dt.timedelta(minutes=index),
            staff=staff,
            body=body,
        )
        data = canonical_json(payload)
        digest = chain_hash(prev, data)
        records.append(ChainRecord(index, f"entry-{index:04d}", kind.value, prev, digest, data))
        prev = digest
    return records


def rechain(records: list[ChainRecord], start_hash: str = GENESIS_HASH) -> list[ChainRecord]:
    """Recompute prev/entry hashes as a forger would, keeping the payloads."""
    out = []
    prev = start_hash
    for record in records:
        digest = chain_hash(prev, record.payload)
        out.append(replace(record, prev_hash=prev, entry_hash=digest))
        prev = digest
    return out


def day_chain() -> list[ChainRecord]:
    opened = session_opened_body(
        session_id="S-1", commune_code="22015", point_id="P-1", day=dt.date(2026, 12, 10), period="2026-12",
        cash_advance=50_000_000,
    )
    first = pay_body()
    second = pay_body(
        [1_000_000],
        record_code="QNH-AQ-0002",
        recipient=Recipient(),
        identity_check=IdentityCheck.CARD_INSPECTED,
        evidence_kind=EvidenceKind.THUMBPRINT,
        signature_digest=None,
        evidence_reason="Tay run",
        witness="Lê Văn An",
        back_entry=BackEntry(dt.date(2026, 12, 9), "Tờ 3"),
    )
    reversal = reversal_body(
        payment_entry_id="entry-0003", reason="Nhầm người", line_keys=["QNH-LS-0001|2026-12|uu_dai|r0"], total=1_000_000
    )
    closed = session_closed_body(
        session_id="S-1",
        counted=CashCount(((500_000, 80), (200_000, 40), (10_000, 21))),
        cash_advance=50_000_000,
        paid_total=3_289_000,
        difference=-79_000,
        reason="Thiếu tiền lẻ",
        witness="Lê Văn An",
        payments=1,
    )
    return make_records(
        [
            (EntryKind.SESSION_OPENED, opened, "teller1"),
            (EntryKind.PAYMENT, first, "teller1"),
            (EntryKind.PAYMENT, second, "teller1"),
            (EntryKind.REVERSAL, reversal, "sup1"),
            (EntryKind.SESSION_CLOSED, closed, "teller1"),
        ]
    )


def assert_first_bad(records: list[ChainRecord], seq: int) -> None:
    report = verify_chain(records)
    assert not report.ok
    assert report.first_bad_seq == seq
    assert report.first_bad_entry == f"entry-{seq:04d}"
    assert report.count == seq - 1
    assert report.reason


# --- verification --------------------------------------------------------------------------------------------------


def test_a_well_built_chain_verifies() -> None:
    records = day_chain()
    report = verify_chain(records)
    assert report.ok
    assert report.count == 5
    assert report.head_hash == records[-1].entry_hash
    assert report.first_bad_seq is None and report.first_bad_entry is None


def test_an_empty_chain_verifies_to_genesis() -> None:
    report = verify_chain([])
    assert report.ok and report.count == 0 and report.head_hash == GENESIS_HASH


def test_a_chain_verifies_from_a_checkpoint() -> None:
    records = day_chain()
    report = verify_chain(records[2:], start_seq=3, start_hash=records[1].entry_hash)
    assert report.ok and report.count == 3 and report.head_hash == records[-1].entry_hash
    assert not verify_chain(records[2:]).ok


def test_session_closed_body_records_count_and_expected() -> None:
    closed = json.loads(day_chain()[4].payload)["body"]
    assert closed["counted_total"] == 80 * 500_000 + 40 * 200_000 + 21 * 10_000
    assert closed["expected"] == 50_000_000 - 3_289_000
    assert closed["notes"] == [[500_000, 80], [200_000, 40], [10_000, 21]]


@pytest.mark.parametrize("index", range(5))
def test_changing_one_payload_byte_names_that_entry(index: int) -> None:
    records = day_chain()
    data = bytearray(records[index].payload)
    position = data.index(b'"staff":"') + len(b'"staff":"')
    data[position] ^= 0x01  # still valid canonical JSON, different staff name
    records[index] = replace(records[index], payload=bytes(data))
    assert_first_bad(records, index + 1)


def test_a_byte_that_breaks_the_json_names_that_entry() -> None:
    records = day_chain()
    records[2] = replace(records[2], payload=records[2].payload[:-1])
    assert_first_bad(records, 3)


def test_a_byte_that_breaks_utf8_names_that_entry() -> None:
    records = day_chain()
    records[1] = replace(records[1], payload=records[1].payload.replace("Bình".encode(), b"B\xffnh"))
    assert_first_bad(records, 2)


def test_tampering_later_entries_is_not_reported_before_the_first_bad_one() -> None:
    records = day_chain()
    for index in (1, 3):
        payload = records[index].payload.replace(b"teller1", b"teller2").replace(b"sup1", b"sup2")
        records[index] = replace(records[index], payload=payload)
    assert_first_bad(records, 2)


def test_reordering_entries_names_the_first_out_of_place() -> None:
    records = day_chain()
    records[1], records[2] = records[2], records[1]
    report = verify_chain(records)
    assert not report.ok
    # seq 3 is found where seq 2 was expected: it is named, and only entry 1 counted as good
    assert report.first_bad_seq == 3 and report.first_bad_entry == "entry-0003"
    assert report.count == 1


def test_a_gap_in_seq_names_the_entry_after_the_gap() -> None:
    records = day_chain()
    del records[2]
    report = verify_chain(records)
    assert not report.ok
    assert report.first_bad_seq == 4 and report.first_bad_entry == "entry-0004"
    assert report.count == 2
    assert "3" in report.reason


def test_a_wrong_prev_hash_names_that_entry() -> None:
    records = day_chain()
    records[3] = replace(records[3], prev_hash="f" * 64)
    assert_first_bad(records, 4)


def test_a_wrong_entry_hash_names_that_entry() -> None:
    records = day_chain()
    records[2] = replace(records[2], entry_hash="0" * 64)
    assert_first_bad(records, 3)


def test_a_forger_who_recomputes_every_hash_is_caught_by_the_start_hash() -> None:
    records = day_chain()
    forged = rechain([replace(records[0], payload=records[0].payload.replace(b"50000000", b"40000000"))] + records[1:],
                     "e" * 64)
    report = verify_chain(forged)
    assert not report.ok and report.first_bad_seq == 1


def test_a_non_canonical_payload_names_that_entry_even_with_matching_hashes() -> None:
    records = day_chain()
    spaced = json.dumps(json.loads(records[2].payload), indent=1, ensure_ascii=False).encode()
    records = rechain(records[:2] + [replace(records[2], payload=spaced)] + records[3:])
    assert_first_bad(records, 3)
    assert "canonical" in verify_chain(records).reason


def test_an_nfd_payload_is_not_canonical() -> None:
    records = day_chain()
    text = records[1].payload.decode()
    records = rechain(
        records[:1] + [replace(records[1], payload=unicodedata.normalize("NFD", text).encode())] + records[2:])
    assert_first_bad(records, 2)


def test_a_payload_with_a_float_names_that_entry() -> None:
    records = day_chain()
    payload = records[1].payload.replace(b'"total":3289000', b'"total":3289000.0')
    records = rechain(records[:1] + [replace(records[1], payload=payload)] + records[2:])
    assert_first_bad(records, 2)


def test_a_kind_mismatch_names_that_entry() -> None:
    records = day_chain()
    records[3] = replace(records[3], kind=EntryKind.PAYMENT.value)
    assert_first_bad(records, 4)
    assert "kind" in verify_chain(records).reason


def test_an_entry_id_mismatch_names_that_entry() -> None:
    records = day_chain()
    records[1] = replace(records[1], entry_id="entry-9999")
    report = verify_chain(records)
    assert not report.ok and report.first_bad_seq == 2 and report.first_bad_entry == "entry-9999"


def test_an_unknown_format_version_names_that_entry() -> None:
    records = day_chain()
    payload = records[4].payload.replace(b'"v":1', b'"v":2')
    records = rechain(records[:4] + [replace(records[4], payload=payload)])
    assert_first_bad(records, 5)


def test_a_payload_that_is_not_an_object_names_that_entry() -> None:
    records = day_chain()
    records = rechain(records[:2] + [replace(records[2], payload=b"[]")] + records[3:])
    assert_first_bad(records, 3)


def test_booleans_do_not_pass_for_the_sequence_or_the_version() -> None:
    records = day_chain()
    payload = records[0].payload.replace(b'"seq":1', b'"seq":true')
    assert_first_bad(rechain([replace(records[0], payload=payload)] + records[1:]), 1)
    payload = records[0].payload.replace(b'"v":1', b'"v":true')
    assert_first_bad(rechain([replace(records[0], payload=payload)] + records[1:]), 1)


# --- payloads back to domain values --------------------------------------------------------------------------------


def test_payment_round_trips_through_its_canonical_payload() -> None:
    lines = (
        PaidLine("QNH-LS-0001|2026-11|uu_dai|monthly", "2026-11", "uu_dai", "monthly", 2_789_000),
        PaidLine("id:L-7", "2026-12", "luong_huu", "pension", 4_100_000),
    )
    recipient = recipient_proxy()
    back = BackEntry(dt.date(2026, 12, 9), "Tờ 3/12")
    recorded = dt.datetime(2026, 12, 10, 8, 30, 0, 5, tzinfo=ICT)
    payload = entry_payload(
        entry_id="entry-0007",
        device_id=DEVICE,
        seq=7,
        kind=EntryKind.PAYMENT,
        recorded_at=recorded,
        staff="sup1",
        body=payment_body(
            session_id="S-1",
            record_code="QNH-LS-0001",
            lines=lines,
            recipient=recipient,
            identity_check=IdentityCheck.VOUCHED,
            evidence_kind=EvidenceKind.PAPER,
            signature_digest=None,
            evidence_reason="Mất điện",
            witness="Lê Văn An",
            back_entry=back,
        ),
    )
    assert payload["v"] == FORMAT_VERSION
    stored = json.loads(canonical_json(payload))
    payment = payment_from_payload(stored, entry_hash="h" * 64)
    assert payment.entry_id == "entry-0007"
    assert payment.seq == 7
    assert payment.device_id == DEVICE
    assert payment.recorded_at == recorded
    assert payment.session_id == "S-1"
    assert payment.record_code == "QNH-LS-0001"
    assert payment.lines == lines
    assert payment.total == 2_789_000 + 4_100_000
    assert payment.recipient == recipient
    assert payment.identity_check is IdentityCheck.VOUCHED
    assert payment.evidence_kind is EvidenceKind.PAPER
    assert payment.signature_digest is None
    assert payment.evidence_reason == "Mất điện"
    assert payment.witness == "Lê Văn An"
    assert payment.staff == "sup1"
    assert payment.back_entry == back
    assert payment.entry_hash == "h" * 64


def test_payment_round_trip_of_a_plain_signed_self_payment() -> None:
    payload = json.loads(day_chain()[1].payload)
    payment = payment_from_payload(payload)
    assert payment.recipient == recipient_proxy()
    assert payment.signature_digest == "ab" * 32
    assert payment.back_entry is None
    assert payment.total == sum(line.amount for line in payment.lines) == 3_289_000
    plain = payment_from_payload(json.loads(canonical_json(dict(payload, body=pay_body(recipient=Recipient())))))
    assert plain.recipient == Recipient()
    assert plain.recipient.kind is RecipientKind.SELF


def test_reversal_round_trips_through_its_payload() -> None:
    payload = json.loads(day_chain()[3].payload)
    reversal = reversal_from_payload(payload)
    assert reversal.entry_id == "entry-0004"
    assert reversal.seq == 4
    assert reversal.payment_entry_id == "entry-0003"
    assert reversal.reason == "Nhầm người"
    assert reversal.supervisor == "sup1"
    assert reversal.line_keys == ("QNH-LS-0001|2026-12|uu_dai|r0",)
    assert reversal.total == 1_000_000
    assert reversal.recorded_at == T0 + dt.timedelta(minutes=4)


# --- property: flipping one amount is found at that entry ----------------------------------------------------------

_names = st.text(alphabet="abcdeđĐếỨữ -", min_size=0, max_size=8)
_amounts = st.lists(st.integers(min_value=1, max_value=10**9), min_size=1, max_size=4)


@settings(max_examples=50, deadline=None, derandomize=True)
@given(
    entries=st.lists(st.tuples(_amounts, _names, _names), min_size=1, max_size=12),
    data=st.data(),
)
def test_flipping_one_amount_is_found_at_that_entry(entries: list[tuple[list[int], str, str]],
                                                    data: st.DataObject) -> None:
    records = make_records(
        [
            (EntryKind.PAYMENT, pay_body(amounts, witness=witness, evidence_reason=name), "teller1")
            for amounts, name, witness in entries
        ]
    )
    assert verify_chain(records).ok
    target = data.draw(st.integers(min_value=0, max_value=len(records) - 1), label="target")
    line_index = data.draw(st.integers(min_value=0, max_value=len(entries[target][0]) - 1), label="line")
    delta = data.draw(st.integers(min_value=1, max_value=1000), label="delta")
    payload = json.loads(records[target].payload)
    payload["body"]["lines"][line_index]["amount"] += delta
    records[target] = replace(records[target], payload=canonical_json(payload))
    report = verify_chain(records)
    assert not report.ok
    assert report.first_bad_seq == target + 1
    assert report.first_bad_entry == records[target].entry_id
    assert report.count == target
