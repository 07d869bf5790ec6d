"""Journal entries and list fragments as JSON: the shapes an upload and the change feed carry.

An upload entry carries the journal row as stored — the payload's canonical bytes as text (the server re-hashes
exactly those bytes) and the signature strokes as base64. A list fragment carries the same domain values the list
reader makes (``ParsedList``), so a list read at the province arrives on the device as if read there. Reading is
strict about what money depends on (an amount must be a non-negative integer) and lenient about what was added later
(optional fields have defaults), so a newer server's extra fields never stop an older device.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from app.domain.amendments import hold_data, hold_from_data
from app.domain.identity import MAX_DECISION_TEXT, LinkAction, PersonLink
from app.domain.model import (
    Authorisation,
    Beneficiary,
    BeneficiaryStatus,
    Commune,
    EntitlementLine,
    Gender,
    LineKind,
    PaymentMethod,
    PayoutPoint,
    Province,
    Representative,
    ScheduleSlot,
    Suspension,
    Village,
    person_values,
)
from app.domain.policy_notices import (
    MAX_BODY,
    MAX_CODE,
    MAX_EXPLANATION,
    MAX_REASON,
    MAX_TITLE,
    PolicyNotice,
    ProvinceExplanation,
)
from app.lists.parsed import ParsedList
from app.wire.errors import ProtocolError

# --- journal batches ------------------------------------------------------------------------------------------------


def entry_to_wire(seq: int, entry_id: str, kind: str, prev_hash: str, entry_hash: str, payload: bytes,
                  signature: bytes | None) -> dict[str, Any]:
    """One upload entry: the journal row with its canonical payload as text and its signature strokes in base64."""
    return {
        "seq": seq,
        "entry_id": entry_id,
        "kind": kind,
        "prev_hash": prev_hash,
        "entry_hash": entry_hash,
        "payload": payload.decode("utf-8"),
        "signature": base64.b64encode(signature).decode("ascii") if signature is not None else None,
    }


def with_attachment(wire_entry: dict[str, Any], attachment: bytes | None) -> dict[str, Any]:
    """An upload entry with a posting's photo beside it (``attachment``, base64; issue 13). Additive: an entry without
    one is sent as before, byte for byte, and a server that does not know the field ignores it."""
    if attachment is not None:
        wire_entry["attachment"] = base64.b64encode(attachment).decode("ascii")
    return wire_entry


def decode_attachment(text: Any) -> bytes | None:
    """A posting's photo sent beside its entry (None when absent); ``ProtocolError`` when it is not base64."""
    if text is None:
        return None
    if not isinstance(text, str):
        raise ProtocolError("attachment is not base64")
    return decode_signature(text)


def decode_signature(text: str | None) -> bytes | None:
    """The signature strokes of an upload entry (None for entries without a signature)."""
    if text is None:
        return None
    try:
        return base64.b64decode(text, validate=True)
    except ValueError as error:
        raise ProtocolError("signature is not base64") from error


# --- list fragments -------------------------------------------------------------------------------------------------


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _parse_date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def person_to_wire(person: Beneficiary) -> dict[str, Any]:
    """The person's flat values (``person_values``, as the desk stores them) with the representative nested."""
    data: dict[str, Any] = person_values(person)
    name, id_number = data.pop("representative_name"), data.pop("representative_id_number")
    data["representative"] = {"name": name, "id_number": id_number} if person.representative else None
    data["agency"] = person.agency
    return data


def person_from_wire(data: Mapping[str, Any]) -> Beneficiary:
    rep = data.get("representative")
    return Beneficiary(
        record_code=data["record_code"],
        full_name=data["full_name"],
        commune_code=data["commune_code"],
        category=data["category"],
        birth_year=data.get("birth_year"),
        gender=Gender(data["gender"]) if data.get("gender") else None,
        id_number=data.get("id_number"),
        village=data.get("village"),
        point_id=data.get("point_id"),
        status=BeneficiaryStatus(data.get("status", "active")),
        status_reason=data.get("status_reason", ""),
        date_of_death=_parse_date(data.get("date_of_death")),
        representative=Representative(rep["name"], rep.get("id_number")) if rep else None,
        agency=str(data.get("agency") or "")[:32],
    )


