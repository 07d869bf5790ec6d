"""Accounted per agency (issue 12, point 4): a point-day's sheets one per agency, each with its own totals and
fingerprint; a visit's receipt by agency; the minutes, the close-day summary and the monthly report per agency."""

from __future__ import annotations

import dataclasses
import io

from pypdf import PdfReader, PdfWriter
from PySide6.QtCore import QTranslator

from app.documents import (
    DocumentKind,
    DocumentRequest,
    document_info,
    format_fingerprint,
    make_document,
    verify_pdf,
    verify_text,
)
from app.documents.fingerprint import qr_text
from app.documents.sheet import line_group
from app.domain.model import Evidence, EvidenceKind, IdentityCheck, PaymentRequest, Recipient
from app.domain.money import format_vnd
from app.store.printing import print_document
from app.ui.app import install_translations
from app.ui.close_day_dialog import CloseDayDialog, load_day_summary
from app.ui.tasks import DbRunner
from tests.builders.document_world import COMMUNE, DAY, DUC, PERIOD, POINT, World, make_world
from tests.builders.documents import page_texts


def _agency_of(world: World, programme: str) -> str:
    return world.store.reports.policy.agency_of(programme)


def test_each_agency_has_its_own_sheet_whose_totals_add_up_to_the_cash_paid(world: World):
    reports = world.store.reports
    bundle = reports.sheet_bundle(POINT, DAY)
    assert [section.agency for section in bundle.sections] == ["so_noi_vu", "bhxh"]
    assert [section.agency_name for section in bundle.sections] == ["Sở Nội vụ", "Bảo hiểm xã hội"]
    paid_by_sheet = []
    for section in bundle.sections:
        lines = [line for person in section.people for line in person.lines]
        assert lines and {_agency_of(world, line.programme) for line in lines} == {section.agency}
        paid_by_sheet.append(sum(line.amount for line in lines if line.paid_by))
    session = world.store.payouts.session(world.session_id)
    assert sum(paid_by_sheet) == session.paid_total == sum(p.total for p in world.payments.values())
    # the whole point-day (as sheets were printed before) holds exactly the agencies' lines together
    whole = sorted((line.key, line.amount) for person in bundle.whole.people for line in person.lines)
    assert whole == sorted((line.key, line.amount) for section in bundle.sections for person in section.people
                           for line in person.lines)


def test_the_file_holds_each_agencys_sheet_with_its_heading_totals_and_code(world: World):
    reports = world.store.reports
    doc = make_document(reports, DocumentRequest(DocumentKind.SHEET_SIGNED, point_id=POINT, day=DAY))
    bundle = reports.sheet_bundle(POINT, DAY)
    codes = [format_fingerprint(document_info(DocumentKind.SHEET_SIGNED, section).fingerprint or "")
             for section in bundle.sections]
    assert [(name, format_fingerprint(code)) for name, code in doc.sections] == list(
        zip(["Sở Nội vụ", "Bảo hiểm xã hội"], codes, strict=True))
    texts = page_texts(doc.pdf)
    # pages in order: every page of the first agency's sheet, then the second's; each numbered within its sheet
    owner = [next(i for i, code in enumerate(codes) if code in page) for page in texts]
    assert owner == sorted(owner) and set(owner) == {0, 1}
    for index, section in enumerate(bundle.sections):
        pages = [page for page, who in zip(texts, owner, strict=True) if who == index]
        assert all(f"Cơ quan chi trả: {section.agency_name}" in page for page in pages)
        assert f"Trang {len(pages)}/{len(pages)}" in pages[-1]
        paid = sum(line.amount for person in section.people for line in person.lines if line.paid_by)
        assert f"Đã chi: {format_vnd(paid)}" in " ".join(pages[-1].split())
    assert "DANH SÁCH CHI TRẢ LƯƠNG HƯU, TRỢ CẤP BHXH" in texts[-1]
    # a pension is a monthly line of its agency: in the monthly column of the BHXH sheet, never "other"
    pension = next(line for person in bundle.sections[1].people for line in person.lines)
    assert line_group(pension, bundle.sections[1].main_programme).value == "monthly"


