"""Preview, print (Qt's print dialog) and save as PDF for every document, and the "Tài liệu" menu that makes them.

Documents are made by ``app.store.printing.prepare_document`` on the database worker (never on the GUI thread); this
module only shows the PDF bytes, sends their pages to a printer, or writes them to a file the teller picks. A print or
a save is logged (``app.store.printing``) once it happened — the print dialog accepted, the file written — and from
then on the same document is shown and printed marked "BẢN IN LẠI" (the open viewer is re-made with the mark at once,
so a second copy printed from it is marked too).

The preview zooms: − and + (Ctrl+− / Ctrl++) step through fixed sizes from 25 % to 400 %, "Vừa khổ rộng" fits the
page width (the default) and "Cả trang" a whole page, so a sheet's small signature column can be read on a laptop.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QSize, Signal
from PySide6.QtGui import QAction, QKeySequence, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.documents.api import DocumentRequest, RenderedDocument
from app.documents.data import DocumentKind
from app.documents.fingerprint import format_fingerprint
from app.documents.verify import verify_pdf
from app.store.printing import prepare_document, record_output
from app.ui.file_dialogs import open_file, save_file

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)
"""The preview's zoom factors (1.0: the page at its printed size on this screen)."""


class DocumentViewer(QDialog):
    """Shows one rendered document with Print and Save buttons.

    ``output`` is emitted with "printed" or "saved" once the document actually left the device (the menu logs it);
    ``request`` is what made the document, so that it can be made again with the reprint mark.
    """

    output = Signal(str)

    def __init__(self, document: RenderedDocument, parent: QWidget | None = None,
                 request: DocumentRequest | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentViewer")
        self.request = request
        self.resize(1000, 700)
        layout = QVBoxLayout(self)
        self.info = QLabel(self)
        self.info.setObjectName("documentInfo")
        layout.addWidget(self.info)
        self._buffer: QBuffer | None = None
        self.pdf = QPdfDocument(self)
        self.set_document(document)
        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setDocument(self.pdf)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        layout.addLayout(self._zoom_bar())
        layout.addWidget(self.view, 1)
        buttons = QDialogButtonBox(self)
        self.print_button = buttons.addButton(self.tr("In… (Ctrl+P)"), QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.setObjectName("printButton")
        self.save_button = buttons.addButton(self.tr("Lưu PDF…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.setObjectName("saveButton")
        close = buttons.addButton(self.tr("Đóng"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setObjectName("closeButton")
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_document)
        self.print_button.setShortcut(QKeySequence("Ctrl+P"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    # --- zoom -------------------------------------------------------------------------------------------------------

    def _zoom_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.zoom_out_button = QPushButton("−", self)
        self.zoom_out_button.setObjectName("zoomOut")
        self.zoom_out_button.setToolTip(self.tr("Thu nhỏ (Ctrl+−)"))
        self.zoom_out_button.setShortcut(QKeySequence.StandardKey.ZoomOut)
        self.zoom_in_button = QPushButton("+", self)
        self.zoom_in_button.setObjectName("zoomIn")
        self.zoom_in_button.setToolTip(self.tr("Phóng to (Ctrl++)"))
        self.zoom_in_button.setShortcut(QKeySequence.StandardKey.ZoomIn)
        self.fit_width_button = QPushButton(self.tr("Vừa khổ rộng"), self)
        self.fit_width_button.setObjectName("fitWidth")
        self.fit_page_button = QPushButton(self.tr("Cả trang"), self)
        self.fit_page_button.setObjectName("fitPage")
        self.zoom_label = QLabel(self)
        self.zoom_label.setObjectName("zoomLevel")
        for button in (self.zoom_out_button, self.zoom_in_button):
            button.setFixedWidth(button.fontMetrics().horizontalAdvance("MM") + 16)
        self.zoom_out_button.clicked.connect(lambda: self.zoom_step(-1))
        self.zoom_in_button.clicked.connect(lambda: self.zoom_step(+1))
        self.fit_width_button.clicked.connect(lambda: self.fit(QPdfView.ZoomMode.FitToWidth))
        self.fit_page_button.clicked.connect(lambda: self.fit(QPdfView.ZoomMode.FitInView))
        bar.addWidget(self.zoom_out_button)
        bar.addWidget(self.zoom_in_button)
        bar.addWidget(self.fit_width_button)
        bar.addWidget(self.fit_page_button)
        bar.addWidget(self.zoom_label)
        bar.addStretch(1)
        self._show_zoom()
        return bar

    def zoom_factor(self) -> float:
        """The zoom shown now, also in a fitting mode (where Qt keeps no factor): page size against the view."""
        mode = self.view.zoomMode()
        if mode is QPdfView.ZoomMode.Custom or self.pdf.pageCount() == 0:
            return self.view.zoomFactor()
        size = self.pdf.pagePointSize(0)
        dpi = self.view.logicalDpiX() / 72.0
        margins = self.view.documentMargins()
        width = max(1, self.view.viewport().width() - margins.left() - margins.right())
        factor = width / (size.width() * dpi)
        if mode is QPdfView.ZoomMode.FitInView:
            height = max(1, self.view.viewport().height() - margins.top() - margins.bottom())
            factor = min(factor, height / (size.height() * dpi))
        return factor

    def zoom_step(self, direction: int) -> None:
        """The next size up (``direction`` 1) or down (-1) from the one shown."""
        now = self.zoom_factor()
        if direction > 0:
            target = next((step for step in ZOOM_STEPS if step > now * 1.01), ZOOM_STEPS[-1])
        else:
            target = next((step for step in reversed(ZOOM_STEPS) if step < now * 0.99), ZOOM_STEPS[0])
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(target)
        self._show_zoom()

    def fit(self, mode: QPdfView.ZoomMode) -> None:
        self.view.setZoomMode(mode)
        self._show_zoom()

    def _show_zoom(self) -> None:
        mode = self.view.zoomMode()
        if mode is QPdfView.ZoomMode.FitToWidth:
            text = self.tr("Vừa khổ rộng")
        elif mode is QPdfView.ZoomMode.FitInView:
            text = self.tr("Cả trang")
        else:
            text = f"{round(self.view.zoomFactor() * 100)} %"
        self.zoom_label.setText(text)
        self.zoom_out_button.setEnabled(mode is not QPdfView.ZoomMode.Custom or self.view.zoomFactor() > ZOOM_STEPS[0])
        self.zoom_in_button.setEnabled(mode is not QPdfView.ZoomMode.Custom or self.view.zoomFactor() < ZOOM_STEPS[-1])

    # --- the document -------------------------------------------------------------------------------------------

    def set_document(self, document: RenderedDocument) -> None:
        """Show ``document`` (first, or in place of the one shown — e.g. the same made again as a reprint)."""
        self.document = document
        self.setWindowTitle(document.title)
        if document.sections:  # one sheet per agency, each with the code its pages show
            text = self.tr("{pages} trang · mã xác thực: {sheets}").format(
                pages=document.pages, sheets="; ".join(f"{name} {format_fingerprint(code)}"
                                                      for name, code in document.sections))
        else:
            text = self.tr("{pages} trang · mã xác thực {fingerprint}").format(
                pages=document.pages, fingerprint=document.fingerprint or "—")
        if document.reprint_at is not None:
            text += " · " + self.tr("BẢN IN LẠI")
        self.info.setText(text)
        old = self._buffer
        self._bytes = QByteArray(document.pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf.close()
        self.pdf.load(self._buffer)
        if old is not None:
            old.close()
            old.deleteLater()

    def page_count(self) -> int:
        return self.pdf.pageCount()

    def print_to(self, printer: QPrinter) -> int:
        """Draw every page onto ``printer`` at its resolution; returns the pages printed."""
        painter = QPainter()
        if not painter.begin(printer):
            return 0
        try:
            for page in range(self.pdf.pageCount()):
                if page:
                    printer.newPage()
                target = painter.viewport()
                size = self.pdf.pagePointSize(page)
                scale = min(target.width() / size.width(), target.height() / size.height())
                image = self.pdf.render(page, QSize(int(size.width() * scale), int(size.height() * scale)))
                painter.drawImage(0, 0, image)
        finally:
            painter.end()
        return self.pdf.pageCount()

    def print_document(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.document.filename)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and self.print_to(printer):
            self.printed("printed")

    def printed(self, how: str) -> None:
        """Say that the document shown left the device ("printed" or "saved"), so that it is logged."""
        self.output.emit(how)

    def save_to(self, path: Path) -> Path:
        path.write_bytes(self.document.pdf)
        return path

    def save_document(self) -> None:
        path = save_file(self, self.tr("Lưu tài liệu"), self.document.filename, self.tr("Tài liệu PDF (*.pdf)"))
        if path is not None:
            self.save_to(path)
            self.printed("saved")


class DocumentMenu(QObject):
    """The "Tài liệu" menu of the main window: each document of the session, the person, the point or the month.

    A QObject (child of the window) so that its strings are translated under its own context, "DocumentMenu".
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.viewers: list[DocumentViewer] = []
        menu = window.menuBar().addMenu(self.tr("&Tài liệu"))
        self.actions: dict[str, QAction] = {}
        entries: list[tuple[str, str, str, Callable[[], DocumentRequest | None]]] = [
            ("sheet-blank", self.tr("Danh sách chi trả (mẫu để ký trên giấy)"), "",
             self._sheet(DocumentKind.SHEET_BLANK)),
            ("sheet-signed", self.tr("Danh sách chi trả đã ký nhận"), "Ctrl+Shift+P",
             self._sheet(DocumentKind.SHEET_SIGNED)),
            ("receipt", self.tr("Biên nhận của người đang chọn"), "Ctrl+R", self._receipt),
            ("minutes", self.tr("Biên bản đối chiếu cuối ngày"), "", self._minutes),
            ("notice", self.tr("Thông báo công khai"), "", self._notice),
            ("monthly", self.tr("Báo cáo tháng"), "", self._monthly),
        ]
        for key, label, shortcut, build in entries:
            action = QAction(label, window)
            action.setObjectName(f"document-{key}")
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(lambda _checked=False, build=build: self.open(build()))
            menu.addAction(action)
            self.actions[key] = action
        posting = QAction(self.tr("Ghi nhận đã niêm yết thông báo công khai…"), window)
        posting.setObjectName("document-posting")
        posting.triggered.connect(lambda _checked=False: window.ask_posting())
        menu.addAction(posting)
        self.actions["posting"] = posting
        menu.addSeparator()
        verify = QAction(self.tr("Kiểm tra một tài liệu đã in (PDF)…"), window)
        verify.triggered.connect(self.choose_and_verify)
        menu.addAction(verify)

    def _session(self):  # -> PayoutSession | None
        session = self.window.session
        if session is None:
            QMessageBox.information(self.window, self.tr("Chưa mở phiên"),
                                    self.tr("Hãy mở phiên chi trả trước (F2)."))
        return session

    def _sheet(self, kind: DocumentKind) -> Callable[[], DocumentRequest | None]:
        def build() -> DocumentRequest | None:
            session = self._session()
            return DocumentRequest(kind, point_id=session.point_id, day=session.day, period=session.period) \
                if session else None
        return build

    def _receipt(self) -> DocumentRequest | None:
        view = self.window.panel.current_view()
        if view is None or not view.payments:
            QMessageBox.information(self.window, self.tr("Chưa có khoản chi"),
                                    self.tr("Người đang chọn chưa có khoản chi nào để in biên nhận."))
            return None
        # the last visit: every payment committed with the last one (one per record, so per agency) is on its receipt
        last = view.payments[-1]
        visit = tuple(payment.entry_id for payment in view.payments
                      if payment.session_id == last.session_id and payment.recorded_at == last.recorded_at)
        if len(visit) > 1:
            return DocumentRequest(DocumentKind.RECEIPT, payment_ids=visit)
        return DocumentRequest(DocumentKind.RECEIPT, payment_id=last.entry_id)

    def _minutes(self) -> DocumentRequest | None:
        session = self._session()
        return DocumentRequest(DocumentKind.MINUTES, session_id=session.session_id) if session else None

    def _notice(self) -> DocumentRequest | None:
        session = self._session()
        return DocumentRequest(DocumentKind.NOTICE, point_id=session.point_id, day=session.day,
                               period=session.period) if session else None

    def _monthly(self) -> DocumentRequest | None:
        session = self._session()
        return DocumentRequest(DocumentKind.MONTHLY, commune_code=session.commune_code,
                               period=session.period) if session else None

    def open(self, request: DocumentRequest | None) -> None:
        """Make the document on the worker (marked "BẢN IN LẠI" if it was printed before), then show it."""
        if request is None:
            return
        store = self.window.store
        self.window.runner.submit(lambda: prepare_document(store, request),
                                  lambda document: self.show(document, request), self.window.fail)

    def show(self, document: RenderedDocument, request: DocumentRequest | None = None) -> DocumentViewer:
        viewer = DocumentViewer(document, self.window, request)
        self.viewers.append(viewer)
        viewer.finished.connect(lambda _result, viewer=viewer: self.viewers.remove(viewer))
        viewer.output.connect(lambda how, viewer=viewer: self.record(viewer, how))
        viewer.open()
        return viewer

    def _staff(self) -> str:
        return self.window.staff.username

    def record(self, viewer: DocumentViewer, how: str) -> None:
        """Log a print or save of ``viewer``'s document on the worker; a first print turns the viewer into a reprint."""
        store = self.window.store
        document, staff = viewer.document, self._staff()
        self.window.runner.submit(lambda: record_output(store, document, staff, how),
                                  lambda _record: self._recorded(viewer), self.window.fail)
        if viewer.request is not None and viewer.request.kind is DocumentKind.NOTICE:
            self.window.ask_posting()  # the notice left the desk to be posted: where, when, by whom

    def _recorded(self, viewer: DocumentViewer) -> None:
        request = viewer.request
        if request is None or viewer.document.reprint_at is not None or viewer not in self.viewers:
            return
        store = self.window.store

        def remade(document: RenderedDocument) -> None:
            if document.reprint_at is not None and viewer in self.viewers:  # the notice is never marked
                viewer.set_document(document)

        self.window.runner.submit(lambda: prepare_document(store, request), remade, self.window.fail)

    def choose_and_verify(self) -> None:
        """Ask for a printed document's PDF (from Documents, or where the last one was) and check it."""
        path = open_file(self.window, self.tr("Chọn tài liệu PDF"), self.tr("Tài liệu PDF (*.pdf)"))
        if path is not None:
            self.verify_file(path)

    def verify_file(self, path: Path) -> None:
        store = self.window.store
        data = path.read_bytes()
        lang = self.window.lang
        self.window.runner.submit(
            lambda: verify_pdf(store.reports, data),
            lambda result: QMessageBox.information(self.window, self.tr("Kiểm tra tài liệu"),
                                                   result.message(lang)),
            self.window.fail,
        )

