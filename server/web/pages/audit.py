"""The audit log page: every console action, newest first, for administrators and province officers."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from server.web.audit import recent
from server.web.console import PREFIX
from server.web.deps import ConsoleDep, SignedIn, require

router = APIRouter(prefix=PREFIX)


@router.get("/audit")
def audit_page(request: Request, officer: SignedIn, console: ConsoleDep, user: str = "") -> Response:
    require(officer.is_admin or officer.is_province)
    with console.engine.connect() as conn:
        rows = recent(conn, 500, user or None)
    return console.render(request, "audit.html", officer, rows=rows, user=user)