def test_each_agencys_sheet_verifies_in_the_file_alone_by_its_code_and_by_its_qr(world: World):
    reports = world.store.reports
    for kind in (DocumentKind.SHEET_SIGNED, DocumentKind.SHEET_BLANK):
        doc = make_document(reports, DocumentRequest(kind, point_id=POINT, day=DAY))
        result = verify_pdf(reports, doc.pdf)
        assert result.ok and result.code == "verify_match_sheets", result.message()
        assert "Sở Nội vụ" in result.message() and "Bảo hiểm xã hội" in result.message()
        for agency in ("so_noi_vu", "bhxh"):
            alone = make_document(reports, DocumentRequest(kind, point_id=POINT, day=DAY, agency=agency))
            assert alone.locator["agency"] == agency
            assert verify_pdf(reports, alone.pdf).ok
            assert verify_text(reports, format_fingerprint(alone.fingerprint or "")).ok
            assert verify_text(reports, qr_text(kind.value, alone.fingerprint or "", alone.locator)).ok
            assert dict(alone.sections) == {}


def test_a_sheet_printed_before_sheets_were_per_agency_still_verifies(world: World):
    reports = world.store.reports
    old = make_document(reports, DocumentRequest(DocumentKind.SHEET_SIGNED, point_id=POINT, day=DAY, agency=""))
    assert set(old.locator) == {"point", "day", "period"}  # the locator papers printed before carry
    text = " ".join(page_texts(old.pdf))
    assert "DANH SÁCH CHI TRẢ TRỢ CẤP ƯU ĐÃI NGƯỜI CÓ CÔNG" in text and "Cơ quan chi trả" not in text
    result = verify_pdf(reports, old.pdf)
    assert result.ok and result.code == "verify_match", result.message()


def test_an_altered_agency_sheet_in_the_file_is_named(world: World):
    reports = world.store.reports
    doc = make_document(reports, DocumentRequest(DocumentKind.SHEET_SIGNED, point_id=POINT, day=DAY))
    reader = PdfReader(io.BytesIO(doc.pdf))
    other = make_document(reports, DocumentRequest(DocumentKind.SHEET_BLANK, point_id=POINT, day=DAY,
                                                   agency="bhxh"))
    writer = PdfWriter(clone_from=reader)
    last = len(reader.pages) - 1  # the BHXH sheet's last page swapped for another paper's page
    writer.pages[last].replace_contents(PdfReader(io.BytesIO(other.pdf)).pages[0].get_contents())
    out = io.BytesIO()
    writer.write(out)
    result = verify_pdf(reports, out.getvalue())
    assert not result.ok and result.params["agency"] == "Bảo hiểm xã hội", result.message()
    assert result.message().startswith("Bảo hiểm xã hội — KHÔNG KHỚP")


def _two_agency_person(world: World) -> tuple[str, dict[str, tuple[str, ...]]]:
    """Nguyễn Văn Đức (người có công allowance and a pension), his payment reversed so that he is due again: his
    line keys per agency."""
    store = world.store
    world.clock.tick()
    store.payouts.reverse(world.payments[DUC].entry_id, reason="Chi lại theo từng cơ quan", supervisor="giamsat")
    view = store.payouts.person(DUC, session_id=world.session_id)
    by_agency: dict[str, list[str]] = {}
    for state in view.lines:
        if state.line.key in view.selected:
            by_agency.setdefault(_agency_of(world, state.line.programme), []).append(state.line.key)
    assert set(by_agency) == {"so_noi_vu", "bhxh"}
    return DUC, {agency: tuple(keys) for agency, keys in by_agency.items()}


