"""A dialog's message line that knows what it is about, so an old message never stays after its cause is fixed.

A refusal names its cause (the advance, the reason, the supervisor's sign-in, …). When an input of that cause changes,
the form is asked again: the message goes once the cause is fixed, or says what is still missing. A cause in
``retyped`` (a password refused by the store, a choice the store refused) cannot be judged on screen: typing or
choosing again clears it, and the next try tells.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel

RED = "color:#b71c1c;"

Problem = Callable[[], "tuple[str, str] | None"]
"""The form's first problem now, as (sentence, cause), or None."""


class FormMessage:
    def __init__(self, label: QLabel, problem: Problem, *, retyped: frozenset[str] = frozenset()) -> None:
        self.label = label
        self._problem = problem
        self._retyped = retyped
        self.cause = ""

    def say(self, text: str, cause: str, style: str = RED) -> None:
        """Show ``text`` about ``cause`` ("" for a message no input fixes, such as "Đang ghi…")."""
        self.label.setStyleSheet(style)
        self.label.setText(text)
        self.cause = cause if text else ""

    def clear(self) -> None:
        self.say("", "")

    def recheck(self, cause: str) -> None:
        """An input of ``cause`` changed: clear the message about it once fixed, or name what is still missing."""
        if not self.cause or self.cause != cause:
            return
        if cause in self._retyped:
            self.clear()
            return
        found = self._problem()
        if found is None or found[1] != cause:
            self.clear()
        else:
            self.say(*found)
