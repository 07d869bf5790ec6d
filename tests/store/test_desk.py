"""The desk's view of a payout point: places to open a session, people with their state, and progress."""

from __future__ import annotations

import datetime as dt

from app.store.desk import PersonState, SessionDefault, session_default
from app.store.store import Store
from tests.builders.store import COMMUNE, DUC, HUE, NAM, POINT, TAM, request, three_communes_list


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


def test_the_points_people_in_vietnamese_order_by_given_name(store, session_id):
    names = [row.full_name for row in store.desk.people(session_id)]
    # by given name: Đức, Huệ, Nam, Tâm (code points would give Lê, Nguyễn, Phạm, Đặng)
    assert names == ["Nguyễn Văn Đức", "Đặng Thị Huệ", "Phạm Văn Nam", "Lê Văn Tâm"]
    assert [row.full_name for row in store.desk.people(session_id, limit=2)] == names[:2]


def test_places_in_vietnamese_order(tmp_path):
    with Store.open(tmp_path / "data") as store:
        store.lists.import_parsed(three_communes_list())
        places = store.desk.places()
        assert [place.commune.name for place in places] == ["Xã Hà Phong", "Xã Hoàng Quế", "Phường Yên Thanh"]
        assert [point.name for point in places[0].points] == ["Nhà văn hóa thôn Đông Xá", "Nhà văn hóa thôn Tây Xá"]
        assert [point.name for point in places[2].points] == ["Nhà văn hóa khu 2", "Nhà văn hóa khu 10"]
        assert store.desk.villages("QNH-0001") == ("Thôn 2", "Thôn 10", "Thôn Đông Xá", "Thôn Tây Xá")


def test_the_session_default_is_todays_earliest_scheduled_point_else_the_next_day(tmp_path):
    with Store.open(tmp_path / "data") as store:
        store.lists.import_parsed(three_communes_list())
        places = store.desk.places()
    today = session_default(places, dt.date(2026, 12, 7))  # two points that day: the 07:30 one
    assert (today.commune_code, today.point_id, today.day) == ("QNH-0001", "P-TAY", dt.date(2026, 12, 7))
    assert today.is_today(dt.date(2026, 12, 7))
    later = session_default(places, dt.date(2026, 12, 8))  # nothing on the 8th: the next scheduled day
    assert (later.commune_code, later.point_id, later.day) == ("QNH-0001", "P-DONG", dt.date(2026, 12, 9))
    assert not later.is_today(dt.date(2026, 12, 8))
    after = session_default(places, dt.date(2026, 12, 20))  # nothing left: the first point, today, no slot
    assert (after.commune_code, after.point_id, after.day, after.slot) == ("QNH-0001", "P-DONG",
                                                                          dt.date(2026, 12, 20), None)
    assert session_default((), dt.date(2026, 12, 7)) == SessionDefault(None, None, dt.date(2026, 12, 7), None)