def test_a_visits_receipt_lists_every_payment_by_agency_with_subtotals(fresh_world: World):
    store = fresh_world.store
    code, keys = _two_agency_person(fresh_world)
    evidence = Evidence(EvidenceKind.THUMBPRINT, reason="Không ký được", witness="Hoàng Văn Xã")
    fresh_world.clock.tick()
    payments = [store.payouts.pay(PaymentRequest(fresh_world.session_id, code, keys[agency], Recipient(),
                                                 IdentityCheck.QR_MATCHED, evidence, "giaodich"))
                for agency in ("bhxh", "so_noi_vu")]  # one payment per agency, in either order
    ids = tuple(payment.entry_id for payment in payments)
    doc = make_document(store.reports, DocumentRequest(DocumentKind.RECEIPT, payment_ids=ids))
    data = store.reports.receipt(ids)
    assert [mark.entry_id for mark in data.payments] == sorted(ids, key=lambda e: [p.entry_id for p in payments]
                                                               .index(e))
    assert [name for _code, name in data.agencies] == sorted(
        (name for _code, name in data.agencies), key=["Sở Nội vụ", "Bảo hiểm xã hội"].index)
    text = " ".join(" ".join(page_texts(doc.pdf)).split())
    numbers = ", ".join(str(payment.receipt_no) for payment in payments)
    assert f"Số {numbers} ngày 07/12/2026" in text and doc.title.startswith(f"Biên nhận số {numbers} ")
    for payment, name in zip(payments, ("Bảo hiểm xã hội", "Sở Nội vụ"), strict=True):
        assert f"Cộng {name} {format_vnd(payment.total)}" in text
    assert f"Tổng cộng (2 cơ quan chi trả): {format_vnd(sum(p.total for p in payments))}" in text
    assert text.index("Cộng Sở Nội vụ") < text.index("Cộng Bảo hiểm xã hội")  # the policy's order
    assert doc.locator == {"payment": ",".join(sorted(ids, key=[p.entry_id for p in payments].index))}
    assert verify_pdf(store.reports, doc.pdf).ok
    assert verify_text(store.reports, qr_text("receipt", doc.fingerprint or "", doc.locator)).ok
    print_document(store, DocumentRequest(DocumentKind.RECEIPT, payment_ids=ids), "giaodich", "printed")
    assert verify_text(store.reports, format_fingerprint(doc.fingerprint or "")).ok  # typed from the paper
    # the receipt of one payment of the visit is still there, as it always was
    single = make_document(store.reports, DocumentRequest(DocumentKind.RECEIPT, payment_id=payments[0].entry_id))
    assert single.locator == {"payment": payments[0].entry_id} and verify_pdf(store.reports, single.pdf).ok
    assert "cơ quan chi trả" not in " ".join(page_texts(single.pdf))


def test_minutes_and_the_close_day_summary_account_the_one_advance_per_agency(world: World):
    store = world.store
    session = store.payouts.session(world.session_id)
    minutes = store.reports.minutes(world.session_id)
    figures = {item.agency: item.amount for item in minutes.paid_by_agency}
    assert list(figures) == ["so_noi_vu", "bhxh"]
    assert sum(figures.values()) == session.paid_total
    assert session.cash_advance - sum(figures.values()) == session.cash_expected
    summary = load_day_summary(store, world.session_id)
    assert [(item.agency, item.amount) for item in summary.agencies] == list(figures.items())
    assert summary.agency_names_en == ("Department of Home Affairs", "Social Insurance (BHXH)")
    text = " ".join(" ".join(page_texts(make_document(
        store.reports, DocumentRequest(DocumentKind.MINUTES, session_id=world.session_id)).pdf)).split())
    assert "Chi trả cho Sở Nội vụ và Bảo hiểm xã hội" in text
    for item in minutes.paid_by_agency:  # the table of what each agency was paid: people, lines, amount
        assert f"{item.name} {item.people} {item.lines} " in text


def test_the_monthly_report_per_agency_adds_up_to_the_month(world: World):
    reports = world.store.reports
    month = reports.monthly_report(COMMUNE, PERIOD)
    assert [item.agency for item in month.agencies] == ["so_noi_vu", "bhxh"]
    assert sum(item.amount for item in month.agencies) == month.amount_paid
    assert sum(item.lines for item in month.agencies) == month.lines_paid
    assert sum(item.listed_amount for item in month.agencies) == month.amount_listed
    assert sum(item.listed_lines for item in month.agencies) == month.lines_listed
    assert sum(item.turns_listed for item in month.agencies) == month.turns_listed
    assert sum(item.turns_paid for item in month.agencies) == month.turns_paid
    session = world.store.payouts.session(world.session_id)
    assert month.amount_paid == session.paid_total  # one session in the month: the cash paid
    text = " ".join(" ".join(page_texts(make_document(
        reports, DocumentRequest(DocumentKind.MONTHLY, commune_code=COMMUNE, period=PERIOD)).pdf)).split())
    assert "Tổng hợp theo cơ quan chi trả" in text
    for item in month.agencies:
        assert item.name in text


