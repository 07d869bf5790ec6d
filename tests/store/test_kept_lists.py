"""Each month's list is kept (issue 11, point 3): an earlier month's documents print the same content — and the
same fingerprint — after the next month's list (carried-over lines, an amount change, a withdrawn line, a death)
and a carried-over line paid in the next month."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path

from pypdf import PdfReader

from app.documents.api import DocumentKind, document_info, render
from app.documents.verify import verify_pdf
from app.domain.model import BeneficiaryStatus, LineKind, PaymentMethod
from app.lists.parsed import ParsedList
from app.store import database
from app.store.store import Store
from tests.builders.store import COMMUNE, DAY, DUC, HUE, PERIOD, POINT, line, lines, parsed_list, people, request

JAN = "2027-01"
JAN_DAY = dt.date(2027, 1, 6)


UNPRINTED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
"""The printing time set aside: documents are compared on what they say, not on when they were printed."""


def _prints(store: Store) -> dict[str, object]:
    """December's documents as the desk would print them now: their data (without the printing time) and
    fingerprints."""
    reports = store.reports
    monthly = reports.monthly_report(COMMUNE, PERIOD)
    sheet = reports.payout_sheet(POINT, DAY, PERIOD)
    return {
        "monthly": dataclasses.replace(monthly, printed_at=UNPRINTED),
        "sheet": dataclasses.replace(sheet, printed_at=UNPRINTED),
        "monthly_code": document_info(DocumentKind.MONTHLY, monthly).fingerprint,
        "blank_code": document_info(DocumentKind.SHEET_BLANK, sheet).fingerprint,
        "signed_code": document_info(DocumentKind.SHEET_SIGNED, sheet).fingerprint,
    }


def _january_list() -> ParsedList:
    """January's list: Đức's unpaid December convalescence allowance carried over, his monthly allowance at a new
    amount, his December pension no longer listed (withdrawn from the cycle), Huệ recorded as deceased on 02/01."""
    everyone = [dataclasses.replace(p, status=BeneficiaryStatus.DECEASED, date_of_death=dt.date(2027, 1, 2))
                if p.record_code == HUE else p for p in people()]
    january = [dataclasses.replace(item, amount=4_500_000) if (item.record_code, item.regime) == (DUC, "monthly")
               else item for item in lines(JAN) if item.record_code != HUE]
    carried = line(DUC, "convalescence", 2_510_100, period=PERIOD, list_period=JAN, kind=LineKind.ONE_TIME)
    return parsed_list(period=JAN, the_people=everyone, the_lines=[*january, carried], source="ds-01-2027.xlsx")


def test_an_earlier_month_reprints_the_same_after_the_next_list_and_a_late_payment(
        store: Store, session_id: str, clock) -> None:
    december = {item.regime: item for item in lines() if item.record_code == DUC}
    store.payouts.pay(request(session_id, DUC, [december["monthly"].key, december["supplement"].key]))
    before = {**_prints(store), "minutes": dataclasses.replace(store.reports.minutes(session_id), printed_at=UNPRINTED)}
    printed = {kind: render(kind, data) for kind, data in (
        (DocumentKind.MONTHLY, store.reports.monthly_report(COMMUNE, PERIOD)),
        (DocumentKind.SHEET_BLANK, store.reports.payout_sheet(POINT, DAY, PERIOD)),
        (DocumentKind.MINUTES, store.reports.minutes(session_id)))}
    unpaid_before = {item.record_code: item for item in before["monthly"].unpaid}  # type: ignore[attr-defined]
    assert DUC in unpaid_before and HUE in unpaid_before

    clock.now = dt.datetime(2027, 1, 6, 1, 0, tzinfo=dt.UTC)
    store.lists.import_parsed(_january_list())
    def now() -> dict[str, object]:
        minutes = dataclasses.replace(store.reports.minutes(session_id), printed_at=UNPRINTED)
        return {**_prints(store), "minutes": minutes}

    assert now() == before  # the next month's list changes nothing printed about December

    january = store.payouts.open_session(commune_code=COMMUNE, point_id=POINT, day=JAN_DAY, cash_advance=30_000_000,
                                         staff="giaodich")
    assert january.period == JAN
    store.payouts.pay(request(january.session_id, DUC, [december["convalescence"].key]))
    assert now() == before  # nor does paying a carried-over line in January
    for kind, pdf in printed.items():  # and verify-document still matches each December PDF printed before
        verdict = verify_pdf(store.reports, pdf)
        assert verdict.ok, (kind, verdict.code, verdict.params)

    # January's own report: Đức's December line and Tâm's November line carried in, the first of them paid
    report = store.reports.monthly_report(COMMUNE, JAN)
    assert (report.carried_in_lines, report.carried_in_amount) == (2, 2_510_100 + 4_389_000)
    assert (report.lines_paid, report.amount_paid) == (1, 2_510_100)
    assert HUE not in {item.record_code for item in report.unpaid}


def test_the_upgrade_keeps_the_lists_already_imported(tmp_path: Path, clock) -> None:
    """A desk upgraded from revision 0008 keeps each list period its current lines name, as they stand."""
    store = Store.open(tmp_path / "data", clock=clock)
    store.lists.import_parsed(parsed_list())
    with database.write(store.engine) as conn:
        conn.exec_driver_sql("DROP TABLE list_lines")
        conn.exec_driver_sql("DROP TABLE list_people")
        for table in ("person_links", "person_groups", "identity_conflicts"):  # and revision 0010's
            conn.exec_driver_sql(f"DROP TABLE {table}")
        for table in ("policy_notices", "policy_texts"):  # and revision 0011's
            conn.exec_driver_sql(f"DROP TABLE {table}")
        conn.exec_driver_sql("ALTER TABLE beneficiaries DROP COLUMN agency")
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0008'")
    store.close()
    upgraded = Store.open(tmp_path / "data", clock=clock)
    try:
        report = upgraded.reports.monthly_report(COMMUNE, PERIOD)
        cash = [item for item in lines() if item.method is PaymentMethod.CASH]
        assert report.lines_listed == len(cash)
        assert report.account_lines == 1
    finally:
        upgraded.close()


def test_the_blank_sheet_reconciles_the_points_list_naming_what_cannot_be_paid(store: Store, session_id: str) -> None:
    """Issue 11, point 4: listed = on the sheet + paid before or elsewhere + accounts + not payable, by person."""
    december = {item.regime: item for item in lines() if item.record_code == DUC}
    store.payouts.pay(request(session_id, DUC, [december["monthly"].key]))
    sheet = store.reports.payout_sheet(POINT, DAY, PERIOD)
    reconciled = sheet.reconciliation
    assert reconciled is not None and reconciled.balanced
    assert (reconciled.listed_lines, reconciled.listed_amount) == (len(lines()), sum(item.amount for item in lines()))
    assert (reconciled.account_lines, reconciled.account_amount) == (1, 600_000)
    why = {(item.full_name, item.regime_name): item.reason for item in reconciled.not_payable}
    assert "Vắng mặt tại địa phương" in why[("Phạm Văn Nam", "Trợ cấp hằng tháng")]  # suspended, and why
    assert ("Lê Văn Tâm", "Trợ cấp hằng tháng") in why  # December's allowance: after the month of his death
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(
        render(DocumentKind.SHEET_BLANK, sheet))).pages)
    assert "ĐỐI CHIẾU VỚI DANH SÁCH" in text and "Phạm Văn Nam (QNH/BB-00005-TCM)" in text
