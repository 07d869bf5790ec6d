"""The wire does not change by a byte: today's encodings are pinned against literals made by the previous code.

Devices in the field are updated one by one, so the server keeps reading what older devices send, and older devices
keep reading what the server sends. These literals were computed once from ``app/sync/protocol.py`` as it stood
before the wire contract moved to ``app/wire`` (commit 99876cb); a change that fails here is a wire change, and wire
changes are additive (a new field with a default, a new kind), never a different encoding of an old one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from app.domain import journal
from app.domain.findings import FindingKind
from app.domain.model import (
    Authorisation,
    Beneficiary,
    BeneficiaryStatus,
    Commune,
    EntitlementLine,
    EntryKind,
    EvidenceKind,
    Gender,
    IdentityCheck,
    LineKind,
    PaidLine,
    PaymentMethod,
    PayoutPoint,
    Province,
    Recipient,
    Representative,
    ScheduleSlot,
    Suspension,
    Village,
)
from app.lists.parsed import ParsedList
from app.store.sync import OutboxEntry
from app.sync.outbox import encode_entry
from app.wire import codec, constants, offline, sealing, signing
from app.wire.errors import ProtocolError

DEVICE_KEY = bytes(range(32))
RECOVERY_KEY = bytes(range(100, 132))
NOW = dt.datetime(2026, 12, 10, 1, 30, 15, 123456, tzinfo=dt.UTC)
ENTRY_ID = "5f0c7a1e-0000-4000-8000-000000000001"
STROKES = b"\x00\x01strokes\xff"

ENTRY = (
    '{"seq":2,"entry_id":"5f0c7a1e-0000-4000-8000-000000000001","kind":"payment","prev_hash":"0000000000000000000'
    '000000000000000000000000000000000000000000000","entry_hash":"cd2baaafedef8f0434b4ef902794dbc92e5c2e3ef19daec'
    'ba499845b5e1544a3","payload":"{\\"body\\":{\\"back_entry\\":null,\\"evidence\\":{\\"kind\\":\\"signature\\",'
    '\\"reason\\":\\"\\",\\"signature_digest\\":\\"ababababababababababababababababababababababababababababababab'
    'ab\\",\\"witness\\":\\"\\"},\\"identity_check\\":\\"qr_matched\\",\\"lines\\":[{\\"amount\\":2789000,\\"key'
    '\\":\\"QNH/LS-00001-TCM|2026-12|uu_dai|monthly\\",\\"period\\":\\"2026-12\\",\\"programme\\":\\"uu_dai\\",\\'
    '"regime\\":\\"monthly\\"}],\\"recipient\\":{\\"authorisation_number\\":\\"\\",\\"authorisation_valid_from\\"'
    ':null,\\"authorisation_valid_until\\":null,\\"id_number\\":\\"\\",\\"kind\\":\\"self\\",\\"name\\":\\"\\"},'
    '\\"record_code\\":\\"QNH/LS-00001-TCM\\",\\"session_id\\":\\"s-1\\",\\"total\\":2789000},\\"device_id\\":\\"'
    'dev-1\\",\\"entry_id\\":\\"5f0c7a1e-0000-4000-8000-000000000001\\",\\"kind\\":\\"payment\\",\\"recorded_at\\'
    '":\\"2026-12-10T01:30:15.123456Z\\",\\"seq\\":2,\\"staff\\":\\"giaodich\\",\\"v\\":1}","signature":"AAFzdHJv'
    'a2Vz/w=="}'
)
ENTRY_WITHOUT_SIGNATURE = (
    '{"seq":1,"entry_id":"e","kind":"session_opened","prev_hash":"00000000000000000000000000000000000000000000000'
    '00000000000000000","entry_hash":"1111111111111111111111111111111111111111111111111111111111111111","payload"'
    ':"{\\"a\\":1}","signature":null}'
)
FRAGMENT = (
    '{"province": {"code": "QNH", "name": "Quảng Ninh"}, "communes": [{"code": "QNH-0001", "name": "Xã Tiên Yên",'
    ' "province_code": "QNH", "district": null}, {"code": "QNH-0002", "name": "Phường Hà Lầm", "province_code": "'
    'QNH", "district": "Hạ Long"}], "villages": [{"commune_code": "QNH-0001", "name": "Khu 3"}], "points": [{"poi'
    'nt_id": "QNH-0001/nvh-khu-3", "commune_code": "QNH-0001", "name": "Nhà văn hóa khu 3", "address": "Khu 3, Ti'
    'ên Yên"}], "schedule": [{"point_id": "QNH-0001/nvh-khu-3", "day": "2026-12-10", "start": "07:30", "end": "11'
    ':00"}], "source": "ds-12.xlsx", "sha256": "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"'
    ', "payout_period": "2026-12", "whole_commune": true, "people": [{"record_code": "QNH/LS-00001-TCM", "full_na'
    'me": "Nguyễn Văn Đức", "commune_code": "QNH-0001", "category": "LS", "birth_year": 1950, "gender": "male", "'
    'id_number": "022050000001", "village": "Khu 3", "point_id": "QNH-0001/nvh-khu-3", "status": "active", "statu'
    's_reason": "", "date_of_death": null, "representative": null}, {"record_code": "QNH/AQ-00002-TCM", "full_nam'
    'e": "Trần Thị Huế", "commune_code": "QNH-0001", "category": "AQ", "birth_year": null, "gender": null, "id_nu'
    'mber": null, "village": null, "point_id": null, "status": "deceased", "status_reason": "Đã mất", "date_of_de'
    'ath": "2026-11-29", "representative": {"name": "Trần Văn Hòa", "id_number": "022070000002"}}], "authorisatio'
    'ns": [{"record_code": "QNH/LS-00001-TCM", "proxy_name": "Lê Thị Lan", "proxy_id_number": "022080000003", "nu'
    'mber": "UQ-01/2026", "valid_until": "2027-06-30", "valid_from": "2026-07-01"}, {"record_code": "QNH/LS-00001'
    '-TCM", "proxy_name": "Phạm Văn Nam", "proxy_id_number": "022080000004", "number": "UQ-02/2026", "valid_until'
    '": "2027-01-31", "valid_from": null}], "lines": [{"key": "QNH/LS-00001-TCM|2026-12|uu_dai|monthly", "record_'
    'code": "QNH/LS-00001-TCM", "period": "2026-12", "list_period": "2026-12", "programme": "uu_dai", "regime": "'
    'monthly", "kind": "recurring", "amount": 2789000, "method": "cash", "line_id": null, "note": ""}, {"key": "Q'
    'NH/AQ-00002-TCM|2026-11|uu_dai|funeral", "record_code": "QNH/AQ-00002-TCM", "period": "2026-11", "list_perio'
    'd": "2026-12", "programme": "uu_dai", "regime": "funeral", "kind": "death_related", "amount": 22310000, "met'
    'hod": "account", "line_id": "L-77", "note": "truy lĩnh"}]}'
)
SIGNING_MESSAGE = (
    b'POST\n/api/v1/journal?x=1\n2026-12-10T01:30:15.123456Z\n79a80232284a353ddec97a47d7fe88cffa486e97b8c8369018c'
    b'1f9008148c2da'
)
REQUEST_SIGNATURE = (
    '8994f052fe77d71d459bc89a60e721281cb2bb4f842beca23d89f2c5d1cc734725160baaeb049f4f0a12a53830db28dbee3025a4e985'
    'c9fe81d125de7a304c0f'
)
REQUEST_BODY_V2 = b'{"old_password":"a","new_password":"b"}'
NONCE = "00112233445566778899aabbccddeeff"
SIGNING_MESSAGE_V2 = (
    b'payout-desk request v2\nPOST\n/api/v1/staff/password?x=1\ndev-1\n2026-12-10T01:30:15.123456Z\n0011223344556677'
    b'8899aabbccddeeff\napplication/json\nBearer tok.en\n3580411101f2a5a42dccc532b1000fb36ced29daa47e7dbfeda5b5a6b7a'
    b'cc72a'
)
REQUEST_SIGNATURE_V2 = (
    '25ad99a1b0fc84a455a03a1d648dddd21373f8d2e6e3eb1613840091de9a132275994c7c55359c9c55197c0673335133ed046224d1a8'
    'db5269514e5f98d5fb0e'
)
"""Version 2 (with a nonce, covering Content-Type and Authorization), pinned when it was introduced."""
DEVICE_PUBLIC_KEY = '03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8'
RECOVERY_PUBLIC_KEY = '7d9c24316539825c1896e57f28197746793ce60cbee3ad47da9d07b85fa55e2a'
OFFLINE_FILE = (
    b'{\n "format": "payout-desk-journal",\n "version": 1,\n "device_id": "dev-1",\n "created_at": "2026-12-10T01'
    b':30:15.123456Z",\n "sealed": "TVuribBzPZ2Nzs8E8yHJC3Ybd2WmvbK92/rT56vfH2YAAQIDBAUGBwgJCgvOIe/69FSU2MGeqCOuV'
    b'Ilm135NhZ9mSedk7zRD4/Gi/m+AeoLtTR/KouKI5H0Ji7eLeLOzCeOKcHXt0hp8805e2AWFxFD63417Zfdqne/+JzbbNyeC/TTsJDgMD6Y6'
    b'5GG+xF5dUccQNnUQGs3EKQORlCquCH1ZD3v9qBqXStQhNqIGx2FtIKpwFkj5VDJH6mK4euWRLCoHDqlu7K4XONjpe1rjaxLLDje3j4+0hp+'
    b'4y2mMnnlPwbPQdhFlg7SIbqxh/hN22Y3LQrqBN3LBVhrgu32vm77tSE+EzHHTurKkfAZ3xOAZpQcz5Z3UkhdFfh/5DXv/yxt72PzgIZobWd'
    b'NIprosfb4ctGO90Mcjjoa4Yq+ouvCBmw0jLL2Z/e7s3mvEZNX3tOtgKmDdiIueQKoLVfEEjx1ukA7G72Kn2JNup36gyWbzA+hbfbcRwu2T0'
    b'OMj4TXuKeyuSbrWsPWymrxuCOLS",\n "signature": "372e5c40bf7c2ad338f53a3ce3dc1302426febe7f8d702bc22bf9f33ba35a'
    b'733bad4cb0a13eeffafd6c157d44a0bfc56022f10a38955806edc3d8da1d5f05604"\n}'
)
"""A journal file as the previous code wrote it, with a fixed ephemeral key and nonce (see ``fixed_randomness``)."""
SEALED_DATABASE_KEY = (
    'TVuribBzPZ2Nzs8E8yHJC3Ybd2WmvbK92/rT56vfH2YAAQIDBAUGBwgJCgsqP1cpqsZTUDVSZJHcXseSiS0bI1pG4/+qHUhsfX9l2EfA4cuM'
    'xM3FuDFbxt14pw=='
)
OFFLINE_ENTRY = {"seq": 1, "entry_id": "e-1", "kind": "session_opened", "prev_hash": "0" * 64, "entry_hash": "1" * 64,
                 "payload": '{"body":{"commune_code":"QNH-0001"},"v":1}', "signature": None}


def compact(value: object) -> str:
    """JSON as the client puts it in a request body."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def payment_payload() -> bytes:
    body = journal.payment_body(
        session_id="s-1", record_code="QNH/LS-00001-TCM",
        lines=[PaidLine("QNH/LS-00001-TCM|2026-12|uu_dai|monthly", "2026-12", "uu_dai", "monthly", 2_789_000)],
        recipient=Recipient(), identity_check=IdentityCheck.QR_MATCHED, evidence_kind=EvidenceKind.SIGNATURE,
        signature_digest="ab" * 32, evidence_reason="", witness="", back_entry=None)
    return journal.canonical_json(journal.entry_payload(
        entry_id=ENTRY_ID, device_id="dev-1", seq=2, kind=EntryKind.PAYMENT, recorded_at=NOW, staff="giaodich",
        body=body))


