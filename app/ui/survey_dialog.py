"""The pilot's satisfaction survey, turned towards the person just paid: three questions, one tap each, skippable.

Big buttons and big type (readable by an elderly person across the desk, at 1366×768); one question at a time; a tap
answers and moves on, "Bỏ qua câu này" skips a question, "Không trả lời" ends without counting anything. The answers
are only *counted* (``app.store.survey``): nothing ties them to the person, the payment, or the time.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.survey import ANSWERS, NO, YES, Question
from app.store.store import Store
from app.ui.errors import show_error
from app.ui.supervisor import TaskDialog
from app.ui.tasks import DbRunner

BUTTON_HEIGHT = 96
QUESTION_POINTS = 22
BASE_POINTS = 13


class SurveyDialog(TaskDialog):
    """Asks the three questions; ``counted`` carries how many answers were counted (0 when the person declined)."""

    counted = Signal(int)

    def __init__(self, runner: DbRunner, store: Store, *, day: dt.date, commune_code: str, point_id: str,
                 teller: str, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.setObjectName("surveyDialog")
        self.setWindowTitle(self.tr("Xin ý kiến của ông/bà"))
        self._store = store
        self._where = (day, commune_code, point_id, teller)
        self._lang = lang
        self.answers: dict[str, str] = {}
        self._questions = list(Question)
        self._index = 0
        self.resize(1000, 400)
        base = QFont(self.font())
        base.setPointSize(BASE_POINTS)
        self.setFont(base)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Xin ông/bà cho biết ý kiến — không ghi tên, không ảnh hưởng đến khoản tiền vừa nhận. "
                               "Chạm một ô cho mỗi câu."), self)
        intro.setObjectName("surveyIntro")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.step = QLabel("", self)
        self.step.setObjectName("surveyStep")
        layout.addWidget(self.step)
        self.question = QLabel("", self)
        self.question.setObjectName("surveyQuestion")
        self.question.setWordWrap(True)
        big = QFont(self.font())
        big.setPointSize(QUESTION_POINTS)
        big.setBold(True)
        self.question.setFont(big)
        layout.addWidget(self.question)
        self.choices = QHBoxLayout()
        layout.addLayout(self.choices)
        layout.addStretch(1)
        self.choice_buttons: list[QPushButton] = []
        bottom = QHBoxLayout()
        self.skip_button = QPushButton(self.tr("Bỏ qua câu này"), self)
        self.skip_button.setObjectName("surveySkip")
        self.skip_button.setMinimumHeight(BUTTON_HEIGHT // 2 + 8)
        self.skip_button.clicked.connect(self.skip)
        self.decline_button = QPushButton(self.tr("Không trả lời"), self)
        self.decline_button.setObjectName("surveyDecline")
        self.decline_button.setMinimumHeight(BUTTON_HEIGHT // 2 + 8)
        self.decline_button.clicked.connect(self.decline)
        bottom.addWidget(self.skip_button)
        bottom.addStretch(1)
        bottom.addWidget(self.decline_button)
        layout.addLayout(bottom)
        self._show_question()

    def _labels(self, question: Question) -> dict[str, str]:
        if question is Question.ON_TIME:
            return {YES: self.tr("Có, đúng thời gian"), NO: self.tr("Không")}
        return {"5": self.tr("Rất tốt"), "4": self.tr("Tốt"), "3": self.tr("Bình thường"), "2": self.tr("Chưa tốt"),
                "1": self.tr("Kém")}

    def _text(self, question: Question) -> str:
        if question is Question.ON_TIME:
            return self.tr("Ông/bà được nhận tiền đúng thời gian không?")
        if question is Question.STAFF:
            return self.tr("Thái độ phục vụ của nhân viên bưu điện?")
        return self.tr("Sự hỗ trợ của cán bộ xã?")

    def _show_question(self) -> None:
        for button in self.choice_buttons:
            self.choices.removeWidget(button)
            button.hide()  # at once: deleteLater waits for the event loop
            button.deleteLater()
        self.choice_buttons = []
        question = self._questions[self._index]
        self.step.setText(self.tr("Câu {n}/{total}").format(n=self._index + 1, total=len(self._questions)))
        self.question.setText(self._text(question))
        font = QFont(self.font())
        font.setPointSize(QUESTION_POINTS - 4)
        labels = self._labels(question)
        for answer in ANSWERS[question]:
            button = QPushButton(labels[answer], self)
            button.setObjectName(f"answer-{question.value}-{answer}")
            button.setFont(font)
            button.setMinimumHeight(BUTTON_HEIGHT)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.clicked.connect(lambda _checked=False, answer=answer: self.choose(answer))
            self.choices.addWidget(button)
            self.choice_buttons.append(button)

    def choose(self, answer: str) -> None:
        """One tap: the answer to the question shown, then the next question (or the end)."""
        self.answers[self._questions[self._index].value] = answer
        self._next()

    def skip(self) -> None:
        self._next()

    def decline(self) -> None:
        """The person does not want to answer: nothing is counted, not even answers already tapped."""
        self.answers = {}
        self.counted.emit(0)
        self.reject()

    def _next(self) -> None:
        self._index += 1
        if self._index < len(self._questions):
            self._show_question()
            return
        self._finish()

    def _finish(self) -> None:
        for button in (*self.choice_buttons, self.skip_button, self.decline_button):
            button.setEnabled(False)
        if not self.answers:
            self.counted.emit(0)
            self.accept()
            return
        day, commune, point, teller = self._where
        answers, store = dict(self.answers), self._store
        self.submit(lambda: store.survey.record(day=day, commune_code=commune, point_id=point, teller=teller,
                                                answers=answers),
                    self._counted, self._failed, writes=True)

    def _counted(self, count: int) -> None:
        self.counted.emit(count)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        show_error(self.parentWidget(), error, self._lang)
        self.reject()
