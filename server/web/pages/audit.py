"""The audit log page: every console action, newest first, for administrators and province officers — who (by full
name), what (in words), about whom or what (by name) and its details as "label: value" in words, never raw codes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server import province
from server.web import i18n, words
from server.web.audit import recent
from server.web.console import PREFIX
from server.web.deps import ConsoleDep, SignedIn, require

router = APIRouter(prefix=PREFIX)


@router.get("/audit")
def audit_page(request: Request, officer: SignedIn, console: ConsoleDep, user: str = "") -> Response:
    require(officer.is_admin or officer.is_province)
    lang = console.lang(request)
    with console.engine.connect() as conn:
        rows = recent(conn, 500, user[:64] or None)
        names = words.staff_names(conn, [*(row["username"] for row in rows),
                                         *(row["target"] for row in rows if row["action"].startswith("staff_"))])
        communes = dict(province.commune_names(conn))
    say = words.page_sayer(console.policy, lang, lambda code: communes.get(code, code))
    for row in rows:
        row["who"] = names.get(row["username"], row["username"])
        row["target_words"] = target_words(row, say, names, communes)
        row["details"] = words.audit_details(
            row["action"], row["detail"] if isinstance(row["detail"], dict) else {}, say,
            lambda kind, code: i18n.name_of(console.policy, kind, code, lang),
            lambda kind: i18n.flag_text(kind, lang))
    return console.render(request, "audit.html", officer, rows=rows, user=user[:64])


def target_words(row: dict[str, Any], say: words.Sayer, names: dict[str, str], communes: dict[str, str]) -> str:
    """What an action was about, by name: a flag's incident with its person, a staff member's full name, the
    commune (or whole province) of a report; people and devices as ``recent`` names them."""
    action, target = row["action"], row["target"]
    if action.startswith("flag_") and target.startswith("flag "):
        number = target.removeprefix("flag ")
        return f"{say.text('incident')} {number}"
    if action.startswith("staff_"):
        full = names.get(target)
        return f"{full} ({target})" if full and full != target else target
    if action == "report_download":
        return say.text("every_commune") if target == "province" else communes.get(target, target)
    if action == "sign_in_refused" or action in ("sign_in", "sign_out"):
        return ""
    return str(row.get("target_name") or target)