PARSED = ParsedList(
    source="ds-12.xlsx", sha256="c" * 64, payout_period="2026-12", province=Province("QNH", "Quảng Ninh"),
    communes=(Commune("QNH-0001", "Xã Tiên Yên", "QNH", None),
              Commune("QNH-0002", "Phường Hà Lầm", "QNH", "Hạ Long")),
    villages=(Village("QNH-0001", "Khu 3"),),
    points=(PayoutPoint("QNH-0001/nvh-khu-3", "QNH-0001", "Nhà văn hóa khu 3", "Khu 3, Tiên Yên"),),
    schedule=(ScheduleSlot("QNH-0001/nvh-khu-3", dt.date(2026, 12, 10), dt.time(7, 30), dt.time(11, 0)),),
    beneficiaries=(
        Beneficiary("QNH/LS-00001-TCM", "Nguyễn Văn Đức", "QNH-0001", "LS", 1950, Gender.MALE, "022050000001",
                    "Khu 3", "QNH-0001/nvh-khu-3", BeneficiaryStatus.ACTIVE, "", None, None),
        Beneficiary("QNH/AQ-00002-TCM", "Trần Thị Huế", "QNH-0001", "AQ", None, None, None, None, None,
                    BeneficiaryStatus.DECEASED, "Đã mất", dt.date(2026, 11, 29),
                    Representative("Trần Văn Hòa", "022070000002")),
    ),
    authorisations=(
        Authorisation("QNH/LS-00001-TCM", "Lê Thị Lan", "022080000003", "UQ-01/2026", dt.date(2027, 6, 30),
                      dt.date(2026, 7, 1)),
        Authorisation("QNH/LS-00001-TCM", "Phạm Văn Nam", "022080000004", "UQ-02/2026", dt.date(2027, 1, 31)),
    ),
    lines=(
        EntitlementLine("QNH/LS-00001-TCM|2026-12|uu_dai|monthly", "QNH/LS-00001-TCM", "2026-12", "2026-12",
                        "uu_dai", "monthly", LineKind.RECURRING, 2_789_000),
        EntitlementLine("QNH/AQ-00002-TCM|2026-11|uu_dai|funeral", "QNH/AQ-00002-TCM", "2026-11", "2026-12",
                        "uu_dai", "funeral", LineKind.DEATH_RELATED, 22_310_000, PaymentMethod.ACCOUNT, "L-77",
                        "truy lĩnh"),
    ),
)


