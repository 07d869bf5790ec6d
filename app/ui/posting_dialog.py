"""Recording that the public notice was posted: where, on which day, by which commune officer, and a photo if any.

Offered when the teller prints or saves the public notice (thông báo công khai), and from the Tài liệu menu to record
it later. A refused photo (not a JPEG/PNG, too large, unreadable) is said in words under the form, and every field
the teller filled stays as it was: they choose another photo, or save without one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.posting import MAX_NAME, MAX_PLACE
from app.store.postings import StoredPosting
from app.store.store import Store
from app.ui.dates import picked_date
from app.ui.errors import error_text
from app.ui.file_dialogs import open_file
from app.ui.form_message import RED
from app.ui.supervisor import TaskDialog
from app.ui.tasks import DbRunner


class PostingDialog(TaskDialog):
    """Records one posting of the notice of (commune, point, period); ``recorded`` carries what was kept."""

    recorded = Signal(object)  # StoredPosting

    def __init__(self, runner: DbRunner, store: Store, *, commune_code: str, point_id: str, point_name: str,
                 period: str, staff: str, today: dt.date, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.setObjectName("postingDialog")
        self.setWindowTitle(self.tr("Ghi nhận niêm yết thông báo công khai"))
        self._store = store
        self._where = (commune_code, point_id, period, staff)
        self._lang = lang
        self.photo: Path | None = None
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)
        about = QLabel(self.tr("Thông báo chi trả tháng {period} tại {point}: nơi, ngày niêm yết và cán bộ xã đã "
                               "niêm yết.").format(period=f"{period[5:7]}/{period[:4]}", point=point_name), self)
        about.setWordWrap(True)
        layout.addWidget(about)
        form = QFormLayout()
        self.posted_on = QDateEdit(self)
        self.posted_on.setObjectName("postedOn")
        self.posted_on.setCalendarPopup(True)
        self.posted_on.setDisplayFormat("dd/MM/yyyy")
        self.posted_on.setMaximumDate(QDate(today.year, today.month, today.day))
        self.posted_on.setDate(QDate(today.year, today.month, today.day))
        self.place = QLineEdit(self)
        self.place.setObjectName("postingPlace")
        self.place.setMaxLength(MAX_PLACE)
        self.place.setPlaceholderText(self.tr("Ví dụ: bảng tin nhà văn hóa thôn Đông"))
        self.officer = QLineEdit(self)
        self.officer.setObjectName("postingOfficer")
        self.officer.setMaxLength(MAX_NAME)
        self.officer.setPlaceholderText(self.tr("Họ tên cán bộ UBND xã"))
        photo_row = QHBoxLayout()
        self.photo_label = QLabel(self.tr("Không có ảnh"), self)
        self.photo_label.setObjectName("photoName")
        self.choose_photo_button = QPushButton(self.tr("Chọn ảnh…"), self)
        self.choose_photo_button.setObjectName("choosePhoto")
        self.choose_photo_button.clicked.connect(self.choose_photo)
        self.clear_photo_button = QPushButton(self.tr("Bỏ ảnh"), self)
        self.clear_photo_button.setObjectName("clearPhoto")
        self.clear_photo_button.clicked.connect(lambda: self.set_photo(None))
        photo_row.addWidget(self.photo_label, 1)
        photo_row.addWidget(self.choose_photo_button)
        photo_row.addWidget(self.clear_photo_button)
        form.addRow(self.tr("Ngày niêm yết"), self.posted_on)
        form.addRow(self.tr("Nơi niêm yết"), self.place)
        form.addRow(self.tr("Cán bộ xã niêm yết"), self.officer)
        form.addRow(self.tr("Ảnh chụp (không bắt buộc)"), photo_row)
        layout.addLayout(form)
        self.message = QLabel("", self)
        self.message.setObjectName("postingMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(self.tr("Lưu"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("savePosting")
        later = buttons.addButton(self.tr("Để sau"), QDialogButtonBox.ButtonRole.RejectRole)
        later.setObjectName("postingLater")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.set_photo(None)

    def choose_photo(self) -> None:
        path = open_file(self, self.tr("Chọn ảnh chụp bản niêm yết"), self.tr("Ảnh (*.jpg *.jpeg *.png)"))
        if path is not None:
            self.set_photo(path)

    def set_photo(self, path: Path | None) -> None:
        self.photo = path
        self.photo_label.setText(path.name if path else self.tr("Không có ảnh"))
        self.clear_photo_button.setEnabled(path is not None)
        self.message.setText("")

    def save(self) -> None:
        """Keep the posting on the worker; a refusal is shown here and every field stays as typed."""
        commune, point, period, staff = self._where
        posted_on, place, officer, photo, store = (picked_date(self.posted_on), self.place.text(),
                                                   self.officer.text(), self.photo, self._store)
        self.save_button.setEnabled(False)
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Đang lưu…"))
        self.submit(lambda: store.postings.record(commune_code=commune, point_id=point, period=period,
                                                  posted_on=posted_on, place=place, officer_name=officer,
                                                  staff=staff, photo=photo),
                    self._saved, self._refused, writes=True)

    def _saved(self, posting: StoredPosting) -> None:
        self.recorded.emit(posting)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.message.setStyleSheet(RED)
        self.message.setText(error_text(error, self._lang))
