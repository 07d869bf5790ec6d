"""Preview, print (Qt's print dialog) and save as PDF for every document, and the "Tài liệu" menu that makes them.

Documents are made by ``app.documents.make_document`` on the database worker (never on the GUI thread); this module
only shows the PDF bytes, sends their pages to a printer, or writes them to a file the teller picks.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.documents.api import DocumentRequest, RenderedDocument, make_document
from app.documents.data import DocumentKind
from app.documents.verify import verify_pdf

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


class DocumentViewer(QDialog):
    """Shows one rendered document with Print and Save buttons."""

    def __init__(self, document: RenderedDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentViewer")
        self.document = document
        self.setWindowTitle(document.title)
        self.resize(1000, 700)
        layout = QVBoxLayout(self)
        info = QLabel(self.tr("{pages} trang · mã xác thực {fingerprint}").format(
            pages=document.pages, fingerprint=document.fingerprint or "—"), self)
        info.setObjectName("documentInfo")
        layout.addWidget(info)
        self._bytes = QByteArray(document.pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf = QPdfDocument(self)
        self.pdf.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setDocument(self.pdf)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
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
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def save_to(self, path: Path) -> Path:
        path.write_bytes(self.document.pdf)
        return path

    def save_document(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Lưu tài liệu"), self.document.filename,
                                              self.tr("Tài liệu PDF (*.pdf)"))
        if name:
            self.save_to(Path(name))


class DocumentMenu:
    """The "Tài liệu" menu of the main window: each document of the session, the person, the point or the month."""

    def __init__(self, window: "MainWindow") -> None:
        self.window = window
        self.viewers: list[DocumentViewer] = []
        menu = window.menuBar().addMenu(window.tr("&Tài liệu"))
        self.actions: dict[str, QAction] = {}
        entries: list[tuple[str, str, str, Callable[[], DocumentRequest | None]]] = [
            ("sheet-blank", window.tr("Danh sách chi trả (mẫu để ký trên giấy)"), "", self._sheet(DocumentKind.SHEET_BLANK)),
            ("sheet-signed", window.tr("Danh sách chi trả đã ký nhận"), "Ctrl+Shift+P", self._sheet(DocumentKind.SHEET_SIGNED)),
            ("receipt", window.tr("Biên nhận của người đang chọn"), "Ctrl+R", self._receipt),
            ("minutes", window.tr("Biên bản đối chiếu cuối ngày"), "", self._minutes),
            ("notice", window.tr("Thông báo công khai"), "", self._notice),
            ("monthly", window.tr("Báo cáo tháng"), "", self._monthly),
        ]
        for key, label, shortcut, build in entries:
            action = QAction(label, window)
            action.setObjectName(f"document-{key}")
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(lambda _checked=False, build=build: self.open(build()))
            menu.addAction(action)
            self.actions[key] = action
        menu.addSeparator()
        verify = QAction(window.tr("Kiểm tra một tài liệu đã in (PDF)…"), window)
        verify.triggered.connect(self._verify)
        menu.addAction(verify)

    def _session(self):  # -> PayoutSession | None
        session = self.window.session
        if session is None:
            QMessageBox.information(self.window, self.window.tr("Chưa mở phiên"),
                                    self.window.tr("Hãy mở phiên chi trả trước (F2)."))
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
            QMessageBox.information(self.window, self.window.tr("Chưa có khoản chi"),
                                    self.window.tr("Người đang chọn chưa có khoản chi nào để in biên nhận."))
            return None
        return DocumentRequest(DocumentKind.RECEIPT, payment_id=view.payments[-1].entry_id)

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
        """Make the document on the worker, then show it."""
        if request is None:
            return
        store = self.window.store
        self.window.runner.submit(lambda: make_document(store.reports, request), self.show, self.window.fail)

    def show(self, document: RenderedDocument) -> DocumentViewer:
        viewer = DocumentViewer(document, self.window)
        self.viewers.append(viewer)
        viewer.finished.connect(lambda _result, viewer=viewer: self.viewers.remove(viewer))
        viewer.open()
        return viewer

    def _verify(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self.window, self.window.tr("Chọn tài liệu PDF"), "",
                                              self.window.tr("Tài liệu PDF (*.pdf)"))
        if name:
            self.verify_file(Path(name))

    def verify_file(self, path: Path) -> None:
        store = self.window.store
        data = path.read_bytes()
        lang = self.window.lang
        self.window.runner.submit(
            lambda: verify_pdf(store.reports, data),
            lambda result: QMessageBox.information(self.window, self.window.tr("Kiểm tra tài liệu"),
                                                   result.message(lang)),
            self.window.fail,
        )

