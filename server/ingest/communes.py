"""Whether a payment was made inside the communes its device served, and who must see it when it was not.

A payment is never refused for its commune: the cash has left. It is judged by its payout day (session) and person:

- the day's commune must be one the device served **when the day opened** (``DeviceOnFile.communes_at``, from the
  assignment history), so a laptop reassigned while it still held unsent entries is not blamed;
- the person must belong to the day's commune (``app.domain.findings.judge_commune``, the same rule as the desk);
- a payment whose day or person the province does not know cannot be shown to be inside: it is flagged the same way,
  never let through unchecked.

The flag (``other_commune``) is stored with the day's commune (else the person's) and is also shown to the officers
and devices of the person's commune and of the communes the device served, until an officer resolves it. The
payment itself is applied as any other: its lines are held as paid, so paying them again is a double payment, and its
cash counts in the day that paid it.
"""

from __future__ import annotations

from app.domain.findings import Finding, FindingKind
from app.domain.model import Beneficiary
from app.wire import constants
from server.ingest.ledger import Flag
from server.ingest.snapshot import DeviceOnFile, SessionOnFile

UNKNOWN_SESSION = "unknown_session"
UNKNOWN_PERSON = "unknown_person"
DAY_OUTSIDE_DEVICE = "day_outside_device_communes"
PERSON_ELSEWHERE = "person_of_another_commune"


def outside_communes(device: DeviceOnFile, session: SessionOnFile | None, person: Beneficiary | None,
                     domain_finding: Finding | None) -> Flag | None:
    """The ``other_commune`` flag of a payment (None when it is inside), merging the domain's own finding
    (``domain_finding``: the person belongs to another commune than the day's) with what only the server knows."""
    served = device.communes_at(session.opened_at if session else None)
    day_commune = session.commune if session else None
    person_commune = person.commune_code if person else None
    reasons = []
    if session is None or day_commune is None:
        reasons.append(UNKNOWN_SESSION)
    elif day_commune not in served:
        reasons.append(DAY_OUTSIDE_DEVICE)
    if person is None:
        reasons.append(UNKNOWN_PERSON)
    elif domain_finding is not None and domain_finding.kind is FindingKind.OTHER_COMMUNE:
        reasons.append(PERSON_ELSEWHERE)
    if not reasons:
        return None
    also = (set(served) | {person_commune}) - {None, day_commune or person_commune}
    detail = {"reasons": reasons, "session_commune": day_commune, "person_commune": person_commune,
              "device_communes": sorted(served)}
    return Flag(constants.FLAG_OTHER_COMMUNE, detail, also=frozenset(code for code in also if code))


def day_outside_communes(device: DeviceOnFile, session: SessionOnFile | None) -> Flag | None:
    """The ``other_commune`` flag of a payout day opened (with its cash advance) for a commune its device did not
    serve then; None when it did."""
    if session is None:
        return None
    served = device.communes_at(session.opened_at)
    if session.commune in served:
        return None
    detail = {"reasons": [DAY_OUTSIDE_DEVICE], "session_commune": session.commune, "person_commune": None,
              "device_communes": sorted(served)}
    return Flag(constants.FLAG_OTHER_COMMUNE, detail, also=frozenset(served - {session.commune}))
