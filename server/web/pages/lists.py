"""Payout lists: the imports so far, and uploading next month's list (province officers only)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.domain.errors import BadInputError, ListImportError
from app.lists.parsed import ParsedList
from server import province
from server.db import transaction
from server.web.audit import record
from server.web.console import PREFIX, Console, PageError
from server.web.deps import CheckedForm, ConsoleDep, SignedIn, require

router = APIRouter(prefix=PREFIX)

MAX_LIST_BYTES = 20 * 1024 * 1024


@router.get("/lists")
def lists_page(request: Request, officer: SignedIn, console: ConsoleDep) -> Response:
    return imports_page(request, console, officer)


@router.post("/lists")
def upload_list(request: Request, officer: SignedIn, form: CheckedForm, console: ConsoleDep) -> Response:
    require(officer.is_province)
    if "file" not in form.files or not form.files["file"][1]:
        raise PageError(400, "no_file")
    filename, data = form.files["file"]
    if len(data) > MAX_LIST_BYTES:
        raise PageError(413, "file_too_large", limit=MAX_LIST_BYTES // (1024 * 1024))
    parsed, errors = read_upload(filename, data, form.text("period").strip() or None, console.lang(request))
    result = None
    if parsed is not None:
        with transaction(console.engine) as conn:
            result = province.import_list(conn, parsed, console.now())
            counts = {key: value for key, value in result.items() if key != "contradictions"}
            record(conn, officer.username, "list_import", filename, "",
                   {"period": parsed.payout_period, **counts,
                    "contradictions": [c.contradiction_id for c in result["contradictions"]]}, now=console.now())
    return imports_page(request, console, officer, errors=errors, result=result, status=400 if errors else 200)


def read_upload(filename: str, data: bytes, period: str | None,
                lang: str) -> tuple[ParsedList | None, list[str] | None]:
    """The uploaded list read with the desktop's reader, or its errors in the page's language (nothing imported)."""
    from app.lists.policy import load_policy
    from app.lists.reader import read_list

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (Path(filename).name or "danh-sach.xlsx")
        path.write_bytes(data)
        try:
            return read_list(path, policy=load_policy(), payout_period=period), None
        except ListImportError as error:
            return None, [row_error.message(lang) for row_error in error.errors]
        except BadInputError as error:
            return None, [error.message(lang)]


def imports_page(request: Request, console: Console, officer: Any, *, errors: list[str] | None = None,
                 result: dict[str, Any] | None = None, status: int = 200) -> Response:
    with console.engine.connect() as conn:
        imports = province.recent_imports(conn, 50)
    return console.render(request, "lists.html", officer, imports=imports, errors=errors, result=result,
                          status=status)
