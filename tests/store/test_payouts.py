"""Paying through the store: rules re-checked in the transaction, one visit pays every line, facts never edited."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import text

from app.domain.errors import BadInputError, PaymentRefused
from app.domain.model import (
    BackEntry,
    CashCount,
    Evidence,
    EvidenceKind,
    Recipient,
    RecipientKind,
    SessionStatus,
)
from app.store import database
from tests.builders.store import COMMUNE, DAY, DUC, HUE, NAM, POINT, TAM, lines, parsed_list, request


def test_a_person_with_several_programmes_is_paid_everything_in_one_visit(store, session_id):
    view = store.payouts.person(DUC, session_id)
    assert len(view.lines) == 4 and all(state.payable for state in view.lines)
    assert view.selected == {state.line.key for state in view.lines}
    assert {state.line.programme for state in view.lines} == {"uu_dai", "luong_huu"}

    payment = store.payouts.pay(request(session_id, DUC, view.selected))

    assert payment.total == 4_389_000 + 1_399_000 + 5_120_000 + 2_510_100
    assert payment.seq == 2  # 1 is the session opening
    after = store.payouts.person(DUC, session_id)
    assert after.selected == frozenset()
    assert {state.block.code for state in after.lines} == {"already_paid"}
    assert store.payouts.session(session_id).paid_total == payment.total


def test_a_deselected_line_stays_payable(store, session_id):
    view = store.payouts.person(DUC, session_id)
    monthly = next(state.line.key for state in view.lines if state.line.regime == "monthly")
    store.payouts.pay(request(session_id, DUC, [monthly]))
    remaining = store.payouts.person(DUC, session_id).selected
    assert len(remaining) == 3 and monthly not in remaining


def test_a_line_is_never_paid_twice(store, session_id):
    keys = store.payouts.person(DUC, session_id).selected
    store.payouts.pay(request(session_id, DUC, keys))
    with pytest.raises(PaymentRefused) as refused:
        store.payouts.pay(request(session_id, DUC, keys))
    assert refused.value.code == "already_paid"
    assert _count(store, "SELECT count(*) FROM payments") == 1


def test_a_double_click_from_two_threads_pays_once(store, session_id):
    keys = store.payouts.person(DUC, session_id).selected
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def confirm() -> None:
        barrier.wait()
        try:
            store.payouts.pay(request(session_id, DUC, keys))
            outcomes.append("paid")
        except PaymentRefused as error:
            outcomes.append(error.code)

    threads = [threading.Thread(target=confirm) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_paid"] * 3 + ["paid"]
    assert _count(store, "SELECT count(*) FROM line_settlements") == 4


def test_account_lines_are_shown_but_not_paid_in_cash(store, session_id):
    view = store.payouts.person(HUE, session_id)
    gift = next(state for state in view.lines if state.line.regime == "gift")
    assert gift.block.code == "paid_to_account"
    with pytest.raises(PaymentRefused) as refused:
        store.payouts.pay(request(session_id, HUE, [gift.line.key]))
    assert refused.value.code == "paid_to_account"


def test_suspended_person_gets_nothing_with_the_reason(store, session_id):
    view = store.payouts.person(NAM, session_id)
    assert view.selected == frozenset()
    block = view.lines[0].block
    assert block.code == "suspended"
    assert "Vắng mặt" in block.as_error().message("vi")
    with pytest.raises(PaymentRefused):
        store.payouts.pay(request(session_id, NAM, [view.lines[0].line.key]))


def test_deceased_person_monthly_after_death_blocked_death_lines_to_representative(store, session_id):
    view = store.payouts.person(TAM, session_id)
    by = {(state.line.regime, state.line.period): state for state in view.lines}
    assert by[("monthly", "2026-12")].block.code == "deceased_after_death"
    assert by[("monthly", "2026-11")].payable  # the month of death itself
    assert by[("funeral", "2026-12")].representative_only
    payable = view.selected
    assert by[("monthly", "2026-12")].line.key not in payable

    with pytest.raises(PaymentRefused) as refused:
        store.payouts.pay(request(session_id, TAM, payable))  # to "self"
    assert refused.value.code == "deceased_needs_representative"
    with pytest.raises(PaymentRefused) as refused:
        store.payouts.pay(request(session_id, TAM, payable, recipient=Recipient(
            RecipientKind.REPRESENTATIVE, "Lê Thị Hoa", "022175000999")))
    assert refused.value.code == "representative_mismatch"

    payment = store.payouts.pay(request(session_id, TAM, payable, recipient=Recipient(
        RecipientKind.REPRESENTATIVE, "Lê Thị Hoa", "022175000111")))
    assert payment.total == 4_389_000 + 18_720_000 + 13_167_000
    assert payment.recipient.kind is RecipientKind.REPRESENTATIVE
    with pytest.raises(PaymentRefused) as refused:
        store.payouts.pay(request(session_id, TAM, [by[("monthly", "2026-12")].line.key], recipient=Recipient(
            RecipientKind.REPRESENTATIVE, "Lê Thị Hoa", "022175000111")))
    assert refused.value.code == "deceased_after_death"


def test_a_death_notice_arriving_before_confirm_blocks_the_payment(store, session_id):
    keys = store.payouts.person(DUC, session_id).selected  # the screen showed payable lines
    with database.write(store.engine) as conn:  # meanwhile the new list records the death
        conn.execute(text("UPDATE beneficiaries SET status = 'deceased', date_of_death = '2026-11-20' "
                          "WHERE record_code = :rc"), {"rc": DUC})
    with pytest.raises(PaymentRefused) as refused:
        store.payouts.pay(request(session_id, DUC, keys))
    assert refused.value.code in {"deceased_after_death", "no_representative"}
    assert _count(store, "SELECT count(*) FROM journal WHERE kind = 'payment'") == 0


def test_proxy_with_expired_authorisation_is_refused_with_the_date(store, session_id, clock):
    keys = list(store.payouts.person(HUE, session_id).selected)
    expired = Recipient(RecipientKind.PROXY, "Đặng Văn Bình", "022170000333", "UQ-2026/0007", dt.date(2026, 12, 4))
    with pytest.raises(PaymentRefused) as refused:
        store.payouts.pay(request(session_id, HUE, keys, recipient=expired))
    assert refused.value.code == "authorisation_expired"
    assert "04/12/2026" in refused.value.message("vi")

    valid = Recipient(RecipientKind.PROXY, "Đặng Văn Bình", "022170000333", "UQ-2026/0007", dt.date(2027, 2, 28))
    payment = store.payouts.pay(request(session_id, HUE, keys, recipient=valid))
    assert payment.recipient.name == "Đặng Văn Bình"
    assert store.payouts.person(HUE, session_id).authorisations[0].number == "UQ-2026/0007"


def test_thumbprint_needs_reason_and_witness(store, session_id):
    keys = store.payouts.person(DUC, session_id).selected
    with pytest.raises(PaymentRefused) as refused:
        store.payouts.pay(request(session_id, DUC, keys, evidence=Evidence(EvidenceKind.THUMBPRINT, reason="Tay run")))
    assert refused.value.code == "evidence_needs_reason_witness"
    payment = store.payouts.pay(request(session_id, DUC, keys, evidence=Evidence(
        EvidenceKind.THUMBPRINT, reason="Tay run, không ký được", witness="Cán bộ xã Hoàng Văn Lợi")))
    assert payment.evidence_kind is EvidenceKind.THUMBPRINT and payment.signature_digest is None
    assert _count(store, "SELECT count(*) FROM signatures") == 0


def test_a_blank_signature_is_refused(store, session_id):
    from app.domain.signature import SignaturePoint, encode_strokes

    dot = encode_strokes(600, 200, [[SignaturePoint(10, 10, 0), SignaturePoint(12, 11, 5)]])
    keys = store.payouts.person(DUC, session_id).selected
    with pytest.raises(PaymentRefused) as refused:
        store.payouts.pay(request(session_id, DUC, keys, evidence=Evidence(EvidenceKind.SIGNATURE, strokes=dot)))
    assert refused.value.code == "signature_missing"


def test_signature_is_stored_with_its_digest_in_the_journal(store, session_id):
    keys = store.payouts.person(DUC, session_id).selected
    payment = store.payouts.pay(request(session_id, DUC, keys))
    with database.read(store.engine) as conn:
        digest, png = conn.execute(text("SELECT digest, png FROM signatures WHERE entry_id = :e"),
                                   {"e": payment.entry_id}).one()
    assert digest == payment.signature_digest
    assert bytes(png).startswith(b"\x89PNG")


def test_supervisor_reversal_makes_the_lines_payable_again(store, session_id):
    keys = store.payouts.person(DUC, session_id).selected
    payment = store.payouts.pay(request(session_id, DUC, keys))
    with pytest.raises(BadInputError) as refused:
        store.payouts.reverse(payment.entry_id, reason="Nhầm người", supervisor="giaodich")
    assert refused.value.code == "reversal_needs_supervisor"
    with pytest.raises(BadInputError):
        store.payouts.reverse(payment.entry_id, reason=" ", supervisor="giamsat")

    reversal = store.payouts.reverse(payment.entry_id, reason="Nhầm người", supervisor="giamsat")

    assert reversal.total == payment.total and set(reversal.line_keys) == set(keys)
    assert store.payouts.person(DUC, session_id).selected == keys
    assert store.payouts.session(session_id).paid_total == 0
    with pytest.raises(BadInputError) as again:
        store.payouts.reverse(payment.entry_id, reason="lần nữa", supervisor="giamsat")
    assert again.value.code == "payment_already_reversed"
    assert _count(store, "SELECT count(*) FROM journal") == 3  # opened, paid, reversed: nothing deleted


def test_back_entry_of_a_paper_payment_by_a_supervisor(store, session_id):
    keys = store.payouts.person(DUC, session_id).selected
    paper = Evidence(EvidenceKind.PAPER, reason="Máy hỏng, ký trên danh sách giấy", witness="Cán bộ xã")
    back = BackEntry(dt.date(2026, 12, 4), "DS giấy tờ 3 dòng 12")
    with pytest.raises(PaymentRefused) as refused:
        store.payouts.pay(request(session_id, DUC, keys, evidence=paper, back_entry=back))
    assert refused.value.code == "back_entry_needs_supervisor"
    payment = store.payouts.pay(request(session_id, DUC, keys, evidence=paper, back_entry=back, staff="giamsat"))
    assert payment.back_entry == back


def test_closing_the_day_with_a_difference_needs_a_reason_then_refuses_payments(store, session_id):
    keys = store.payouts.person(DUC, session_id).selected
    payment = store.payouts.pay(request(session_id, DUC, keys))
    expected = 50_000_000 - payment.total
    short = CashCount(((500_000, expected // 500_000),))
    assert short.total != expected
    with pytest.raises(BadInputError) as refused:
        store.payouts.close_session(session_id, counted=short, witness="Cán bộ xã", staff="giaodich")
    assert refused.value.code == "difference_needs_reason"
    with pytest.raises(BadInputError):
        store.payouts.close_session(session_id, counted=short, witness=" ", staff="giaodich", reason="x")

    closed = store.payouts.close_session(session_id, counted=short, witness="Cán bộ xã Hoàng Văn Lợi",
                                         staff="giaodich", reason="Thiếu tiền lẻ, đã báo giám sát")
    assert closed.status is SessionStatus.CLOSED
    assert closed.difference == short.total - expected
    assert closed.witness == "Cán bộ xã Hoàng Văn Lợi"
    with pytest.raises(PaymentRefused) as after:
        store.payouts.pay(request(session_id, HUE, store.payouts.person(HUE).selected))
    assert after.value.code == "session_closed"


def test_cash_advance_and_denominations_are_validated(store, session_id):
    with pytest.raises(BadInputError):
        store.payouts.open_session(commune_code=COMMUNE, point_id=POINT, day=DAY, cash_advance=-1, staff="x")
    with pytest.raises(BadInputError) as clash:
        store.payouts.open_session(commune_code=COMMUNE, point_id=POINT, day=DAY, cash_advance=1, staff="x")
    assert clash.value.code == "session_already_open"
    with pytest.raises(BadInputError) as bad:
        store.payouts.close_session(session_id, counted=CashCount(((300_000, 1),)), witness="w", staff="x")
    assert bad.value.code == "bad_denomination"


def test_a_carried_over_line_keeps_its_key_and_cannot_be_paid_twice(store, session_id):
    # December: Hue does not come. January's list carries her December line (original period) and adds January.
    december = next(s.line for s in store.payouts.person(HUE, session_id).lines if s.line.regime == "monthly")
    january = lines("2027-01")
    carried = next(item for item in lines() if item.record_code == HUE and item.regime == "monthly")
    carried = type(carried)(**{**{f: getattr(carried, f) for f in carried.__dataclass_fields__},
                               "list_period": "2027-01"})
    store.lists.import_parsed(parsed_list(period="2027-01", the_lines=[*january, carried]))
    jan_session = store.payouts.open_session(commune_code=COMMUNE, point_id=POINT, day=dt.date(2027, 1, 6),
                                             cash_advance=20_000_000, staff="giaodich").session_id
    view = store.payouts.person(HUE, jan_session)
    monthly = [s for s in view.lines if s.line.regime == "monthly"]
    assert [s.line.period for s in monthly] == ["2026-12", "2027-01"]
    assert monthly[0].line.key == december.key and all(s.payable for s in monthly)

    store.payouts.pay(request(jan_session, HUE, [s.line.key for s in monthly]))

    # The old December session cannot pay the carried line again, nor can a re-import resurrect it.
    with pytest.raises(PaymentRefused) as refused:
        store.payouts.pay(request(session_id, HUE, [december.key]))
    assert refused.value.code == "already_paid"
    store.lists.import_parsed(parsed_list(period="2027-01", the_lines=[*january, carried]))
    assert store.payouts.person(HUE, jan_session).selected == frozenset()


def test_a_person_of_another_commune_is_refused(store, session_id):
    with database.write(store.engine) as conn:
        conn.execute(text("INSERT INTO communes (code, name, province_code) VALUES ('QNH-0002', 'Xã Khác', 'QNH')"))
        conn.execute(text("UPDATE beneficiaries SET commune_code = 'QNH-0002' WHERE record_code = :rc"), {"rc": DUC})
    with pytest.raises(PaymentRefused) as refused:
        store.payouts.pay(request(session_id, DUC, store.payouts.person(DUC).selected))
    assert refused.value.code == "wrong_commune"


def _count(store, sql: str) -> int:
    with database.read(store.engine) as conn:
        return conn.execute(text(sql)).scalar_one()


def test_an_amount_changed_after_the_screen_showed_it_is_refused(store, session_id):
    view = store.payouts.person(DUC, session_id)
    shown = tuple((state.line.key, state.line.amount) for state in view.lines if state.line.key in view.selected)
    corrected = [item if not (item.record_code == DUC and item.regime == "monthly") else
                 type(item)(**{**{f: getattr(item, f) for f in item.__dataclass_fields__}, "amount": 9_999_000})
                 for item in lines()]
    store.lists.import_parsed(parsed_list(the_lines=corrected))  # a corrected list arrives before confirm
    with pytest.raises(PaymentRefused) as refused:
        store.payouts.pay(request(session_id, DUC, view.selected, expected_amounts=shown))
    assert refused.value.code == "amount_changed" and "9999000" in refused.value.message("en")
    assert _count(store, "SELECT count(*) FROM payments") == 0
    fresh = store.payouts.person(DUC, session_id)
    again = tuple((s.line.key, s.line.amount) for s in fresh.lines if s.line.key in fresh.selected)
    assert store.payouts.pay(request(session_id, DUC, fresh.selected, expected_amounts=again)).total == sum(
        amount for _key, amount in again)


def test_a_back_entry_dated_in_the_future_is_refused(store, session_id):
    paper = Evidence(EvidenceKind.PAPER, reason="Máy hỏng", witness="Cán bộ xã")
    tomorrow = BackEntry(DAY + dt.timedelta(days=1), "DS giấy 1")
    with pytest.raises(PaymentRefused) as refused:
        store.payouts.pay(request(session_id, DUC, store.payouts.person(DUC).selected, evidence=paper,
                                  back_entry=tomorrow, staff="giamsat"))
    assert refused.value.code == "back_entry_in_future" and "06/12/2026" in refused.value.message("vi")


def test_a_registered_letter_cannot_be_extended_by_a_typed_date(store, session_id):
    # Huệ's letter UQ-2026/0007 is registered until 28/02/2027; the session is on 05/12/2026.
    with database.write(store.engine) as conn:
        conn.execute(text("UPDATE authorisations SET valid_until = '2026-12-01' WHERE number = 'UQ-2026/0007'"))
    typed = Recipient(RecipientKind.PROXY, "Đặng Văn Bình", "022170000333", "UQ-2026/0007", dt.date(2027, 6, 30))
    with pytest.raises(PaymentRefused) as refused:
        store.payouts.pay(request(session_id, HUE, store.payouts.person(HUE).selected, recipient=typed))
    assert refused.value.code == "authorisation_expired" and "01/12/2026" in refused.value.message("vi")


def test_the_200_and_100_notes_close_a_day_exactly(store, session_id):
    store.payouts.pay(request(session_id, DUC, store.payouts.person(DUC).selected))  # lines end in 100 đồng
    expected = store.payouts.session(session_id).cash_expected
    assert expected % 1_000 == 900
    notes = ((500_000, expected // 500_000), (1_000, expected % 500_000 // 1_000), (500, 1), (200, 2))
    closed = store.payouts.close_session(session_id, counted=CashCount(notes), witness="Hoàng Văn Lợi",
                                         staff="giaodich")
    assert closed.difference == 0 and closed.difference_reason == ""
