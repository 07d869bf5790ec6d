"""The console's plumbing: templates, the signed-in officer, CSRF checks, audit, and HTML errors.

Pages live in ``pages_*.py``; each gets the ``Console`` to render, to find who is signed in and to check a form.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Engine

from server.settings import ServerSettings
from server.web import auth, i18n

HERE = Path(__file__).resolve().parent
PREFIX = "/console"


class PageError(Exception):
    """Shown as an HTML page (or a redirect to sign-in for 401)."""

    def __init__(self, status: int, key: str, detail: str = "") -> None:
        super().__init__(key)
        self.status, self.key, self.detail = status, key, detail


class Console:
    def __init__(self, settings: ServerSettings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self.env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                               trim_blocks=True, lstrip_blocks=True)
        self.env.filters.update(vnd=i18n.vnd, day=i18n.day, period=i18n.period, number=i18n.number,
                                percent=i18n.percent)
        from app.lists.policy import load_policy

        self.policy = load_policy()

    def now(self) -> dt.datetime:
        return self.settings.clock()

    @staticmethod
    def lang(request: Request) -> str:
        chosen = request.query_params.get("lang") or request.cookies.get("pd_lang") or "vi"
        return "en" if chosen == "en" else "vi"

    def officer(self, request: Request) -> auth.Officer:
        with self.engine.connect() as conn:
            officer = auth.session_officer(conn, request.cookies.get(auth.COOKIE), self.now())
        if officer is None:
            raise PageError(401, "signin")
        return officer

    def check_form(self, officer: auth.Officer, form: Any) -> None:
        if not auth.csrf_ok(officer.csrf, form.get("csrf")):
            raise PageError(403, "csrf")

    @staticmethod
    def require(allowed: bool) -> None:
        if not allowed:
            raise PageError(403, "forbidden")

    def render(self, request: Request, template: str, officer: auth.Officer | None = None, status: int = 200,
               **context: Any) -> HTMLResponse:
        lang = self.lang(request)
        page = self.env.get_template(template).render(
            t=lambda key: i18n.translate(key, lang), flag_text=lambda kind: i18n.flag_text(kind, lang), lang=lang,
            name_of=lambda kind, code: i18n.name_of(self.policy, kind, code, lang),
            officer=officer, prefix=PREFIX, request=request, path=request.url.path, **context)
        response = HTMLResponse(page, status_code=status)
        if request.query_params.get("lang") in ("vi", "en"):
            response.set_cookie("pd_lang", lang, httponly=True, samesite="strict", max_age=365 * 86400)
        return response

    @staticmethod
    def redirect(url: str) -> RedirectResponse:
        return RedirectResponse(url, status_code=303)

    def error_page(self, request: Request, error: PageError) -> Response:
        if error.status == 401:
            return self.redirect(f"{PREFIX}/signin")
        officer = None
        if error.key != "csrf":
            try:
                officer = self.officer(request)
            except PageError:
                officer = None
        return self.render(request, "error.html", officer, status=error.status, key=error.key, detail=error.detail)


class Form:
    """A submitted form read whole and closed at once (uploads kept in memory, bounded by the body limit)."""

    def __init__(self, fields: dict[str, list[str]], files: dict[str, tuple[str, bytes]]) -> None:
        self.fields, self.files = fields, files

    def get(self, key: str, default: Any = None) -> Any:
        values = self.fields.get(key)
        return values[0] if values else default

    def getlist(self, key: str) -> list[str]:
        return list(self.fields.get(key, []))

    def __getitem__(self, key: str) -> str:
        return self.fields[key][0]


async def read_form(request: Request) -> Form:
    from starlette.datastructures import UploadFile

    fields: dict[str, list[str]] = {}
    files: dict[str, tuple[str, bytes]] = {}
    async with request.form(max_files=2, max_fields=300) as form:
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                files[key] = (value.filename or "", await value.read())
            else:
                fields.setdefault(key, []).append(value)
    return Form(fields, files)


def address(request: Request) -> str:
    return request.client.host if request.client else "?"


Handler = Callable[..., Any]