def suspension_to_wire(item: Suspension) -> dict[str, Any]:
    """One dated suspension of the server's history (``people.data["suspensions"]``)."""
    if item.start is None:
        raise ValueError("a suspension in a history must have a start day")
    return {"from": item.start.isoformat(), "to": _date(item.end), "reason": item.reason}


def suspension_from_wire(data: Mapping[str, Any]) -> Suspension:
    return Suspension(
        reason=data.get("reason", ""), start=dt.date.fromisoformat(data["from"]), end=_parse_date(data.get("to"))
    )


def history_from_wire(data: Mapping[str, Any]) -> tuple[Suspension, ...] | None:
    """A stored person's suspension history; None for a person stored before histories were kept."""
    items = data.get("suspensions")
    return None if items is None else tuple(suspension_from_wire(item) for item in items)


hold_to_wire = hold_data
hold_from_wire = hold_from_data


def line_to_wire(line: EntitlementLine) -> dict[str, Any]:
    """A line for the feed and the server's tables. ``hold`` is added only to a held line (additive: the bytes of
    every other line are unchanged, and a device not yet updated reads past it and sees the standing amount)."""
    data: dict[str, Any] = {
        "key": line.key,
        "record_code": line.record_code,
        "period": line.period,
        "list_period": line.list_period,
        "programme": line.programme,
        "regime": line.regime,
        "kind": line.kind.value,
        "amount": line.amount,
        "method": line.method.value,
        "line_id": line.line_id,
        "note": line.note,
    }
    if line.hold is not None:
        data["hold"] = hold_to_wire(line.hold)
    return data


def line_from_wire(data: Mapping[str, Any]) -> EntitlementLine:
    amount = data["amount"]
    if type(amount) is not int or amount < 0:
        raise ProtocolError(f"line {data.get('key')!r}: amount must be a non-negative integer")
    return EntitlementLine(
        key=data["key"],
        record_code=data["record_code"],
        period=data["period"],
        list_period=data["list_period"],
        programme=data["programme"],
        regime=data["regime"],
        kind=LineKind(data["kind"]),
        amount=amount,
        method=PaymentMethod(data.get("method", "cash")),
        line_id=data.get("line_id"),
        note=data.get("note", ""),
        hold=hold_from_wire(data["hold"]) if data.get("hold") else None,
    )


def authorisation_to_wire(item: Authorisation) -> dict[str, Any]:
    return {
        "record_code": item.record_code,
        "proxy_name": item.proxy_name,
        "proxy_id_number": item.proxy_id_number,
        "number": item.number,
        "valid_until": item.valid_until.isoformat(),
        "valid_from": _date(item.valid_from),
    }


def authorisation_from_wire(data: Mapping[str, Any]) -> Authorisation:
    return Authorisation(
        record_code=data["record_code"],
        proxy_name=data["proxy_name"],
        proxy_id_number=data["proxy_id_number"],
        number=data["number"],
        valid_until=dt.date.fromisoformat(data["valid_until"]),
        valid_from=_parse_date(data.get("valid_from")),
    )


def places_to_wire(province: Province, communes: Iterable[Commune], villages: Iterable[Village],
                   points: Iterable[PayoutPoint], schedule: Iterable[ScheduleSlot]) -> dict[str, Any]:
    return {
        "province": {"code": province.code, "name": province.name},
        "communes": [
            {"code": c.code, "name": c.name, "province_code": c.province_code, "district": c.district} for c in communes
        ],
        "villages": [{"commune_code": v.commune_code, "name": v.name} for v in villages],
        "points": [
            {"point_id": p.point_id, "commune_code": p.commune_code, "name": p.name, "address": p.address}
            for p in points
        ],
        "schedule": [
            {"point_id": s.point_id, "day": s.day.isoformat(), "start": s.start.strftime("%H:%M"),
             "end": s.end.strftime("%H:%M")}
            for s in schedule
        ],
    }


