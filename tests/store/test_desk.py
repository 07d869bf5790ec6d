"""The desk's view of a payout point: places to open a session, people with their state, and progress."""

from __future__ import annotations

from app.store.desk import PersonState
from tests.builders.store import COMMUNE, DUC, HUE, NAM, POINT, TAM, request


def test_places_list_communes_points_and_schedule(store):
    places = store.desk.places()
    assert [place.commune.code for place in places] == [COMMUNE]
    assert [point.point_id for point in places[0].points] == [POINT]


def test_people_at_the_point_with_their_state(store, session_id):
    people = {row.record_code: row for row in store.desk.people(session_id)}
    assert people[DUC].state is PersonState.UNPAID and people[DUC].due == 4_389_000 + 1_399_000 + 5_120_000 + 2_510_100
    assert people[NAM].state is PersonState.BLOCKED and people[NAM].due == 0
    assert people[TAM].state is PersonState.UNPAID  # the representative can collect

    store.payouts.pay(request(session_id, DUC, store.payouts.person(DUC).selected))

    assert store.desk.people(session_id, "duc")[0].state is PersonState.PAID
    assert [row.record_code for row in store.desk.people(session_id, state=PersonState.PAID)] == [DUC]
    assert {row.record_code for row in store.desk.people(session_id, state=PersonState.UNPAID)} == {HUE, TAM}
    assert [row.record_code for row in store.desk.people(session_id, state=PersonState.BLOCKED)] == [NAM]
    assert {row.village for row in store.desk.people(session_id, village="Thôn Tây")} == {"Thôn Tây"}


def test_progress_counts_people_cash_and_pending_sync(store, session_id):
    before = store.desk.progress(session_id)
    assert (before.people_total, before.people_paid, before.people_remaining) == (4, 0, 3)
    payment = store.payouts.pay(request(session_id, DUC, store.payouts.person(DUC).selected))
    after = store.desk.progress(session_id)
    assert (after.people_paid, after.people_remaining, after.payments) == (1, 2, 1)
    assert after.cash_on_hand == 50_000_000 - payment.total
    assert after.pending_sync == 2  # session opened + payment, not yet accepted by the province
    assert [s.session_id for s in store.desk.open_sessions()] == [session_id]


def test_one_persons_row_after_a_payment(store, session_id):
    assert store.desk.rows_of(session_id, DUC)[0].state is PersonState.UNPAID
    store.payouts.pay(request(session_id, DUC, store.payouts.person(DUC).selected))
    [row] = store.desk.rows_of(session_id, DUC)
    assert (row.state, row.due, row.full_name) == (PersonState.PAID, 0, "Nguyễn Văn Đức")
    assert store.desk.rows_of(session_id, "QNH/NO-SUCH") == []
