"""Documents from the desk: made on the worker, previewed, printed to a PDF printer, saved, and verified."""

from __future__ import annotations

from pypdf import PdfReader
from PySide6.QtGui import QKeySequence
from PySide6.QtPrintSupport import QPrinter

from app.documents.verify import verify_pdf
from tests.builders.desk import find_person
from tests.builders.store import DUC, signature_evidence
from tests.builders.store import request as pay_request


def _open(qtbot, main, key: str):
    before = len(main.documents.viewers)
    main.documents.actions[key].trigger()
    qtbot.waitUntil(lambda: len(main.documents.viewers) > before, timeout=10000)
    return main.documents.viewers[-1]


def test_signed_sheet_preview_print_and_save(window, qtbot, tmp_path):
    main, store = window
    store.payouts.pay(pay_request(main.session.session_id, DUC, store.payouts.person(DUC).selected,
                                  evidence=signature_evidence()))
    viewer = _open(qtbot, main, "sheet-signed")
    assert viewer.page_count() >= 1 and viewer.document.fingerprint

    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert viewer.print_to(printer) == viewer.page_count()
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == viewer.page_count()

    saved = viewer.save_to(tmp_path / viewer.document.filename)
    text = "".join(page.extract_text() for page in PdfReader(saved).pages)
    assert "Nguyễn Văn Đức" in text and "DANH SÁCH CHI TRẢ" in text
    viewer.reject()


def test_receipt_of_the_person_just_paid_and_minutes(window, qtbot):
    main, store = window
    find_person(qtbot, main, "duc", DUC)
    store.payouts.pay(pay_request(main.session.session_id, DUC, store.payouts.person(DUC).selected))
    main.open_person(DUC)
    qtbot.waitUntil(lambda: main.panel.current_view() is not None and bool(main.panel.current_view().payments))
    receipt = _open(qtbot, main, "receipt")
    assert receipt.document.kind.value == "receipt"
    minutes = _open(qtbot, main, "minutes")
    assert minutes.page_count() >= 1
    notice = _open(qtbot, main, "notice")
    assert notice.page_count() >= 1


def test_a_printed_sheet_reopens_marked_as_a_reprint(window, qtbot, tmp_path):
    main, store = window
    store.payouts.pay(pay_request(main.session.session_id, DUC, store.payouts.person(DUC).selected,
                                  evidence=signature_evidence()))
    viewer = _open(qtbot, main, "sheet-signed")
    original = viewer.document
    assert original.reprint_at is None and "BẢN IN LẠI" not in viewer.windowTitle()
    assert store.printing.first_print(original.fingerprint) is None  # a preview is not a print

    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert viewer.print_to(printer) == viewer.page_count()
    viewer.printed("printed")  # what print_document does once the dialog was accepted and the pages sent
    # logged on the worker, then the open viewer is made again with the mark (a second copy from it is a reprint)
    qtbot.waitUntil(lambda: viewer.document.reprint_at is not None, timeout=10000)
    prints = store.printing.prints(original.kind, original.locator)
    assert [(p.fingerprint, p.staff, p.how) for p in prints] == [(original.fingerprint, "giaodich", "printed")]
    assert "BẢN IN LẠI" in viewer.windowTitle() and "BẢN IN LẠI" in viewer.info.text()
    assert viewer.document.fingerprint == original.fingerprint
    viewer.reject()

    again = _open(qtbot, main, "sheet-signed")
    assert again.document.reprint_at is not None and again.windowTitle().endswith("BẢN IN LẠI")
    assert again.page_count() >= 1
    saved = again.save_to(tmp_path / again.document.filename)
    text = "".join(page.extract_text() for page in PdfReader(saved).pages)
    assert "BẢN IN LẠI — in lại lúc" in text and "Nguyễn Văn Đức" in text
    assert verify_pdf(store.reports, saved.read_bytes()).ok
    again.printed("saved")
    qtbot.waitUntil(lambda: len(store.printing.prints(original.kind, original.locator)) == 2, timeout=10000)
    again.reject()


def test_saving_as_pdf_is_not_a_print_and_the_receipt_printed_later_is_an_original(window, qtbot, tmp_path):
    main, store = window
    find_person(qtbot, main, "duc", DUC)
    store.payouts.pay(pay_request(main.session.session_id, DUC, store.payouts.person(DUC).selected))
    main.open_person(DUC)
    qtbot.waitUntil(lambda: main.panel.current_view() is not None and bool(main.panel.current_view().payments))
    viewer = _open(qtbot, main, "receipt")
    receipt = viewer.document
    assert receipt.title.startswith("Biên nhận số 1 ngày ")  # the number the teller says aloud
    viewer.save_to(tmp_path / receipt.filename)
    viewer.printed("saved")
    qtbot.waitUntil(lambda: len(store.printing.prints(receipt.kind, receipt.locator)) == 1, timeout=10000)
    qtbot.wait(200)  # the viewer would have been re-made by now if saving were a print
    assert viewer.document.reprint_at is None and "BẢN IN LẠI" not in viewer.windowTitle()
    viewer.reject()

    handed_over = _open(qtbot, main, "receipt")  # then printed on paper: the original, not a reprint
    assert handed_over.document.reprint_at is None
    handed_over.printed("printed")
    qtbot.waitUntil(lambda: handed_over.document.reprint_at is not None, timeout=10000)  # a second copy would be
    handed_over.reject()


def test_the_preview_zooms_in_and_out_and_fits(window, qtbot):
    from PySide6.QtPdfWidgets import QPdfView

    main, _store = window
    viewer = _open(qtbot, main, "sheet-blank")
    viewer.resize(1000, 700)
    assert viewer.view.zoomMode() is QPdfView.ZoomMode.FitToWidth and viewer.zoom_label.text() == "Vừa khổ rộng"
    fitted = viewer.zoom_factor()
    viewer.zoom_in_button.click()
    assert viewer.view.zoomMode() is QPdfView.ZoomMode.Custom
    bigger = viewer.view.zoomFactor()
    assert bigger > fitted and viewer.zoom_label.text() == f"{round(bigger * 100)} %"
    viewer.zoom_in_button.click()
    assert viewer.view.zoomFactor() > bigger
    for _ in range(20):
        viewer.zoom_out_button.click()
    assert viewer.view.zoomFactor() == 0.25 and not viewer.zoom_out_button.isEnabled()
    viewer.fit_page_button.click()
    assert viewer.view.zoomMode() is QPdfView.ZoomMode.FitInView and viewer.zoom_label.text() == "Cả trang"
    assert viewer.zoom_factor() < fitted  # a whole landscape page is smaller than its width
    viewer.fit_width_button.click()
    assert viewer.view.zoomMode() is QPdfView.ZoomMode.FitToWidth
    assert viewer.zoom_in_button.shortcut() in QKeySequence.keyBindings(QKeySequence.StandardKey.ZoomIn)
    viewer.reject()
