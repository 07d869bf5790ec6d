"""Enrolling this laptop with the province server from the desk, with the one-time code the province officer gives.

Until now enrolment was a command-line step; at a commune office the teller has the code on paper and no terminal.
The dialog checks what it can by itself (an address, a well-formed code, a readable PEM certificate), then runs
``app.sync.enrolment.enrol`` on its own thread: it talks to the network and may wait a minute for a timeout, so it
can run neither on the GUI thread nor behind payments on the ``DbRunner``. ``enrol`` saves nothing unless the server
accepted the code, so a refusal leaves the device exactly as it was and the teller can correct and try again.

A CA bundle chosen from a USB stick is copied into the data folder first: the sync engine reads it at every sync,
long after the stick has gone back in the drawer.
"""

from __future__ import annotations

import platform
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import BadInputError, PayoutError
from app.store.files import write_private
from app.ui.close_day_dialog import removable_drive_folder
from app.ui.errors import error_text
from app.ui.tasks import ThreadTask

if TYPE_CHECKING:
    from app.store.store import Store

EnrolFunction = Callable[..., tuple[str, ...]]
"""``(store, server_url, code, *, label, ca_bundle) -> communes``: the real ``enrol``, or a fake in tests."""

CA_FILE_NAME = "province-ca.pem"
MAX_CA_BYTES = 1_000_000
"""A province's CA bundle is a few kilobytes; anything much bigger is not one."""
CODE_LENGTH = 12  # ABCD-EFGH-JKLM without the dashes
GREEN, RED = "#1b5e20", "#b71c1c"


def default_enrol(store: Store, server_url: str, code: str, *, label: str = "",
                  ca_bundle: str | None = None) -> tuple[str, ...]:
    """The real enrolment; imported on the worker thread so opening the window does not load the HTTP stack."""
    from app.sync.enrolment import enrol

    return enrol(store, server_url, code, label=label, ca_bundle=ca_bundle)


