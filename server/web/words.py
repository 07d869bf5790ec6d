"""Names for the codes the console's tables hold: a teller's full name for a username, a payout point's name for its
id, a device's label, a flag's detail as a sentence — so a page says who, where and what in words, never in codes.

Each lookup reads only the codes a page shows (a few hundred at most), in bounded chunks.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select

from server import schema
from server.web import i18n

CHUNK = 500


def staff_names(conn: Connection, usernames: Iterable[str | None]) -> dict[str, str]:
    """Full names by username (a username the server does not know stays as it is)."""
    wanted = sorted({name for name in usernames if name})
    s = schema.staff.c
    found = {name: name for name in wanted}
    for start in range(0, len(wanted), CHUNK):
        found.update((row[0], row[1] or row[0]) for row in conn.execute(
            select(s.username, s.full_name).where(s.username.in_(wanted[start:start + CHUNK]))))
    return found


def staff_lookup(engine: Engine) -> Callable[[str | None], str]:
    """``staff_name(username)`` for a page's template: the full name, looked up once per username and page."""
    known: dict[str, str] = {}

    def staff_name(username: str | None) -> str:
        if not username:
            return "—"
        if username not in known:
            with engine.connect() as conn:
                known.update(staff_names(conn, [username]))
        return known.get(username, username)

    return staff_name


def point_names(conn: Connection, communes: Iterable[str | None]) -> dict[str, str]:
    """Payout points' names by id, from the places of the communes given (the list's points)."""
    wanted = sorted({code for code in communes if code})
    c = schema.communes.c
    found: dict[str, str] = {}
    for start in range(0, len(wanted), CHUNK):
        for (places,) in conn.execute(select(c.places).where(c.code.in_(wanted[start:start + CHUNK]))):
            try:
                points = json.loads(places).get("points") or ()
            except (ValueError, AttributeError):
                continue
            found.update((str(point["point_id"]), str(point.get("name") or point["point_id"])) for point in points
                         if isinstance(point, dict) and point.get("point_id"))
    return found


def session_points(conn: Connection, session_ids: Iterable[str | None]) -> dict[str, tuple[str | None, str | None]]:
    """Each payout session's (commune, payout point id), from the entry that opened it."""
    wanted = sorted({session for session in session_ids if session})
    e = schema.entries.c
    found: dict[str, tuple[str | None, str | None]] = {}
    for start in range(0, len(wanted), CHUNK):
        for session, commune, payload in conn.execute(
                select(e.session_id, e.commune_code, e.payload)
                .where(e.session_id.in_(wanted[start:start + CHUNK]), e.kind == "session_opened")):
            try:
                point = json.loads(bytes(payload))["body"].get("point_id")
            except (ValueError, KeyError, TypeError, AttributeError):
                point = None
            found[session] = (commune, point)
    return found


