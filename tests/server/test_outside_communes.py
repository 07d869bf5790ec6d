"""Payments the province cannot simply count, over real HTTP on SQLite and PostgreSQL: a payment outside its device's
communes is stored, applied and flagged for both communes' officers; a payment with an impossible amount is stored,
flagged and not applied. Neither refuses the batch (the device's queue goes on), and neither is ever a 500.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from server import accounts, db, progress, schema
from tests.builders.console import OfficerSession
from tests.builders.province import (
    DUC_MONTHLY,
    DUC_SUPPLEMENT,
    HUE_MONTHLY,
    OTHER_COMMUNE,
    OTHER_PERSON,
    Device,
    Province,
    key,
)
from tests.builders.signed import Journal, signed_call
from tests.builders.store import COMMUNE, DUC, HUE

OTHER_MONTHLY = key(OTHER_PERSON, "monthly")  # 3.000.000 ₫ on Xã Khác's list


@pytest.fixture
def province(database_url: str, tmp_path: Path) -> Iterator[Province]:
    running = Province(database_url, tmp_path)
    running.add_other_commune()
    running.add_officer("xa1", communes=[COMMUNE])
    running.add_officer("xa2", communes=[OTHER_COMMUNE])
    yield running
    running.close()


def upload(province: Province, device: Device, entries: list[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    """Send ``entries`` as ``device`` (signed now); the (status, flags) of each."""
    answer = signed_call(province.url, "POST", "/journal", {"entries": entries}, device_id=device.store.device_id,
                         key=device.signing_key, at=province.clock()).send()
    assert answer.status_code == 200, answer.text
    return [(result["status"], result["flags"]) for result in answer.json()["results"]]


def flags_of(province: Province, kind: str) -> list[dict[str, Any]]:
    """Flags of ``kind`` with the other communes that see them."""
    with province.engine.connect() as conn:
        also: dict[int, list[str]] = {}
        for flag_id, commune in conn.execute(select(schema.flag_communes)):
            also.setdefault(flag_id, []).append(commune)
    return [dict(flag, also=sorted(also.get(flag["flag_id"], []))) for flag in province.flags() if flag["kind"] == kind]


def cash_by_commune(province: Province) -> dict[str, tuple[int, int, int]]:
    """(payments, cash paid, lines paid) per commune in December."""
    with province.engine.connect() as conn:
        return {row.key: (row.counts.payments, row.counts.cash_paid, row.counts.paid_lines)
                for row in progress.communes(conn, "2026-12")}


def test_a_person_of_another_commune_paid_in_the_devices_own_day_is_applied_and_both_communes_see_the_flag(
        province: Province) -> None:
    first = province.device("a", sync=False)  # serves QNH-0001
    second = province.device("b", sync=False, communes=[OTHER_COMMUNE])
    by_first = Journal(first.store.device_id, province.clock())
    assert upload(province, first, [by_first.open_day("s-a", COMMUNE),
                                    by_first.pay("s-a", OTHER_PERSON, [(OTHER_MONTHLY, 3_000_000)])]) == [
        ("applied", []), ("flagged", ["other_commune"])]
    [flag] = flags_of(province, "other_commune")
    assert (flag["commune_code"], flag["also"]) == (COMMUNE, [OTHER_COMMUNE])
    assert flag["detail"]["reasons"] == ["person_of_another_commune"]

    # The line is held as paid: the person's own commune paying it again is a double payment, counted where paid.
    by_second = Journal(second.store.device_id, province.clock())
    assert upload(province, second, [by_second.open_day("s-b", OTHER_COMMUNE),
                                     by_second.pay("s-b", OTHER_PERSON, [(OTHER_MONTHLY, 3_000_000)])]) == [
        ("applied", []), ("flagged", ["double_payment"])]
    assert cash_by_commune(province)[COMMUNE][:2] == (1, 3_000_000)
    assert cash_by_commune(province)[OTHER_COMMUNE] == (1, 3_000_000, 1)  # its list's line: paid (once)

    # Both communes' officers see the flag, until one of them resolves it; both communes' devices learned it.
    first_officer, second_officer = OfficerSession(province.url), OfficerSession(province.url)
    first_officer.sign_in("xa1", "pw-xa1")
    second_officer.sign_in("xa2", "pw-xa2")
    for officer in (first_officer, second_officer):
        assert f'/console/flags/{flag["flag_id"]}"' in officer.get("/console/flags?kind=other_commune").text
        page = officer.get(f"/console/flags/{flag['flag_id']}")
        assert page.status_code == 200 and 'id="also-communes">Xã Khác<' in page.text  # by name
    resolved = second_officer.post(f"/console/flags/{flag['flag_id']}/resolve",
                                   {"outcome": "legitimate", "reason": "Xã Khác đã nhờ xã bạn chi hộ"})
    assert resolved.status_code == 303
    assert f'/console/flags/{flag["flag_id"]}"' not in first_officer.get("/console/flags").text
    assert f'/console/flags/{flag["flag_id"]}"' in first_officer.get("/console/flags?state=resolved").text
    feed = signed_call(province.url, "GET", "/feed?after=0&limit=1000", None, device_id=second.store.device_id,
                       key=second.signing_key, at=province.clock()).send().json()
    told = [item["payload"] for item in feed["items"] if item["kind"] == "flag"
            and item["payload"]["flag_id"] == flag["flag_id"]]
    assert told and told[-1]["resolution"].startswith("legitimate")


def test_a_day_is_judged_by_the_communes_its_device_served_when_it_opened(province: Province) -> None:
    device = province.device("reassigned", sync=False)  # serves QNH-0001
    written = Journal(device.store.device_id, province.clock())
    unsent = [written.open_day("s-1", COMMUNE), written.pay("s-1", DUC, [(DUC_MONTHLY, 4_389_000)])]
    province.clock.now += dt.timedelta(hours=2)
    with db.transaction(province.engine) as conn:  # the laptop moves to Xã Khác before it could sync
        accounts.assign_communes(conn, device.store.device_id, [OTHER_COMMUNE], province.clock())
    assert upload(province, device, unsent) == [("applied", []), ("applied", [])]
    # A day it opens afterwards in its old commune is outside: flagged, stored, applied, seen by both communes.
    written.at = province.clock()
    after = upload(province, device, [written.open_day("s-2", COMMUNE),
                                      written.pay("s-2", DUC, [(DUC_SUPPLEMENT, 1_399_000)])])
    assert after == [("flagged", ["other_commune"]), ("flagged", ["other_commune"])]
    flags = flags_of(province, "other_commune")
    assert {(f["commune_code"], tuple(f["also"]), tuple(f["detail"]["reasons"])) for f in flags} == {
        (COMMUNE, (OTHER_COMMUNE,), ("day_outside_device_communes",))}
    assert cash_by_commune(province)[COMMUNE] == (2, 4_389_000 + 1_399_000, 2)


def test_unknown_days_and_people_are_flagged_and_impossible_amounts_stored_not_applied_without_a_500(
        province: Province) -> None:
    device = province.device("laptop", sync=False)
    written = Journal(device.store.device_id, province.clock())
    stranger = "QNH/XX-99999-TCM"
    entries = [
        written.open_day("s-1", COMMUNE),
        written.pay("no-such-day", stranger, [(key(stranger, "monthly"), 1_000_000)]),
        written.pay("s-1", DUC, [(DUC_MONTHLY, -4_389_000)]),
        written.pay("s-1", HUE, [(HUE_MONTHLY, 2**63)]),
        written.pay("s-1", HUE, [(HUE_MONTHLY, 10**30)]),
        written.pay("s-1", DUC, [(DUC_SUPPLEMENT, 1_000_000_001)]),
        written.pay("s-1", DUC, [(DUC_MONTHLY, 4_389_000)]),  # the queue goes on: a real payment after them
    ]
    answer = upload(province, device, entries)
    assert answer[0] == ("applied", []) and answer[-1] == ("applied", [])  # not a double payment: -4.389.000 was void
    assert answer[1] == ("flagged", ["other_commune", "unknown_line"])
    for status, flags in answer[2:6]:
        assert status == "flagged" and "amount_out_of_range" in flags
    assert province.count("entries") == 7
    e, pl = schema.entries.c, schema.paid_lines.c
    with province.engine.connect() as conn:
        paid = dict(conn.execute(select(pl.entry_id, pl.amount)).all())
        totals = [total for (total,) in conn.execute(select(e.total).where(e.kind == "payment").order_by(e.seq))]
        settled = conn.execute(select(func.count()).select_from(schema.settled)).scalar_one()
    assert paid == {entries[1]["entry_id"]: 1_000_000, entries[-1]["entry_id"]: 4_389_000}
    assert totals == [1_000_000, None, None, None, None, 4_389_000] and settled == 2
    assert cash_by_commune(province)[COMMUNE] == (1, 4_389_000, 1)
    [unknown] = flags_of(province, "other_commune")
    assert (unknown["commune_code"], unknown["also"]) == (None, [COMMUNE])  # the device's commune sees it
    assert unknown["detail"]["reasons"] == ["unknown_session", "unknown_person"]
    officer = OfficerSession(province.url)
    officer.sign_in("xa1", "pw-xa1")
    assert officer.get(f"/console/flags/{unknown['flag_id']}").status_code == 200
    out_of_range = flags_of(province, "amount_out_of_range")
    assert [flag["detail"]["lines"] for flag in out_of_range] == [
        [{"line": DUC_MONTHLY, "amount": "-4389000"}], [{"line": HUE_MONTHLY, "amount": str(2**63)}],
        [{"line": HUE_MONTHLY, "amount": str(10**30)}], [{"line": DUC_SUPPLEMENT, "amount": "1000000001"}]]

    # A reversal taking back an impossible total is stored, flagged and not applied: the payment stands.
    reversal = written.reverse(entries[-1]["entry_id"], [DUC_MONTHLY], 2**63)
    assert upload(province, device, [reversal]) == [("flagged", ["amount_out_of_range"])]
    assert province.count("reversals") == 0 and cash_by_commune(province)[COMMUNE] == (1, 4_389_000, 1)


def test_a_payment_without_a_known_day_is_judged_on_the_provinces_day(province: Province) -> None:
    """06:30 on 01/12 in Vietnam is 23:30 on 30/11 in UTC: a payment of unknown day made then, to a person who died
    on 01/12, was paid on the day of death (the person cannot sign any more), not the day before."""
    province.amend(DUC, death=dt.date(2026, 12, 1))
    device = province.device("laptop", sync=False)
    written = Journal(device.store.device_id, dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC))
    [(status, flags)] = upload(province, device, [written.pay("no-such-day", DUC, [(DUC_MONTHLY, 4_389_000)])])
    assert status == "flagged" and "paid_after_death" in flags
