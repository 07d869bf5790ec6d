"""Offline sign-in policy: how many wrong passwords lock an account, and for how long.

Pure so the store, the UI and the server apply the same numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

MAX_FAILED_ATTEMPTS = 5
LOCKOUT = dt.timedelta(minutes=5)
DEFAULT_IDLE_LOCK = dt.timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class AttemptState:
    failed_attempts: int
    locked_until: dt.datetime | None


def is_locked(state: AttemptState, now: dt.datetime) -> bool:
    return state.locked_until is not None and now < state.locked_until


def after_failure(state: AttemptState, now: dt.datetime) -> AttemptState:
    """One more wrong password; the fifth in a row locks the account for five minutes."""
    attempts = 0 if (state.locked_until is not None and now >= state.locked_until) else state.failed_attempts
    attempts += 1
    if attempts >= MAX_FAILED_ATTEMPTS:
        return AttemptState(0, now + LOCKOUT)
    return AttemptState(attempts, None)


def attempts_left(state: AttemptState) -> int:
    return MAX_FAILED_ATTEMPTS - state.failed_attempts
