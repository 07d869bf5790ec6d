"""The province's policy notices on the desk ("Thông báo chính sách"): a button in the main window's status bar with
the number of current notices, and the panel listing them (title, from when, about what, the text, who published).

Post staff could not answer people's questions about the regimes (the pilot's first failure); a notice such as a new
reference amount from a date reaches every desk through the change feed (``app.store.policy_notices``) and is read
here. A withdrawn notice is gone from the panel at the next sync.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.policy import PolicyReference
from app.domain.policy_notices import PolicyNotice


def notice_text(notice: PolicyNotice, policy: PolicyReference, lang: str, about_word: str, every_word: str,
                from_word: str) -> str:
    """One notice as the panel lists it: title and date, what it is about, its text, who published it."""
    if notice.regime:
        info = policy.regime(notice.regime)
        about = (info.name_en if lang == "en" else info.name) if info else notice.regime
    elif notice.agency:
        about = policy.agency_name(notice.agency, lang)
    else:
        about = every_word
    head = f"{notice.title} — {from_word} {notice.effective_from:%d/%m/%Y}"
    tail = f"{about_word}: {about}" + (f" · {notice.by}" if notice.by else "")
    return "\n".join((head, notice.body, tail))


class PolicyNoticesDialog(QDialog):
    """The current notices, the newest effective first."""

    def __init__(self, notices: Sequence[PolicyNotice], policy: PolicyReference, lang: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("policyNoticesDialog")
        self.setWindowTitle(self.tr("Thông báo chính sách"))
        self.resize(720, 460)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Thông báo của tỉnh về chính sách, nhận qua đồng bộ. Đọc cho người hưởng khi họ hỏi."),
                       self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget(self)
        self.list.setObjectName("policyNoticeList")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        for notice in notices:
            item = QListWidgetItem(notice_text(notice, policy, lang, self.tr("Về"), self.tr("mọi chế độ"),
                                               self.tr("hiệu lực từ")))
            item.setData(Qt.ItemDataRole.UserRole, notice.notice_id)
            self.list.addItem(item)
        if not notices:
            self.list.addItem(self.tr("Chưa có thông báo chính sách nào."))
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def notice_ids(self) -> list[int]:
        return [int(self.list.item(row).data(Qt.ItemDataRole.UserRole)) for row in range(self.list.count())
                if self.list.item(row).data(Qt.ItemDataRole.UserRole) is not None]


class PolicyNoticesButton(QPushButton):
    """The status bar's button: the number of current notices; opens the panel."""

    def __init__(self, policy: PolicyReference, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("policyNoticesButton")
        self._policy, self._lang = policy, lang
        self._notices: list[PolicyNotice] = []
        self.dialog: PolicyNoticesDialog | None = None
        self.clicked.connect(self.open_panel)
        self.show_notices([])

    def show_notices(self, notices: Sequence[PolicyNotice]) -> None:
        self._notices = list(notices)
        self.setText(self.tr("Thông báo chính sách ({count})").format(count=len(self._notices)))
        self.setStyleSheet("font-weight:bold;color:#0d47a1;" if self._notices else "")

    def notices(self) -> list[PolicyNotice]:
        return list(self._notices)

    def open_panel(self) -> None:
        self.dialog = PolicyNoticesDialog(self._notices, self._policy, self._lang, self.window())
        self.dialog.open()
