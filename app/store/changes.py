"""What one change at the desk did, as one value the views update themselves from.

Every mutation the desk makes (a payment, a reversal, a back-entry, a session opened or closed, the province's feed
applied by a sync) returns one ``DeskChange``, built on the DB worker in the same task as the mutation: the fact as
stored, the person it concerns read again after COMMIT, their row as the people list shows it, and the session's
progress — either counted afresh or as a ``ProgressDelta`` to add to the figures on screen, because counting everyone
at a point again after each payment would hold up the next search (seconds with tens of thousands at one point).

The window emits it once; the people list, the person panel, the status bar and the session line each take what
concerns them. Nobody re-reads the store by hand after a change, and nobody reaches into another view's widgets.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from app.domain.model import Payment, PayoutSession, Reversal

if TYPE_CHECKING:
    from app.store.desk import PersonRow, SessionProgress
    from app.store.payouts import PersonView


class ChangeKind(StrEnum):
    PAYMENT = "payment"
    BACK_ENTRY = "back_entry"
    REVERSAL = "reversal"
    SESSION_OPENED = "session_opened"
    SESSION_CLOSED = "session_closed"
    FEED = "feed"  # the province's changes, applied by a sync


@dataclass(frozen=True, slots=True)
class ProgressDelta:
    """What a change adds to the session's figures: people fully paid, people with something still payable,
    standing payments; ``pending_sync`` is the exact count of entries not yet accepted by the province, read with the
    change (a sync running meanwhile may have sent some)."""

    people_paid: int = 0
    people_remaining: int = 0
    payments: int = 0
    pending_sync: int | None = None


@dataclass(frozen=True, slots=True)
class DeskChange:
    """One change and everything the views need to show it; see the module docstring."""

    kind: ChangeKind
    session: PayoutSession | None
    """The session the desk works in, as stored after the change (paid total, status)."""
    fact: Payment | Reversal | PayoutSession | None = None
    """The journal fact written: the payment (also a back-entry), the reversal, the session opened or closed."""
    person: PersonView | None = None
    """The person the change concerns, read again after COMMIT (None for a session or a feed)."""
    rows: tuple[PersonRow, ...] = ()
    """Their rows as the people list shows them now."""
    progress: SessionProgress | None = None
    """The session's progress counted afresh (a session opened, a feed applied), else None."""
    delta: ProgressDelta | None = None
    """Or what the change adds to the progress on screen."""
    relist: bool = False
    """The people list must be read again: a feed may have changed anyone (a death, a suspension, a new list)."""
    approved_by: str = ""
    """The full name of the supervisor who approved a correction or a reopening ("" when none was needed)."""
    visit: tuple[Payment, ...] = ()
    """For a payment, every payment of the visit — one per record (agency) of the person, ``fact`` the first."""

    @property
    def record_code(self) -> str | None:
        return self.person.beneficiary.record_code if self.person is not None else None

    @property
    def reversed_payment(self) -> Payment | None:
        """For a reversal, the payment it reversed (with its receipt number), from the person's payments."""
        if not isinstance(self.fact, Reversal) or self.person is None:
            return None
        return next((payment for payment in self.person.payments if payment.entry_id == self.fact.payment_entry_id),
                    None)

    def progress_after(self, shown: SessionProgress | None) -> SessionProgress | None:
        """The session's progress once this change is counted: the fresh count when there is one, else the figures
        on screen plus the delta; None when neither applies (nothing shown yet, another session) — count afresh."""
        if self.progress is not None:
            return self.progress
        if self.delta is None or self.session is None or shown is None:
            return None
        if shown.session.session_id != self.session.session_id:
            return None
        delta = self.delta
        return replace(
            shown,
            session=self.session,
            people_paid=shown.people_paid + delta.people_paid,
            people_remaining=shown.people_remaining + delta.people_remaining,
            payments=shown.payments + delta.payments,
            pending_sync=shown.pending_sync if delta.pending_sync is None else delta.pending_sync,
        )