def fragment_to_wire(parsed: ParsedList, *, whole_commune: bool) -> dict[str, Any]:
    """A list fragment for the change feed: a commune's whole list, or one person after an amendment.

    ``whole_commune`` tells the device whether lines of ``payout_period`` missing from the fragment were withdrawn for
    the whole commune (a corrected list) or only for the people in it (an amendment).
    """
    fragment = places_to_wire(parsed.province, parsed.communes, parsed.villages, parsed.points, parsed.schedule)
    fragment.update(
        {
            "source": parsed.source,
            "sha256": parsed.sha256,
            "payout_period": parsed.payout_period,
            "agency": parsed.agency,
            "whole_commune": whole_commune,
            "people": [person_to_wire(p) for p in parsed.beneficiaries],
            "authorisations": [authorisation_to_wire(a) for a in parsed.authorisations],
            "lines": [line_to_wire(line) for line in parsed.lines],
        }
    )
    return fragment


def fragment_from_wire(data: Mapping[str, Any]) -> tuple[ParsedList, bool]:
    """The ``ParsedList`` a feed fragment carries, and whether it covers whole communes."""
    try:
        province = Province(data["province"]["code"], data["province"]["name"])
        parsed = ParsedList(
            source=data.get("source", "server"),
            sha256=data.get("sha256", ""),
            payout_period=data["payout_period"],
            province=province,
            communes=tuple(
                Commune(c["code"], c["name"], c["province_code"], c.get("district")) for c in data["communes"]
            ),
            villages=tuple(Village(v["commune_code"], v["name"]) for v in data["villages"]),
            points=tuple(
                PayoutPoint(p["point_id"], p["commune_code"], p["name"], p.get("address", "")) for p in data["points"]
            ),
            schedule=tuple(
                ScheduleSlot(s["point_id"], dt.date.fromisoformat(s["day"]), dt.time.fromisoformat(s["start"]),
                             dt.time.fromisoformat(s["end"]))
                for s in data["schedule"]
            ),
            beneficiaries=tuple(person_from_wire(p) for p in data["people"]),
            authorisations=tuple(authorisation_from_wire(a) for a in data["authorisations"]),
            lines=tuple(line_from_wire(line) for line in data["lines"]),
            agency=str(data.get("agency") or "")[:32],
        )
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, ProtocolError):
            raise
        raise ProtocolError(f"bad list fragment: {error}") from error
    return parsed, bool(data.get("whole_commune"))


# --- decisions about who is one person -------------------------------------------------------------------------------

MAX_LINK_TEXT = MAX_DECISION_TEXT
"""Bound on a decision's reason and author as the wire carries them."""


def person_link_to_wire(link: PersonLink) -> dict[str, Any]:
    """A decision that two records are (not) one person, as a ``person_link`` feed change carries it."""
    return {"first": link.first, "second": link.second, "action": link.action.value, "by": link.by,
            "at": link.at.isoformat(), "reason": link.reason}


def person_link_from_wire(data: Mapping[str, Any]) -> PersonLink:
    """The decision a ``person_link`` change carries; ProtocolError when a part is missing or malformed."""
    try:
        first, second = str(data["first"]), str(data["second"])
        action = LinkAction(data["action"])
        at = dt.datetime.fromisoformat(str(data["at"]))
        by, reason = str(data.get("by", "")), str(data.get("reason", ""))
    except (KeyError, ValueError, TypeError) as error:
        raise ProtocolError(f"bad person_link change: {error}") from None
    if not first or not second or first == second or at.tzinfo is None:
        raise ProtocolError("bad person_link change: two different record codes and an aware time are required")
    if max(len(first), len(second)) > 64 or max(len(by), len(reason)) > MAX_LINK_TEXT:
        raise ProtocolError("bad person_link change: a field is too long")
    return PersonLink(first, second, action, by, at, reason)


# --- the province's clock in the feed (issue 13) ---------------------------------------------------------------------

