"""A simulated year of the monthly cycle (issue 11, point 7), on SQLite and PostgreSQL over real HTTP: twelve lists
through the real list reader, two laptops paying and syncing, the officers' amendments between lists — and after every
month the invariants of ``tests/builders/year_checks.py``. The people and their stories are in
``tests/builders/year.py``; the larger year is ``bench/bench_cycle_year.py``.

Who of the ordinary people misses the payout on the 5th (about one in six), and who of them comes on the 22nd, after
next month's list arrived (half), is drawn from a seeded generator: CI sees the same year every run. (Not hypothesis:
a year takes half a minute, so it could neither try many examples nor shrink one within the budget; the stories and
the invariants, not the draw, are what the test is about.)
"""

from __future__ import annotations

from pathlib import Path

from app.domain.amendments import Subject
from app.domain.model import RecipientKind
from tests.builders.year import D1_REP, Year, YearSpec, period, random_absences
from tests.builders.year_checks import MOVED_PERSON, Archive, Checks, after_month

SPEC = YearSpec(communes=20, people=2)
SEED = 2026


def story(year: Year, month: int, checks: Checks) -> None:
    """What the people with a story must see, month by month (``tests/builders/year.py``)."""
    codes = {role: person.record_code for role, person in year.people.items()}
    subjects = {(year.by_code[c.record_code], c.subject) for c in year.contradictions.get(period(month + 1), [])}
    expected = {2: {("S1", Subject.SUSPENSION)}, 3: {("D1", Subject.DEATH), ("S1", Subject.SUSPENSION)},
                4: {("D1", Subject.REPRESENTATIVE), ("S1", Subject.SUSPENSION)}, 7: {("D3", Subject.DEATH)}}
    if month < SPEC.months:
        assert subjects == expected.get(month, set()), (period(month + 1), subjects)
    paid = [p for p in year.ledger if p.session_period == period(month)]
    by_role = {role: [p for p in paid if p.record_code == code] for role, code in codes.items()}
    if 2 <= month <= 4:
        assert by_role["S1"] == []  # suspended
    if month == 5:
        assert len(by_role["S1"][0].lines) == 8  # February–May, each allowance and supplement
        [funeral] = by_role["D1"]
        assert (funeral.recipient, funeral.recipient_id) == (RecipientKind.REPRESENTATIVE, D1_REP[1])
        assert by_role["P1"] == [] and ("2026-05", "P1", "authorisation_expired") in year.refusals
    if month == 6:
        assert sorted(k.split("|")[1] for k in by_role["P1"][0].lines) == ["2026-05", "2026-06"]
    if month >= 4:
        assert all(p.session_period <= "2026-03" for p in year.ledger if p.record_code == codes["D1"]
                   and any("|monthly" in k or "|supplement" in k for k in p.lines))
    if month >= 5:
        assert not any(p.record_code == codes["D2"] and p.session_period >= "2026-05" for p in year.ledger)
    if month == 7:
        d3 = {f["entry_id"] for f in year.province.flags() if f["kind"] == "paid_after_death"
              and f["record_code"] == codes["D3"]}
        assert d3 == {p.entry_id for p in year.ledger if p.record_code == codes["D3"]
                      and p.session_period in ("2026-05", "2026-06")}, d3
    if month == 2:
        assert {f["record_code"] for f in year.province.flags() if f["kind"] == "double_payment"} == {codes["X1"]}
    if month == 9:
        with checks.step(MOVED_PERSON, month):
            [moved] = by_role["M1"]
            assert moved.device == "laptop-b" and "2026-08" in {k.split("|")[1] for k in moved.lines}, moved
            # The old commune's August report (laptop A) shows him as moved, never as simply not collected.
            august = year.a.store.reports.monthly_report(year.commune_codes[1], period(8))
            unpaid = [item for item in august.unpaid if item.record_code == codes["M1"]]
            assert all("chuyển" in item.reason.lower() for item in unpaid), unpaid
        assert all(any("|arrears" in k for k in p.lines) for p in paid if p.record_code not in
                   (codes["D1"], codes["D2"], codes["D3"])
                   and any("|2026-09|" in k and "monthly" in k for k in p.lines))


def test_a_year_of_monthly_cycles_keeps_every_invariant_after_every_month(database_url: str, tmp_path: Path) -> None:
    missing, late = random_absences(SPEC, seed=SEED)
    year = Year(SPEC, tmp_path / "year", database_url, absences=missing, late=late)
    checks, archive = Checks(), Archive()
    try:
        for month in range(1, SPEC.months + 1):
            year.run_month(month)
            story(year, month, checks)
            after_month(year, month, checks, archive)
    finally:
        year.close()
    assert checks.failures == {}, "invariants that failed:\n" + checks.summary()