def normalise_code(text: str) -> str | None:
    """``abcd efgh-jklm`` → ``ABCD-EFGH-JKLM``; None when it is not twelve letters and digits."""
    raw = re.sub(r"[\s\-]", "", text).upper()
    if len(raw) != CODE_LENGTH or not re.fullmatch(r"[A-Z0-9]+", raw):
        return None
    return "-".join(raw[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_url(text: str) -> str | None:
    """The address as typed, with ``https://`` added when no scheme was given; None when there is no host."""
    url = text.strip()
    if not url:
        return None
    if "://" not in url:
        url = "https://" + url
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not host:
        return None
    return url.rstrip("/")


class CaBundleError(Exception):
    """The chosen certificate file cannot be used (``missing`` or ``not_pem``)."""

    def __init__(self, reason: str, path: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path = path


def install_ca_bundle(source: str, folder: Path) -> Path:
    """Copy a PEM bundle into the data folder (worker thread); the copy is what the enrolment records."""
    path = Path(source)
    if not path.is_file():
        raise CaBundleError("missing", source)
    if path.stat().st_size > MAX_CA_BYTES:
        raise CaBundleError("not_pem", source)
    data = path.read_bytes()
    if b"-----BEGIN CERTIFICATE-----" not in data:
        raise CaBundleError("not_pem", source)
    target = folder / CA_FILE_NAME
    if path.resolve() != target.resolve():
        write_private(target, data)  # atomically, 0600 like everything in the data folder
    return target


def enrol_with_bundle(enrol: EnrolFunction, store: Store, url: str, code: str, label: str,
                      ca_source: str | None) -> tuple[str, ...]:
    """Runs on the enrolment thread: install the CA bundle, enrol, and take the bundle back out on any refusal."""
    existing = store.sync.enrolment()
    if existing is not None:  # checked before the data folder's certificate is touched
        raise BadInputError("already_enrolled", server=existing.server_url)
    bundle = install_ca_bundle(ca_source, Path(store.folder)) if ca_source else None
    try:
        return enrol(store, url, code, label=label, ca_bundle=str(bundle) if bundle else None)
    except BaseException:
        if bundle is not None and bundle.resolve() != Path(ca_source or "").resolve():
            bundle.unlink(missing_ok=True)  # nothing half-saved: the refused attempt leaves no file behind
        raise


class EnrolForm(QWidget):
    """Server address, one-time code, optional CA bundle and device name, and the "Đăng ký" button; ``enrolled``
    carries the communes. Used by the menu's ``EnrolDialog`` and by the first-run screen (``app.ui.first_run``)."""

    enrolled = Signal(object)  # tuple[str, ...]: the communes this device now serves
    failed = Signal(object)  # BaseException of a refused enrolment, once the refusal is on screen
    busyChanged = Signal(bool)

    def __init__(self, store: Store, lang: str, *, enrol: EnrolFunction | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("enrolForm")
        self._store = store
        self._lang = lang
        self._enrol = enrol or default_enrol
        self.url = ""
        self._task = ThreadTask("payout-desk-enrol", self)
        self._task.finished.connect(self._succeeded)
        self._task.failed.connect(self._refused)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        intro = QLabel(self.tr("Cán bộ tỉnh cấp địa chỉ máy chủ và một mã đăng ký dùng một lần. Sau khi đăng ký, "
                               "máy gửi các khoản đã chi lên tỉnh và nhận danh sách chi trả, tài khoản nhân viên từ "
                               "máy chủ tỉnh."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        self.server = QLineEdit(self)
        self.server.setObjectName("serverUrl")
        self.server.setPlaceholderText("https://")
        form.addRow(self.tr("Địa chỉ máy chủ tỉnh"), self.server)
        self.code = QLineEdit(self)
        self.code.setObjectName("enrolCode")
        self.code.setPlaceholderText("ABCD-EFGH-JKLM")
        self.code.setMaxLength(20)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        fixed.setPointSizeF(self.font().pointSizeF())
        self.code.setFont(fixed)  # easier to check letter by letter against the paper
        self.code.textEdited.connect(self._upper_code)
        form.addRow(self.tr("Mã đăng ký"), self.code)
        ca_row = QHBoxLayout()
        self.ca_bundle = QLineEdit(self)
        self.ca_bundle.setObjectName("caBundle")
        self.ca_bundle.setPlaceholderText(self.tr("Không bắt buộc"))
        self.ca_bundle.setToolTip(self.tr("Chỉ cần khi máy chủ tỉnh dùng chứng chỉ riêng của tỉnh: chọn tệp .pem do "
                                          "tỉnh cấp"))
        self.ca_bundle.setClearButtonEnabled(True)
        self.choose_ca = QPushButton(self.tr("Chọn tệp…"), self)
        self.choose_ca.setObjectName("chooseCa")
        self.choose_ca.setAutoDefault(False)
        self.choose_ca.clicked.connect(self._choose_ca)
        ca_row.addWidget(self.ca_bundle, 1)
        ca_row.addWidget(self.choose_ca)
        form.addRow(self.tr("Chứng chỉ CA của tỉnh"), ca_row)
        self.device_name = QLineEdit(platform.node(), self)
        self.device_name.setObjectName("deviceName")
        self.device_name.setMaxLength(80)
        form.addRow(self.tr("Tên máy"), self.device_name)
        layout.addLayout(form)

        self.progress = QProgressBar(self)
        self.progress.setObjectName("enrolBusy")
        self.progress.setRange(0, 0)  # "working", no percentage
        self.progress.setTextVisible(False)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.message = QLabel("", self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.confirm = QPushButton(self.tr("Đăng ký"), self)
        self.confirm.setObjectName("enrolButton")
        self.confirm.clicked.connect(self.submit)
        self._inputs: list[QWidget] = [self.server, self.code, self.ca_bundle, self.choose_ca, self.device_name,
                                       self.confirm]

    def hold_while_busy(self, *widgets: QWidget) -> None:
        """Disable these too while the enrolment runs (the owner's cancel or back button)."""
        self._inputs.extend(widgets)

    # --- state ----------------------------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """True while the enrolment runs (its answer must be heard before the screen may close)."""
        return self._task.running

    def _set_busy(self, busy: bool) -> None:
        for widget in self._inputs:
            widget.setEnabled(not busy)
        self.progress.setVisible(busy)
        self.busyChanged.emit(busy)

    def say(self, text: str, color: str = "") -> None:
        self.message.setStyleSheet(f"color:{color};" if color else "")
        self.message.setText(text)

    def _refuse(self, text: str, focus: QWidget) -> None:
        self.say(text, RED)
        focus.setFocus()

    # --- input ----------------------------------------------------------------------------------------------------

    def _upper_code(self, text: str) -> None:
        if text != text.upper():
            position = self.code.cursorPosition()
            self.code.setText(text.upper())
            self.code.setCursorPosition(position)

    def _choose_ca(self) -> None:
        start = self.ca_bundle.text().strip() or removable_drive_folder()
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Chọn tệp chứng chỉ CA của tỉnh"), start,
            self.tr("Chứng chỉ (*.pem *.crt);;Mọi tệp (*)"))
        if path:
            self.ca_bundle.setText(path)

    def submit(self) -> None:
        """Check the form, then enrol in the background."""
        if self.busy:
            return
        url = normalise_url(self.server.text())
        if url is None:
            self._refuse(self.tr("Nhập địa chỉ máy chủ tỉnh, ví dụ https://chitra.example.vn"), self.server)
            return
        if not self.code.text().strip():
            self._refuse(self.tr("Nhập mã đăng ký do cán bộ tỉnh cấp (dạng ABCD-EFGH-JKLM)"), self.code)
            return
        code = normalise_code(self.code.text())
        if code is None:
            self._refuse(self.tr("Mã đăng ký gồm 12 chữ và số, dạng ABCD-EFGH-JKLM: kiểm tra lại mã"), self.code)
            return
        self.server.setText(url)
        self.code.setText(code)
        self.url = url
        label = self.device_name.text().strip()
        ca_source = self.ca_bundle.text().strip() or None
        store, enrol = self._store, self._enrol
        self._set_busy(True)
        self.say(self.tr("Đang đăng ký với máy chủ tỉnh {url}…").format(url=url))
        self._task.start(lambda: enrol_with_bundle(enrol, store, url, code, label, ca_source))

    # --- the answer -----------------------------------------------------------------------------------------------

    def success_text(self, communes: tuple[str, ...]) -> str:
        return self.tr("Đã đăng ký máy với máy chủ tỉnh {url}. Máy này chi trả cho {count} xã: {communes}. "
                       "Đang đồng bộ lần đầu để nhận danh sách chi trả và tài khoản nhân viên.").format(
            url=self.url, count=len(communes), communes=", ".join(communes))

    def _succeeded(self, communes: tuple[str, ...]) -> None:
        self._set_busy(False)
        self.say(self.success_text(tuple(communes)), GREEN)
        self.enrolled.emit(tuple(communes))

    def _refused(self, error: BaseException) -> None:
        self._set_busy(False)
        code = getattr(error, "code", "")
        if code in ("bad_enrol_code", "enrol_code_expired"):
            focus: QWidget = self.code
        elif code == "tls" or isinstance(error, CaBundleError):
            focus = self.ca_bundle
        else:
            focus = self.server
        self._refuse(self.error_text(error), focus)
        self.failed.emit(error)

    def error_text(self, error: BaseException) -> str:
        """A refusal in the teller's words: what went wrong and what to do."""
        if isinstance(error, CaBundleError):
            if error.reason == "missing":
                return self.tr("Không tìm thấy tệp chứng chỉ {path}").format(path=error.path)
            return self.tr("Tệp {path} không phải chứng chỉ dạng PEM (phải có dòng -----BEGIN CERTIFICATE-----): "
                           "xin tỉnh tệp .pem").format(path=error.path)
        if isinstance(error, BadInputError) and error.code == "insecure_server":
            return self.tr("Địa chỉ máy chủ phải bắt đầu bằng https:// (http:// chỉ dùng cho máy chủ chạy trên "
                           "chính máy này): {url}").format(url=self.url)
        if isinstance(error, PayoutError):
            return error_text(error, self._lang)
        from app.sync.client import NETWORK, SERVER, SyncError  # already loaded by the enrolment thread

        if not isinstance(error, SyncError):
            return error_text(error, self._lang)
        if error.code == "bad_enrol_code":
            return self.tr("Mã đăng ký không đúng hoặc đã được dùng. Kiểm tra lại mã, hoặc xin cán bộ tỉnh cấp mã "
                           "mới.")
        if error.code == "enrol_code_expired":
            return self.tr("Mã đăng ký đã hết hạn. Xin cán bộ tỉnh cấp mã mới.")
        if error.code == "tls":
            return self.tr("Không tin được chứng chỉ của máy chủ {url}. Chọn tệp chứng chỉ CA do tỉnh cấp, hoặc "
                           "kiểm tra lại địa chỉ.").format(url=self.url)
        if error.kind == NETWORK:
            return self.tr("Không kết nối được máy chủ tỉnh {url}. Kiểm tra mạng và địa chỉ máy chủ rồi thử "
                           "lại.").format(url=self.url)
        if error.kind == SERVER:
            return self.tr("Máy chủ tỉnh đang gặp lỗi ({code}). Thử lại sau ít phút.").format(code=error.code)
        if error.code == "device_exists":
            return self.tr("Tỉnh đã có một máy mang mã máy này. Báo cán bộ tỉnh kiểm tra danh sách máy.")
        if error.kind == "bad_answer":
            return self.tr("Địa chỉ {url} không trả lời như máy chủ chi trả của tỉnh: kiểm tra lại địa chỉ.").format(
                url=self.url)
        return self.tr("Máy chủ tỉnh từ chối đăng ký ({code}: {detail}). Báo cán bộ tỉnh.").format(
            code=error.code, detail=error.message)


class EnrolDialog(QDialog):
    """The menu's enrolment (a laptop already in use without a server): the ``EnrolForm`` with a cancel button; it
    closes on success, leaving the success sentence on the window, and cannot be closed while enrolling."""

    enrolled = Signal(object)  # tuple[str, ...]: the communes this device now serves
    failed = Signal(object)  # BaseException of a refused enrolment, once the refusal is on screen

    def __init__(self, store: Store, lang: str, *, enrol: EnrolFunction | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("enrolDialog")
        self.setWindowTitle(self.tr("Đăng ký máy với máy chủ tỉnh"))
        self.setMinimumWidth(560)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        self.form = EnrolForm(store, lang, enrol=enrol, parent=self)
        layout.addWidget(self.form)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.form.confirm, QDialogButtonBox.ButtonRole.AcceptRole)
        self.form.confirm.setDefault(True)
        self.cancel = buttons.addButton(self.tr("Hủy"), QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel.setObjectName("cancelButton")
        self.cancel.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.form.hold_while_busy(self.cancel)
        self.form.enrolled.connect(self._succeeded)
        self.form.failed.connect(self.failed.emit)
        form = self.form
        self.server, self.code, self.ca_bundle, self.choose_ca = form.server, form.code, form.ca_bundle, form.choose_ca
        self.device_name, self.progress, self.message, self.confirm = (form.device_name, form.progress, form.message,
                                                                       form.confirm)
        self.server.setFocus()

    @property
    def busy(self) -> bool:
        return self.form.busy

    def submit(self) -> None:
        self.form.submit()

    def error_text(self, error: BaseException) -> str:
        return self.form.error_text(error)

    def success_text(self, communes: tuple[str, ...]) -> str:
        return self.form.success_text(communes)

    def reject(self) -> None:
        if self.busy:
            return
        super().reject()

    def _succeeded(self, communes: tuple[str, ...]) -> None:
        text = self.form.success_text(tuple(communes))
        owner = self.parentWidget()
        if owner is not None:  # the dialog closes at once; the window keeps the sentence on screen
            box = QMessageBox(QMessageBox.Icon.Information, self.tr("Đã đăng ký máy"), text,
                              QMessageBox.StandardButton.Ok, owner)
            box.setObjectName("enrolDone")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
        self.enrolled.emit(tuple(communes))
        self.accept()