@pytest.fixture
def fixed_randomness(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sealing with a known ephemeral key and nonce, so a sealed text can be compared byte for byte."""

    class FixedEphemeral:
        generate = staticmethod(lambda: X25519PrivateKey.from_private_bytes(bytes(range(200, 232))))
        from_private_bytes = staticmethod(X25519PrivateKey.from_private_bytes)

    real = os.urandom  # the os module sealing draws its nonce from
    monkeypatch.setattr(sealing, "X25519PrivateKey", FixedEphemeral)
    monkeypatch.setattr(os, "urandom", lambda n: bytes(range(12)) if n == 12 else real(n))


def test_an_upload_entry_is_sent_as_before() -> None:
    payload = payment_payload()
    entry_hash = journal.chain_hash(journal.GENESIS_HASH, payload)
    entry = codec.entry_to_wire(2, ENTRY_ID, "payment", journal.GENESIS_HASH, entry_hash, payload, STROKES)
    assert compact(entry) == ENTRY
    # The engine's path: the store's row, encoded by app.sync.outbox, is the same entry.
    row = OutboxEntry(2, ENTRY_ID, "payment", journal.GENESIS_HASH, entry_hash, payload, STROKES)
    assert compact(encode_entry(row)) == ENTRY
    assert codec.decode_signature(json.loads(ENTRY)["signature"]) == STROKES
    unsigned = OutboxEntry(1, "e", "session_opened", "0" * 64, "1" * 64, b'{"a":1}', None)
    assert compact(encode_entry(unsigned)) == ENTRY_WITHOUT_SIGNATURE
    assert codec.decode_signature(None) is None
    with pytest.raises(ProtocolError):
        codec.decode_signature("not base64!")


def test_a_list_fragment_is_sent_and_read_as_before() -> None:
    sent = codec.fragment_to_wire(PARSED, whole_commune=True)
    # Added since, beside the old fields: the list's agency and each record's (issue 12); "" before lists named one.
    assert sent.pop("agency") == ""
    assert all(person.pop("agency") == "" for person in sent["people"])
    assert json.dumps(sent, ensure_ascii=False) == FRAGMENT
    assert codec.fragment_from_wire(json.loads(FRAGMENT)) == (PARSED, True)
    # A fragment from an older server without the optional fields still reads.
    older = json.loads(FRAGMENT)
    for name in ("source", "sha256", "whole_commune"):
        del older[name]
    for line in older["lines"]:
        del line["method"], line["line_id"], line["note"]
    parsed, whole = codec.fragment_from_wire(older)
    assert (parsed.source, whole, parsed.lines[1].method, parsed.lines[1].note) == ("server", False,
                                                                                    PaymentMethod.CASH, "")


def test_a_request_is_signed_as_before() -> None:
    """Version 1, as devices not yet updated still sign their uploads (``signed_headers`` was this function)."""
    timestamp = journal.format_timestamp(NOW)
    assert signing.signing_message("post", "/api/v1/journal?x=1", timestamp, ENTRY.encode()) == SIGNING_MESSAGE
    headers = signing.signed_headers_v1("dev-1", DEVICE_KEY, "POST", "/api/v1/journal", ENTRY.encode(), NOW)
    assert headers == {"X-Payout-Device": "dev-1", "X-Payout-Time": "2026-12-10T01:30:15.123456Z",
                       "X-Payout-Signature": REQUEST_SIGNATURE}  # Ed25519 signatures are deterministic
    assert signing.device_public_key(DEVICE_KEY) == DEVICE_PUBLIC_KEY
    message = signing.signing_message("POST", "/api/v1/journal", timestamp, ENTRY.encode())
    assert signing.verify_signature(DEVICE_PUBLIC_KEY, message, REQUEST_SIGNATURE)
    assert not signing.verify_signature(DEVICE_PUBLIC_KEY, message + b" ", REQUEST_SIGNATURE)
    assert signing.signed_time(headers["X-Payout-Time"]) == NOW
    with pytest.raises(ProtocolError):
        signing.signed_time("2026-12-10 01:30")


def test_a_request_is_signed_with_a_nonce_over_its_headers_as_when_version_2_was_introduced() -> None:
    timestamp = journal.format_timestamp(NOW)
    sent = {"content-type": "application/json", "Authorization": "Bearer tok.en"}  # header names: any case
    path = "/api/v1/staff/password?x=1"
    assert signing.request_message("post", path, "dev-1", timestamp, NONCE, sent, REQUEST_BODY_V2) == \
        SIGNING_MESSAGE_V2
    headers = signing.signed_headers("dev-1", DEVICE_KEY, "POST", path, REQUEST_BODY_V2, NOW,
                                     {"Content-Type": "application/json", "Authorization": "Bearer tok.en"}, NONCE)
    assert headers == {"Content-Type": "application/json", "Authorization": "Bearer tok.en",
                       "X-Payout-Device": "dev-1", "X-Payout-Time": "2026-12-10T01:30:15.123456Z",
                       "X-Payout-Nonce": NONCE, "X-Payout-Signature": REQUEST_SIGNATURE_V2}
    assert signing.verify_signature(DEVICE_PUBLIC_KEY, SIGNING_MESSAGE_V2, REQUEST_SIGNATURE_V2)
    # A version-2 signature never passes for a version-1 message of the same call, nor the other way round.
    v1 = signing.signing_message("POST", path, timestamp, REQUEST_BODY_V2)
    assert not signing.verify_signature(DEVICE_PUBLIC_KEY, v1, REQUEST_SIGNATURE_V2)
    # Without a token or a body the covered headers are empty lines; a fresh nonce every time.
    bare = signing.request_message("GET", "/api/v1/feed", "dev-1", timestamp, NONCE, {}, b"")
    assert bare.split(b"\n")[6:8] == [b"", b""]
    fresh = {signing.signed_headers("dev-1", DEVICE_KEY, "GET", "/api/v1/feed", b"", NOW)["X-Payout-Nonce"]
             for _ in range(3)}
    assert len(fresh) == 3 and all(signing.valid_nonce(nonce) for nonce in fresh)
    assert not signing.valid_nonce(NONCE.upper()) and not signing.valid_nonce(NONCE + "0")


def test_an_offline_file_of_the_previous_version_opens() -> None:
    assert sealing.recovery_public_key(RECOVERY_KEY) == RECOVERY_PUBLIC_KEY
    opened = offline.unpack_offline_batch(OFFLINE_FILE, RECOVERY_KEY, lambda device: DEVICE_PUBLIC_KEY)
    assert opened == offline.OfflineBatch("dev-1", "2026-12-10T01:30:15.123456Z",
                                          {"device_id": "dev-1", "entries": [OFFLINE_ENTRY]})
    with pytest.raises(ProtocolError):
        offline.unpack_offline_batch(OFFLINE_FILE.replace(b'"dev-1"', b'"dev-2"', 1), RECOVERY_KEY,
                                     lambda device: DEVICE_PUBLIC_KEY)


def test_an_offline_file_is_written_byte_for_byte_as_before(fixed_randomness: None) -> None:
    batch = {"device_id": "dev-1", "entries": [OFFLINE_ENTRY]}
    assert offline.pack_offline_batch("dev-1", DEVICE_KEY, RECOVERY_PUBLIC_KEY, batch, NOW) == OFFLINE_FILE


def test_a_database_key_sealed_by_the_previous_version_opens(fixed_randomness: None) -> None:
    key = b"database key: 32 bytes, exactly"
    assert sealing.unseal(RECOVERY_KEY, SEALED_DATABASE_KEY, sealing.SEAL_DATABASE_KEY) == key
    assert sealing.seal(RECOVERY_PUBLIC_KEY, key, sealing.SEAL_DATABASE_KEY) == SEALED_DATABASE_KEY
    with pytest.raises(ProtocolError):  # the purpose is bound in: a sealed key is not a journal file
        sealing.unseal(RECOVERY_KEY, SEALED_DATABASE_KEY, sealing.SEAL_OFFLINE_BATCH)


def test_the_shared_vocabulary_is_unchanged() -> None:
    assert (constants.API, constants.PROTOCOL_VERSION, constants.MAX_BATCH_ENTRIES, constants.FEED_PAGE_LIMIT) == \
        ("/api/v1", 1, 500, 200)
    assert (constants.HEADER_DEVICE, constants.HEADER_TIME, constants.HEADER_SIGNATURE, constants.HEADER_NONCE) == \
        ("X-Payout-Device", "X-Payout-Time", "X-Payout-Signature", "X-Payout-Nonce")
    assert (constants.APPLIED, constants.ALREADY_APPLIED, constants.FLAGGED) == \
        ("applied", "already_applied", "flagged")
    assert constants.FLAG_KINDS == (
        "double_payment", "paid_after_death", "paid_while_suspended", "amount_mismatch", "unknown_line",
        "authorisation_expired", "proxy_overuse", "fork", "chain_break", "revoked_device", "clock_skew",
        "closure_mismatch", "other_commune", "bad_content", "amount_out_of_range")  # the last one added since
    assert constants.CHANGE_KINDS == ("list", "staff", "flag", "communes", "person_link", "policy_text",
                                      "policy_notice")  # the last three added since
    assert (sealing.SEAL_DATABASE_KEY, sealing.SEAL_OFFLINE_BATCH, offline.OFFLINE_FORMAT) == \
        ("payout-desk database key v1", "payout-desk offline journal v1", "payout-desk-journal")


def test_every_finding_of_the_rules_is_stored_as_a_flag_of_the_same_name() -> None:
    assert {kind.value for kind in FindingKind} <= set(constants.FLAG_KINDS)


def test_a_stored_suspension_history_is_read_and_written_as_before() -> None:
    """The server keeps each person's history in ``people.data["suspensions"]``: rows written before still read."""
    stored = [{"from": "2026-10-01", "to": "2026-10-20", "reason": "Vắng mặt"},
              {"from": "2026-12-07", "to": None, "reason": "Chờ xác minh"}]
    history = codec.history_from_wire({"suspensions": stored})
    assert history == (Suspension("Vắng mặt", dt.date(2026, 10, 1), dt.date(2026, 10, 20)),
                       Suspension("Chờ xác minh", dt.date(2026, 12, 7)))
    assert json.dumps([codec.suspension_to_wire(item) for item in history], ensure_ascii=False) == \
        json.dumps(stored, ensure_ascii=False)
    assert codec.history_from_wire({"status": "suspended"}) is None  # kept before histories: judged by the status
    assert codec.history_from_wire({"suspensions": []}) == ()


HELD_LINE = (
    '{"key": "QNH/LS-00001-TCM|2026-12|uu_dai|monthly", "record_code": "QNH/LS-00001-TCM", "period": "2026-12", '
    '"list_period": "2027-01", "programme": "uu_dai", "regime": "monthly", "kind": "recurring", "amount": 4500000, '
    '"method": "cash", "line_id": null, "note": "", "hold": {"subject": "amount", "list_period": "2027-01", '
    '"listed": "4.389.000 ₫", "standing": "4.500.000 ₫", "since": "2026-12-01", "by": "tinh"}}'
)
"""A line held because a list contradicted an amount amendment, pinned when ``hold`` was added (issue 11)."""


def test_a_held_line_adds_one_field_and_a_device_not_yet_updated_reads_the_standing_value() -> None:
    from app.domain.model import Hold, HoldSubject

    hold = Hold(HoldSubject.AMOUNT, "2027-01", "4.389.000 ₫", "4.500.000 ₫", dt.date(2026, 12, 1), "tinh")
    line = EntitlementLine("QNH/LS-00001-TCM|2026-12|uu_dai|monthly", "QNH/LS-00001-TCM", "2026-12", "2027-01",
                           "uu_dai", "monthly", LineKind.RECURRING, 4_500_000, hold=hold)
    assert json.dumps(codec.line_to_wire(line), ensure_ascii=False) == HELD_LINE
    assert codec.line_from_wire(json.loads(HELD_LINE)) == line
    # Additive: the same line unheld is encoded as before, byte for byte, without the field.
    unheld = json.loads(HELD_LINE)
    del unheld["hold"]
    assert codec.line_to_wire(dataclasses.replace(line, hold=None)) == unheld
    assert json.loads(FRAGMENT)["lines"][0].keys() == unheld.keys()
    # A device not yet updated reads the fields it knows (never ``hold``): the standing amount, not the list's.
    known = {name: value for name, value in json.loads(HELD_LINE).items() if name in unheld}
    assert codec.line_from_wire(known).amount == 4_500_000


FEED_ANSWER_BEFORE_ISSUE_13 = {"items": [], "next_cursor": 7, "more": False, "communes": ["QNH-0001"],
                               "server_time": "2026-12-10T01:30:15.123456Z"}


def test_the_feed_names_the_provinces_time_zone_in_one_added_field_older_devices_read_past() -> None:
    from server.api.schemas import FeedAnswer

    answer = {**FEED_ANSWER_BEFORE_ISSUE_13, **codec.time_zone_to_feed("Asia/Ho_Chi_Minh")}
    assert set(answer) - set(FEED_ANSWER_BEFORE_ISSUE_13) == {"time_zone"}
    assert FeedAnswer.model_validate(answer).time_zone == "Asia/Ho_Chi_Minh"
    assert codec.time_zone_from_feed(answer) == "Asia/Ho_Chi_Minh"
    # An older server's answer names no zone: the device keeps its own; a malformed value is not taken either.
    assert codec.time_zone_from_feed(FEED_ANSWER_BEFORE_ISSUE_13) is None
    for bad in (None, 7, "", "   ", "A" * 65, ["Asia/Bangkok"]):
        assert codec.time_zone_from_feed({**FEED_ANSWER_BEFORE_ISSUE_13, "time_zone": bad}) is None
    # The fields an older device reads are unchanged.
    assert {name: answer[name] for name in FEED_ANSWER_BEFORE_ISSUE_13} == FEED_ANSWER_BEFORE_ISSUE_13


def test_new_entry_kinds_are_journalled_only_once_the_server_lists_them_and_a_photo_travels_beside_its_entry() -> None:
    """Issue 13. A server refuses a whole upload holding a kind it does not know (422, nothing stored), so a device
    journals a public-notice posting or survey counts only once ``GET /health`` lists them in ``entry_kinds`` (a
    server before them has no such field: the device keeps them waiting). A posting's photo is an additive field
    ``attachment`` beside the entry, like a payment's signature; every other entry is sent byte for byte as before."""
    from server.api.routes.health import health
    from server.ingest.entries import BatchRefused, parse_entries

    assert constants.OPTIONAL_ENTRY_KINDS == ("public_posting", "survey_answers")
    assert {kind.value for kind in EntryKind} >= set(constants.OPTIONAL_ENTRY_KINDS)
    answer = health(lambda: dt.datetime(2026, 12, 5, 8, 30, tzinfo=dt.UTC))
    assert answer["entry_kinds"] == ["public_posting", "survey_answers"] and answer["protocol"] == 1

    def wire(kind: str, attachment: bytes | None = None) -> dict[str, object]:
        payload = journal.canonical_json({"v": 1, "entry_id": "e-1", "device_id": "d", "seq": 1, "kind": kind,
                                          "recorded_at": "2026-12-05T08:30:00.000000Z", "staff": "giaodich",
                                          "body": {"photo_digest": hashlib.sha256(b"jpeg").hexdigest()}})
        entry_hash = journal.chain_hash(journal.GENESIS_HASH, payload)
        return encode_entry(OutboxEntry(1, "e-1", kind, journal.GENESIS_HASH, entry_hash, payload, None, attachment))

    with pytest.raises(BatchRefused) as refused:
        parse_entries("d", [wire("a_kind_from_the_future")])
    assert (refused.value.status, refused.value.code) == (422, "bad_entry")
    posting = wire("public_posting", b"jpeg")
    assert posting["attachment"] == "anBlZw==" and "attachment" not in wire("public_posting")
    [parsed] = parse_entries("d", [posting])
    assert parsed.attachment == b"jpeg"
    with pytest.raises(BatchRefused):  # a photo unlike the digest its entry names is corruption
        parse_entries("d", [wire("public_posting", b"other")])