MAX_TIME_ZONE_NAME = 64
"""Bound on the IANA zone name a feed answer carries (the longest IANA name is about 30 characters)."""


def time_zone_to_feed(zone: str) -> dict[str, str]:
    """The field a feed answer adds to name the province's time zone (``ServerSettings.time_zone``): additive, so a
    device not yet updated reads past it and keeps its own setting."""
    return {"time_zone": zone}


def time_zone_from_feed(answer: Mapping[str, Any]) -> str | None:
    """The province's time zone a feed answer names, or None when it names none (an older server) or the value is
    not a plausible zone name (then the device keeps the zone it has: a bad field must not stop the feed)."""
    zone = answer.get("time_zone")
    if not isinstance(zone, str):
        return None
    zone = zone.strip()
    return zone if 0 < len(zone) <= MAX_TIME_ZONE_NAME else None


# --- the province's policy notices and explanations (issue 13) -----------------------------------------------------


def _moment(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse_moment(value: Any) -> dt.datetime | None:
    if value in (None, ""):
        return None
    moment = dt.datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        raise ValueError("a time without a zone")
    return moment


def policy_notice_to_wire(notice: PolicyNotice) -> dict[str, Any]:
    """A ``policy_notice`` change: the notice as published, or withdrawn (the same notice with ``withdrawn_at``)."""
    return {"notice_id": notice.notice_id, "title": notice.title, "body": notice.body,
            "effective_from": notice.effective_from.isoformat(), "regime": notice.regime, "agency": notice.agency,
            "by": notice.by, "at": _moment(notice.at), "withdrawn_at": _moment(notice.withdrawn_at),
            "withdrawn_reason": notice.withdrawn_reason}


def policy_notice_from_wire(data: Mapping[str, Any]) -> PolicyNotice:
    """The notice a ``policy_notice`` change carries; ProtocolError when a part is missing, malformed or too long."""
    try:
        notice = PolicyNotice(
            notice_id=int(data["notice_id"]), title=str(data["title"]), body=str(data.get("body", "")),
            effective_from=dt.date.fromisoformat(str(data["effective_from"])), regime=str(data.get("regime") or ""),
            agency=str(data.get("agency") or ""), by=str(data.get("by") or ""), at=_parse_moment(data.get("at")),
            withdrawn_at=_parse_moment(data.get("withdrawn_at")),
            withdrawn_reason=str(data.get("withdrawn_reason") or ""))
    except (KeyError, TypeError, ValueError) as error:
        raise ProtocolError(f"bad policy_notice change: {error}") from None
    if (len(notice.title) > MAX_TITLE or len(notice.body) > MAX_BODY or len(notice.withdrawn_reason) > MAX_REASON
            or max(len(notice.regime), len(notice.agency)) > MAX_CODE or len(notice.by) > MAX_DECISION_TEXT):
        raise ProtocolError("bad policy_notice change: a field is too long")
    return notice


def policy_text_to_wire(explanation: ProvinceExplanation) -> dict[str, Any]:
    """A ``policy_text`` change: the province's newest explanation of a regime (it supersedes earlier versions)."""
    return {"version": explanation.version, "regime": explanation.regime, "text": explanation.text,
            "text_en": explanation.text_en, "by": explanation.by, "at": _moment(explanation.at)}


def policy_text_from_wire(data: Mapping[str, Any]) -> ProvinceExplanation:
    try:
        explanation = ProvinceExplanation(
            version=int(data["version"]), regime=str(data["regime"]), text=str(data["text"]),
            text_en=str(data.get("text_en") or ""), by=str(data.get("by") or ""), at=_parse_moment(data.get("at")))
    except (KeyError, TypeError, ValueError) as error:
        raise ProtocolError(f"bad policy_text change: {error}") from None
    if (not explanation.regime or len(explanation.regime) > MAX_CODE or not explanation.text
            or max(len(explanation.text), len(explanation.text_en)) > MAX_EXPLANATION
            or len(explanation.by) > MAX_DECISION_TEXT):
        raise ProtocolError("bad policy_text change: a field is missing or too long")
    return explanation