def test_the_close_day_screen_shows_each_agencys_part_of_the_advance(tmp_path, monkeypatch, qtbot, qapp):
    """The real dialog, in both languages: each agency's people, lines and amount, and the count's reconciliation
    across agencies (advance − Σ agencies = cash that should be in hand)."""
    world = make_world(tmp_path, monkeypatch, close=False)
    runner = DbRunner()
    translators = set(qapp.findChildren(QTranslator))
    try:
        store = world.store
        session = store.payouts.session(world.session_id)
        staff = store.staff.get("giaodich")
        assert staff is not None
        minutes = store.reports.minutes(world.session_id)
        parts = {item.agency: item for item in minutes.paid_by_agency}
        said = {"vi": ("{people} người, {lines} khoản", "Tạm ứng {advance} − cộng các cơ quan {paid} = tiền phải còn "
                       "{expected}"),
                "en": ("{people} people, {lines} lines", "Advance {advance} − all agencies {paid} = cash expected "
                       "{expected}")}
        for lang, names in (("vi", ("Sở Nội vụ", "Bảo hiểm xã hội")),
                            ("en", ("Department of Home Affairs", "Social Insurance (BHXH)"))):
            if lang == "en":
                assert install_translations(qapp, "en")
            dialog = CloseDayDialog(runner, store, session, staff, lang)
            qtbot.waitUntil(lambda dialog=dialog: dialog.confirm.isEnabled(), timeout=10000)
            summary = dialog.summary_text()
            detail = dialog.expected_detail.text()
            for name, agency in zip(names, ("so_noi_vu", "bhxh"), strict=True):
                item = parts[agency]
                assert f"{name} {format_vnd(item.amount)}" in detail
                assert name in summary and said[lang][0].format(people=item.people, lines=item.lines) in summary
            assert said[lang][1].format(advance=format_vnd(session.cash_advance), paid=format_vnd(session.paid_total),
                                        expected=format_vnd(session.cash_expected)) in summary
            assert dialog.expected.text() == format_vnd(session.cash_expected)
            dialog.reject()
            dialog.deleteLater()
    finally:
        for translator in set(qapp.findChildren(QTranslator)) - translators:
            qapp.removeTranslator(translator)
            translator.setParent(None)
        runner.run_sync(world.store.close)
        runner.stop()
        # the dialogs (deleted once closed) gone before the next test
        qapp.sendPostedEvents(None, 0)
        qapp.processEvents()


def test_minutes_receipts_and_reports_printed_before_they_were_per_agency_still_verify(world: World):
    """Papers printed before the per-agency parts existed carry no ``agencies`` option in their record: they are
    rebuilt (and their pages compared) as they were printed; papers printed now are rebuilt with the parts."""
    reports = world.store.reports
    requests = (
        (DocumentRequest(DocumentKind.MINUTES, session_id=world.session_id), "Đã chi cho Bảo hiểm xã hội"),
        (DocumentRequest(DocumentKind.MONTHLY, commune_code=COMMUNE, period=PERIOD), "Tổng hợp theo cơ quan chi trả"),
        (DocumentRequest(DocumentKind.RECEIPT, payment_id=world.payments[DUC].entry_id), "Cộng Bảo hiểm xã hội"),
    )
    for request, part in requests:
        for by_agency in (True, False):
            made = make_document(reports, dataclasses.replace(request, by_agency=by_agency))
            assert (part in " ".join(" ".join(page_texts(made.pdf)).split())) is by_agency
            result = verify_pdf(reports, made.pdf)
            assert result.ok and result.code == "verify_match", (request.kind, by_agency, result.message())
