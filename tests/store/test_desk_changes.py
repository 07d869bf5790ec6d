"""Every mutation at the desk returns one ``DeskChange``, and a closed point-day opens again only with a supervisor.

The change carries what the views need (the fact, the person read again after COMMIT, their row, the session) and a
progress delta that, added to the figures on screen, equals counting everyone again."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from sqlalchemy import text

from app.domain import journal as canon
from app.domain.errors import BadInputError
from app.domain.model import (
    BackEntry,
    CashCount,
    Evidence,
    EvidenceKind,
    Payment,
    Recipient,
    RecipientKind,
    Reversal,
    SessionStatus,
)
from app.store import database
from app.store.changes import ChangeKind
from app.store.desk import PersonState
from app.store.payouts import load_reopening
from tests.builders.store import COMMUNE, DAY, DUC, HUE, POINT, TAM, request

COUNT = CashCount(((500_000, 100),))  # 50.000.000 ₫, the advance: a day with nothing paid balances


def recounted(store, session_id, shown):
    """The figures a fresh count gives, beside the ones a delta gave, for comparison."""
    fresh = store.desk.progress(session_id)
    fields = ("people_paid", "people_remaining", "payments", "pending_sync")
    return tuple(getattr(shown, f) for f in fields), tuple(getattr(fresh, f) for f in fields)


def test_a_payment_returns_the_fact_the_person_their_row_and_a_delta_equal_to_a_recount(store, session_id):
    shown = store.desk.progress(session_id)
    change = store.desk.pay(request(session_id, DUC, store.payouts.person(DUC).selected))
    assert change.kind is ChangeKind.PAYMENT and isinstance(change.fact, Payment)
    assert change.person.beneficiary.record_code == DUC and change.person.selected == frozenset()
    assert change.person.payments[-1] == change.fact
    [row] = change.rows
    assert row == store.desk.rows_of(session_id, DUC)[0] and row.state is PersonState.PAID
    assert change.session.paid_total == change.fact.total and change.progress is None and not change.relist
    after = change.progress_after(shown)
    assert after.cash_on_hand == 50_000_000 - change.fact.total
    delta_figures, fresh_figures = recounted(store, session_id, after)
    assert delta_figures == fresh_figures == (1, 2, 1, 2)


def test_a_partial_payment_keeps_the_person_unpaid_and_the_counts_right(store, session_id):
    shown = store.desk.progress(session_id)
    first = sorted(store.payouts.person(DUC).selected)[:1]
    change = store.desk.pay(request(session_id, DUC, first))
    assert change.rows[0].state is PersonState.UNPAID
    delta_figures, fresh_figures = recounted(store, session_id, change.progress_after(shown))
    assert delta_figures == fresh_figures == (0, 3, 1, 2)


def test_a_reversal_returns_the_payment_it_reversed_and_puts_the_counts_back(store, session_id):
    shown = store.desk.progress(session_id)
    paid = store.desk.pay(request(session_id, DUC, store.payouts.person(DUC).selected))
    shown = paid.progress_after(shown)
    change = store.desk.reverse(paid.fact.entry_id, reason="Chi nhầm người", supervisor="giamsat",
                                session_id=session_id, approved_by="Trần Văn Giám Sát")
    assert change.kind is ChangeKind.REVERSAL and isinstance(change.fact, Reversal)
    assert change.reversed_payment == paid.fact and change.approved_by == "Trần Văn Giám Sát"
    assert change.rows[0].state is PersonState.UNPAID and change.session.paid_total == 0
    delta_figures, fresh_figures = recounted(store, session_id, change.progress_after(shown))
    assert delta_figures == fresh_figures == (0, 3, 0, 3)
    with pytest.raises(BadInputError) as unknown:
        store.desk.reverse("no-such-entry", reason="x", supervisor="giamsat", session_id=session_id)
    assert unknown.value.code == "payment_not_found"


def test_a_back_entry_is_its_own_kind_of_change(store, session_id):
    paper = Evidence(EvidenceKind.PAPER, reason="Máy hết pin", witness="Hoàng Văn Lợi")
    change = store.desk.pay(request(session_id, HUE, store.payouts.person(HUE).selected, staff="giamsat",
                                    evidence=paper, back_entry=BackEntry(DAY, "DS giấy tờ 3")),
                            approved_by="Trần Văn Giám Sát")
    assert change.kind is ChangeKind.BACK_ENTRY and change.fact.back_entry == BackEntry(DAY, "DS giấy tờ 3")
    assert change.delta.payments == 1 and change.delta.people_paid == 1


def test_a_person_of_another_point_paid_here_does_not_move_this_points_counts(store, session_id):
    with database.write(store.engine) as conn:  # Huệ belongs to another point of the commune, found by search
        conn.execute(text("INSERT INTO payout_points (point_id, commune_code, name, address) "
                          "VALUES ('other', :c, 'Nhà văn hóa thôn Tây', '')"), {"c": COMMUNE})
        conn.execute(text("UPDATE beneficiaries SET point_id = 'other' WHERE record_code = :r"), {"r": HUE})
    shown = store.desk.progress(session_id)
    change = store.desk.pay(request(session_id, HUE, store.payouts.person(HUE).selected))
    assert (change.delta.people_paid, change.delta.people_remaining, change.delta.payments) == (0, 0, 1)
    delta_figures, fresh_figures = recounted(store, session_id, change.progress_after(shown))
    assert delta_figures == fresh_figures


def test_a_delta_for_another_session_or_nothing_shown_asks_for_a_recount(store, session_id):
    change = store.desk.pay(request(session_id, DUC, store.payouts.person(DUC).selected))
    assert change.progress_after(None) is None
    other = dataclasses.replace(store.desk.progress(session_id),
                                session=dataclasses.replace(change.session, session_id="another"))
    assert change.progress_after(other) is None


def test_opening_and_closing_a_session_are_changes_too(store):
    opened = store.desk.open_session(commune_code=COMMUNE, point_id=POINT, day=DAY, cash_advance=50_000_000,
                                     staff="giaodich")
    assert opened.kind is ChangeKind.SESSION_OPENED and opened.progress.people_total == 4
    assert opened.progress.earlier == () and opened.progress.reopening is None
    assert opened.progress_after(None) is opened.progress
    closed = store.desk.close_session(opened.session.session_id, counted=COUNT, witness="Hoàng Văn Lợi",
                                      staff="giaodich")
    assert closed.kind is ChangeKind.SESSION_CLOSED and closed.session.status is SessionStatus.CLOSED
    assert closed.progress_after(opened.progress).session.status is SessionStatus.CLOSED


def test_after_a_sync_the_feed_recounts_rereads_and_relists(store, session_id):
    quiet = store.desk.synced(session_id, DUC, downloaded=False)
    assert quiet.kind is ChangeKind.FEED and not quiet.relist and quiet.person is None
    assert quiet.delta.pending_sync == 1
    fed = store.desk.synced(session_id, DUC, downloaded=True)
    assert fed.relist and fed.progress.people_total == 4 and fed.person.beneficiary.record_code == DUC
    assert fed.rows == tuple(store.desk.rows_of(session_id, DUC))
    assert store.desk.synced(session_id, "QNH/NO-SUCH", downloaded=True).person is None


# --- a closed point-day ------------------------------------------------------------------------------------------


def close_day(store, session_id):
    paid = store.payouts.pay(request(session_id, DUC, store.payouts.person(DUC).selected))
    count = CashCount(((500_000, (50_000_000 - paid.total) // 500_000),))
    reason = "" if count.total == 50_000_000 - paid.total else "Tiền lẻ"
    store.payouts.close_session(session_id, counted=count, witness="Hoàng Văn Lợi", staff="giaodich", reason=reason)
    return paid


def test_a_closed_point_day_is_not_reopened_without_a_supervisor_and_a_reason(store, session_id):
    close_day(store, session_id)
    again = {"commune_code": COMMUNE, "point_id": POINT, "day": DAY, "cash_advance": 10_000_000, "staff": "giaodich"}
    with pytest.raises(BadInputError) as plain:
        store.payouts.open_session(**again)
    assert plain.value.code == "session_day_closed" and "05/12/2026" in plain.value.message("vi")
    with pytest.raises(BadInputError) as teller:
        store.payouts.open_session(**again, supervisor="giaodich", reopen_reason="Người hưởng đến muộn")
    assert teller.value.code == "reopen_needs_supervisor"
    with pytest.raises(BadInputError) as reasonless:
        store.payouts.open_session(**again, supervisor="giamsat", reopen_reason="  ")
    assert reasonless.value.code == "reopen_needs_reason"
    assert [s.session_id for s in store.desk.open_sessions()] == []
    # another day, or another point, opens as before
    store.payouts.open_session(**{**again, "day": DAY + dt.timedelta(days=1)})


def test_a_reopened_day_records_who_approved_why_and_the_closed_session_and_shows_its_totals(store, session_id):
    paid = close_day(store, session_id)
    change = store.desk.open_session(commune_code=COMMUNE, point_id=POINT, day=DAY, cash_advance=10_000_000,
                                     staff="giaodich", supervisor="giamsat", reopen_reason="Người hưởng đến muộn",
                                     approved_by="Trần Văn Giám Sát")
    reopened = change.session
    assert reopened.session_id != session_id and reopened.cash_advance == 10_000_000
    progress = change.progress
    assert progress.reopening.supervisor == "giamsat" and progress.reopening.reason == "Người hưởng đến muộn"
    [earlier] = progress.earlier
    assert earlier.session_id == session_id and earlier.paid_total == paid.total and earlier.counted is not None
    assert progress.people_paid == 1  # Đức was paid in the closed session of the same month
    # the journal entry carries it in additive fields; the chain verifies
    with database.read(store.engine) as conn:
        payload = json.loads(bytes(conn.execute(
            text("SELECT j.payload FROM payout_sessions s JOIN journal j ON j.entry_id = s.opened_entry "
                 "WHERE s.session_id = :s"), {"s": reopened.session_id}).scalar_one()))
        assert load_reopening(conn, session_id) is None
    assert payload["body"]["reopens"] == [session_id] and payload["body"]["reopen_supervisor"] == "giamsat"
    assert payload["body"]["reopen_reason"] == "Người hưởng đến muộn" and payload["staff"] == "giaodich"
    assert canon.reopening_from_payload(payload).earlier == (session_id,)
    assert store.maintenance.verify().ok
    # closing it and reopening once more names both earlier sessions, oldest first
    store.payouts.close_session(reopened.session_id, counted=CashCount(((500_000, 20),)), witness="Lợi",
                                staff="giaodich")
    third = store.payouts.open_session(commune_code=COMMUNE, point_id=POINT, day=DAY, cash_advance=0,
                                       staff="giaodich", supervisor="giamsat", reopen_reason="Lần nữa")
    assert [s.session_id for s in store.desk.progress(third.session_id).earlier] == [session_id,
                                                                                       reopened.session_id]


def test_a_first_opening_keeps_the_bytes_it_always_had():
    body = canon.session_opened_body(session_id="s", commune_code="c", point_id="p", day=DAY, period="2026-12",
                                     cash_advance=1)
    assert set(body) == {"session_id", "commune_code", "point_id", "day", "period", "cash_advance"}
    assert canon.reopening_from_payload({"body": body}) is None


def test_the_minutes_of_a_reopened_day_show_both_sessions(store, session_id):
    paid = close_day(store, session_id)
    reopened = store.payouts.open_session(commune_code=COMMUNE, point_id=POINT, day=DAY, cash_advance=30_000_000,
                                          staff="giaodich", supervisor="giamsat", reopen_reason="Đến muộn")
    store.payouts.pay(request(reopened.session_id, TAM, store.payouts.person(TAM).selected,
                              recipient=Recipient(RecipientKind.REPRESENTATIVE, "Lê Thị Hoa", "022175000111")))
    minutes = store.reports.minutes(reopened.session_id)
    [earlier] = minutes.earlier
    assert earlier.session.session_id == session_id and earlier.payments == 1 and earlier.people == 1
    assert earlier.session.paid_total == paid.total and earlier.closed_at is not None
    assert minutes.reopened_by == "Trần Văn Giám Sát" and minutes.reopen_reason == "Đến muộn"
    assert minutes.reopened_at is not None
    first = store.reports.minutes(session_id)
    assert first.earlier == () and first.reopened_by == ""
    from app.documents.fingerprint import minutes_content

    assert "earlier" in minutes_content(minutes) and "earlier" not in minutes_content(first)

    import io

    from pypdf import PdfReader

    from app.documents.minutes import render_minutes
    from app.domain.money import format_number

    pdf = render_minutes(minutes)
    printed = " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages)
    printed = " ".join(printed.split())
    assert "Ngày chi trả được mở lại sau khi đã kết thúc" in printed
    assert "giám sát viên Trần Văn Giám Sát duyệt; lý do: Đến muộn" in printed
    assert "Phiên 1 (đóng lúc" in printed and "Phiên này (chưa đóng)" in printed and "Cả ngày" in printed
    assert format_number(50_000_000 + 30_000_000) in printed  # the day's two advances together
    assert "được mở lại" not in " ".join(
        (page.extract_text() or "") for page in PdfReader(io.BytesIO(render_minutes(first))).pages)