def with_names(conn: Connection, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entries (``server.flags.entries_of``) with ``staff_name``, ``point_name`` and ``device_name`` in words."""
    names = staff_names(conn, (entry.get("staff") for entry in entries))
    sessions = session_points(conn, (entry["body"].get("session_id") for entry in entries))
    points = point_names(conn, (commune for commune, _ in sessions.values()))
    out = []
    for number, entry in enumerate(entries, start=1):
        _, point = sessions.get(entry["body"].get("session_id") or "", (None, None))
        out.append(dict(entry, staff_name=names.get(entry.get("staff") or "", entry.get("staff") or "—"),
                        point_name=points.get(point or "", None) if point else None,
                        device_name=entry.get("label") or None, number=number))
    return out


@dataclass(frozen=True)
class Sayer:
    """The page's ways of saying things: a sentence of ``i18n.T`` by key, an amount, a day, a commune, a line."""

    text: Callable[[str], str]
    money: Callable[[Any], str]
    day: Callable[[Any], str]
    commune: Callable[[str], str]
    line: Callable[[str | None], str]
    period: Callable[[str | None], str]
    number: Callable[[Any], str]

    def __call__(self, key: str, **values: Any) -> str:
        try:
            return self.text(key).format(**values)
        except (KeyError, IndexError, ValueError):
            return self.text(key)


def page_sayer(policy: Any, lang: str, commune: Callable[[str], str]) -> Sayer:
    """The ways of saying things on a page in ``lang``: the console's texts, its number formats, its clock, the
    policy's names of lines, and ``commune`` for a commune's name."""
    return Sayer(text=lambda key: i18n.translate(key, lang), money=lambda value: money(value, lang), day=i18n.day,
                 commune=commune, line=lambda key: i18n.line_words(policy, key, lang), period=i18n.period,
                 number=lambda value: i18n.number(value, lang))


def money(value: Any, lang: str) -> str:
    """An amount kept in a flag's or an action's detail (a number, or its text as a device or an older row wrote
    it) in the page's format; text that is not a whole number stays as it is."""
    try:
        return i18n.vnd(int(str(value)), lang)
    except (TypeError, ValueError):
        return str(value) if value is not None else "—"


def detail_sentences(row: dict[str, Any], say: Sayer) -> list[str]:
    """What a flag's detail tells, as sentences in the page's language with every value in words: an amount unlike
    the list, a suspension, a clock, a fork... A double payment and a death say theirs on the page itself (both
    payments; the date of death)."""
    kind, detail = row["kind"], row.get("detail") or {}
    out: list[str] = []
    if kind == "amount_mismatch":
        out.append(say("detail_amount_mismatch", line=say.line(row.get("line_key")),
                       paid=say.money(detail.get("paid")), listed=say.money(detail.get("listed"))))
    elif kind == "paid_while_suspended":
        out.append(say("detail_suspended", reason=detail.get("reason") or "—", start=say.day(detail.get("from"))))
    elif kind == "clock_skew":
        out.append(say("detail_clock_skew", minutes=round(abs(float(detail.get("skew_seconds") or 0)) / 60)))
    elif kind == "revoked_device":
        out.append(say("detail_revoked", at=say.day(detail.get("revoked_at"))))
    elif kind == "fork":
        out.append(say("detail_fork", seq=detail.get("seq")))
    elif kind == "chain_break":
        out.append(say("detail_chain_break", seq=detail.get("seq")))
    elif kind == "closure_mismatch":
        out.append(say("detail_closure", device_payments=detail.get("device_payments"),
                       device_total=say.money(detail.get("device_total")),
                       server_payments=detail.get("server_payments"),
                       server_total=say.money(detail.get("server_total"))))
    elif kind == "proxy_overuse":
        out.append(say("detail_proxy", people=detail.get("people"), limit=detail.get("limit")))
    elif kind == "other_commune":
        for reason in detail.get("reasons") or ():
            out.append(say(f"detail_{reason}",
                           day_commune=say.commune(detail.get("session_commune") or "") or "—",
                           person_commune=say.commune(detail.get("person_commune") or "") or "—"))
    elif kind == "amount_out_of_range":
        out.append(say("detail_out_of_range", limit=say.money(detail.get("max_line_amount"))))
    elif kind == "bad_content":
        out.append(say("detail_bad_content"))
    return out


AUDIT_LABELS = {
    "address": "from_address", "period": "period", "agency": "agency", "communes": "communes_count",
    "people": "people", "lines": "lines", "contradictions": "contradictions", "refused": "refused_rows",
    "date_of_death": "date_of_death", "death": "date_of_death", "representative": "representative",
    "representative_id": "id_number",
    "line": "line", "amount": "amount", "suspend": "reason", "commune": "commune", "name": "name",
    "first": "record", "second": "other_record", "subject": "kind", "contradiction": "contradiction",
    "outcome": "outcome", "write_off": "write_off", "kind": "kind", "pending": "state", "flags": "flag_count",
    "record_code": "record_code", "role": "role", "format": "format", "programme": "programme", "regime": "regime",
    "new_line": "new_line",
}
"""What each detail an action records is called on the audit page (keys of ``i18n.T``); other details are not
shown (they are kept in the log for investigators)."""


def _old_text(value: Any) -> Any:
    """A detail written before details were plain values: a tuple's text ("('Tên', None)") read back safely."""
    if isinstance(value, str) and value[:1] + value[-1:] in ("()", "{}"):
        try:
            return ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return value
    return value


def audit_details(action: str, detail: dict[str, Any], say: Sayer, name_of: Callable[[str, str], str],
                  flag_text: Callable[[str], str]) -> list[str]:
    """An audit row's details as "label: value" in words: amounts, days, lines, programmes, roles, agencies,
    communes, outcomes and flag kinds by name; a representative's name with their ID number."""
    out: list[str] = []
    for key, raw in detail.items():
        label = AUDIT_LABELS.get(key)
        value = _old_text(raw)
        if label is None or value in (None, "", [], {}):
            continue
        if key == "representative" and isinstance(value, (tuple, list)):
            text = " — ".join(str(part) for part in value if part)
        elif key == "new_line" and isinstance(value, dict):
            text = ", ".join(part for part in (
                name_of("regime", f"{value.get('programme')}/{value.get('regime')}"),
                name_of("line_kind", str(value.get("kind") or "")), say.period(str(value.get("period") or "")),
                say.money(value.get("amount"))) if part and part != "—")
        elif key == "amount" and isinstance(value, (tuple, list)) and len(value) == 2:
            out.append(f"{say.text('line')}: {say.line(str(value[0]))}")
            label, text = "amount", say.money(value[1])
        elif key in ("amount", "write_off"):
            text = say.money(value)
        elif key in ("date_of_death", "death"):
            text = say.day(str(value))
        elif key == "period":
            text = say.period(str(value))
        elif key == "agency":
            text = say.text("every_agency") if value == "*" else name_of("agency", str(value))
        elif key == "line":
            text = say.line(str(value))
        elif key == "commune":
            text = say.commune(str(value))
        elif key == "communes" and isinstance(value, (list, str)):
            codes = value.split(",") if isinstance(value, str) else value
            text = ", ".join(say.text("all") if code == "*" else say.commune(str(code)) for code in codes if code)
            label = "commune"
        elif key == "outcome":
            text = say.text(f"outcome_{value}")
        elif key == "kind" and action.startswith("flag_"):
            text = flag_text(str(value))
        elif key == "pending":
            text = say.text("pending_approval" if value else "resolved")
        elif key == "role":
            text = name_of("role", str(value))
        elif key == "subject":
            text = name_of("subject", str(value))
        elif isinstance(value, int) and not isinstance(value, bool):
            text = say.number(value)
        else:
            text = str(value)
        out.append(f"{say.text(label)}: {text}")
    return out
