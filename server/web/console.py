"""The console's plumbing: templates, rendering in the page's language, redirects, and the error page.

Pages live in ``server/web/pages/`` (one module per resource); who is signed in, the checked form and the other
per-request values come from ``server/web/deps.py``.
"""

from __future__ import annotations

import datetime as dt
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Engine

from app.domain.amendments import describe, fact_words
from server import province
from server.settings import ServerSettings
from server.web import auth, i18n, nav

WEB_FILES = Path(str(files("server.web")))
"""The console's templates and static files: package data of ``server.web`` (importlib.resources), so an installed
wheel serves the same pages as a checkout."""
PREFIX = "/console"


class PageError(Exception):
    """Shown as an HTML page (or a redirect to sign-in for 401).

    ``key`` names what happened (``i18n.ERRORS``); ``params`` fill its sentence, e.g. the amount that was typed.
    """

    def __init__(self, status: int, key: str, **params: Any) -> None:
        super().__init__(key)
        self.status, self.key, self.params = status, key, params


class Console:
    """What every page needs: the settings, the engine, the templates and the policy's names."""

    def __init__(self, settings: ServerSettings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self.env = Environment(loader=FileSystemLoader(WEB_FILES / "templates"), autoescape=select_autoescape(["html"]),
                               trim_blocks=True, lstrip_blocks=True)
        clock = settings.province_time  # the one clock of every time the console shows (stored times are UTC)
        self.env.filters.update(vnd=i18n.vnd, day=lambda value: i18n.day(value, clock), period=i18n.period,
                                number=i18n.number, percent=i18n.percent, local=lambda value: i18n.day(value, clock))
        self.env.filters.update(i18n.FILTERS)  # number formats follow the page's language
        from app.lists.policy import load_policy

        self.policy = load_policy()

    def now(self) -> dt.datetime:
        return self.settings.clock()

    @staticmethod
    def lang(request: Request) -> str:
        chosen = request.query_params.get("lang") or request.cookies.get("pd_lang") or "vi"
        return "en" if chosen == "en" else "vi"

    def signed_in(self, request: Request) -> auth.Officer | None:
        """The officer whose session cookie this request carries, if the session is live."""
        with self.engine.connect() as conn:
            return auth.session_officer(conn, request.cookies.get(auth.COOKIE), self.now())

    def render(self, request: Request, template: str, officer: auth.Officer | None = None, status: int = 200,
               **context: Any) -> HTMLResponse:
        lang = self.lang(request)
        clock = i18n.clock_name(self.settings.province_time, lang)  # a column's "giờ Việt Nam" names the real zone
        page = self.env.get_template(template).render(
            t=lambda key: clock if key == "vietnam_time" else i18n.translate(key, lang),
            flag_text=lambda kind: i18n.flag_text(kind, lang), lang=lang,
            name_of=lambda kind, code: i18n.name_of(self.policy, kind, code, lang),
            line_words=lambda key, **parts: i18n.line_words(self.policy, key, lang, **parts),
            say=lambda contradiction: describe(contradiction, lang, policy=self.policy),
            fact_text=lambda fact: fact_words(fact, lang, policy=self.policy),
            commune_name=self._commune_names(), clock_name=clock,
            deadline_checks=lambda period, agency: self.deadline_checks(officer, period, agency),
            menu=nav.menu(officer), officer=officer, prefix=PREFIX, request=request, path=request.url.path, **context)
        response = HTMLResponse(page, status_code=status)
        if request.query_params.get("lang") in ("vi", "en"):
            response.set_cookie("pd_lang", lang, httponly=True, samesite="strict", max_age=365 * 86400)
        return response

    def deadline_checks(self, officer: auth.Officer | None, period: str, agency: str | None) -> list[Any]:
        """The month's deadlines of ``agency`` (None: each agency with a list that month) in the officer's communes,
        for the summary card a page includes (``_deadlines_card.html``), computed only when the page shows it."""
        from server import deadlines

        if officer is None:
            return []
        with self.engine.connect() as conn:
            codes = [agency] if agency else deadlines.agencies_of_month(conn, period, self.policy)
            return [deadlines.check(conn, period, code, policy=self.policy, clock=self.settings.province_time,
                                    now=self.now(), scope=officer.scope) for code in codes]

    def _commune_names(self) -> Any:
        """``commune_name(code)`` for a page: a commune's name by its code, looked up only when a page asks (the
        header's scope, the staff list), once per code and page."""
        known: dict[str, str] = {}

        def commune_name(code: str) -> str:
            if code not in known:
                with self.engine.connect() as conn:
                    known[code] = province.commune_name(conn, code) or code
            return known[code]

        return commune_name

    @staticmethod
    def redirect(url: str) -> RedirectResponse:
        return RedirectResponse(url, status_code=303)

    def error_page(self, request: Request, error: PageError) -> Response:
        if error.status == 401:
            return self.redirect(f"{PREFIX}/signin")
        officer = None if error.key == "csrf" else self.signed_in(request)
        message = i18n.error_text(error.key, self.lang(request), error.params)
        return self.render(request, "error.html", officer, status=error.status, message=message)
