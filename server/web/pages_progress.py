"""Sign-in, progress (province summary, communes, payout points, regimes, devices) and the people behind a number."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.domain.period import period_of
from server import flags as flag_review
from server import progress
from server.db import transaction
from server.web import auth
from server.web.audit import record
from server.web.console import PREFIX, Console, PageError, read_form, address

PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
SORTS = {"code": lambda r: r.key, "name": lambda r: r.name, "percent": lambda r: r.counts.percent,
         "unpaid": lambda r: -r.counts.unpaid_lines, "people": lambda r: -r.counts.people}


def valid_period(value: str | None, default: str) -> str:
    if value is None or value == "":
        return default
    if not PERIOD.match(value):
        raise PageError(400, "not_found", f"kỳ không hợp lệ / bad period: {value}")
    return value


def current_list_period(console: Console) -> str:
    """The newest month any list covers (else this month): what the pages show first."""
    from sqlalchemy import text

    with console.engine.connect() as conn:
        latest = conn.execute(text("SELECT max(list_period) FROM list_lines")).scalar()
    return latest or period_of(console.now().date())


def router(console: Console) -> APIRouter:
    routes = APIRouter(prefix=PREFIX)

    def current_period() -> str:
        return current_list_period(console)

    @routes.get("/signin")
    def signin_form(request: Request) -> Response:
        token = auth.new_signin_token()
        response = console.render(request, "signin.html", signin_token=token, error=None)
        response.set_cookie(auth.SIGNIN_COOKIE, token, httponly=True, samesite="strict",
                            secure=request.url.scheme == "https", path=PREFIX)
        return response

    @routes.post("/signin")
    async def signin(request: Request) -> Response:
        form = await read_form(request)
        if not auth.csrf_ok(request.cookies.get(auth.SIGNIN_COOKIE, ""), form.get("csrf")):
            raise PageError(403, "csrf")
        username, password = str(form.get("username", "")), str(form.get("password", ""))
        try:
            with transaction(console.engine) as conn:
                token, officer = auth.sign_in(conn, username, password, address(request), console.now())
                record(conn, officer.username, "sign_in", detail={"address": address(request)}, now=console.now())
        except auth.SignInRefused as refused:
            with transaction(console.engine) as conn:
                if refused.code == "wrong_password":
                    auth.record_failure(conn, username, address(request), console.now())
                record(conn, username.strip()[:64] or "?", "sign_in_refused", reason=refused.code,
                       detail={"address": address(request)}, now=console.now())
            fresh = auth.new_signin_token()
            response = console.render(request, "signin.html", status=401 if refused.code != "rate_limited" else 429,
                                      signin_token=fresh, error=refused.code)
            response.set_cookie(auth.SIGNIN_COOKIE, fresh, httponly=True, samesite="strict", path=PREFIX,
                                secure=request.url.scheme == "https")
            return response
        response = console.redirect(f"{PREFIX}/progress")
        response.set_cookie(auth.COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https",
                            max_age=auth.SESSION_HOURS * 3600, path=PREFIX)
        response.delete_cookie(auth.SIGNIN_COOKIE, path=PREFIX)
        return response

    @routes.post("/signout")
    async def signout(request: Request) -> Response:
        officer = console.officer(request)
        console.check_form(officer, await read_form(request))
        with transaction(console.engine) as conn:
            auth.sign_out(conn, request.cookies.get(auth.COOKIE), console.now())
            record(conn, officer.username, "sign_out", now=console.now())
        response = console.redirect(f"{PREFIX}/signin")
        response.delete_cookie(auth.COOKIE, path=PREFIX)
        return response

    @routes.get("/")
    def home(request: Request) -> Response:
        console.officer(request)
        return console.redirect(f"{PREFIX}/progress")

    @routes.get("/progress")
    def progress_page(request: Request, first: str | None = None, last: str | None = None, sort: str = "code",
                      q: str = "") -> Response:
        officer = console.officer(request)
        latest = current_period()
        first = valid_period(first, latest)
        last = valid_period(last, first)
        if last < first:
            first, last = last, first
        with console.engine.connect() as conn:
            summary = progress.summary(conn, first, last, officer.scope)
            communes = progress.communes(conn, first, last, officer.scope)
            regimes = progress.by_regime(conn, last, officer.scope) if first == last else []
            devices = progress.devices(conn, officer.scope)
            flag_counts = flag_review.counts(conn, officer.scope)
        if q.strip():
            needle = q.strip().lower()
            communes = [row for row in communes if needle in row.name.lower() or needle in row.key.lower()]
        communes.sort(key=SORTS.get(sort, SORTS["code"]))
        return console.render(request, "progress.html", officer, first=first, last=last, sort=sort, q=q,
                              summary=summary, summary_total=progress.total(summary), communes=communes,
                              communes_total=progress.total(communes), regimes=regimes, devices=devices,
                              flag_counts=flag_counts, single=first == last)

    @routes.get("/communes/{code}")
    def commune_page(request: Request, code: str, period: str | None = None) -> Response:
        officer = console.officer(request)
        console.require(officer.may_see(code))
        period = valid_period(period, current_period())
        with console.engine.connect() as conn:
            rows = progress.communes(conn, period, period, [code])
            if not rows:
                raise PageError(404, "not_found")
            points = progress.points(conn, period, code)
            regimes = progress.by_regime(conn, period, [code])
        return console.render(request, "commune.html", officer, commune=rows[0], period=period, points=points,
                              regimes=regimes)

    @routes.get("/people")
    def people_page(request: Request, commune: str, period: str | None = None, state: str = "all",
                    point: str | None = None) -> Response:
        officer = console.officer(request)
        console.require(officer.may_see(commune))
        period = valid_period(period, current_period())
        if state not in ("all", "paid", "unpaid", "carried"):
            state = "all"
        with console.engine.connect() as conn:
            rows = progress.people(conn, period, commune, state, point, officer.scope)
        return console.render(request, "people.html", officer, rows=rows, commune=commune, period=period, state=state,
                              point=point)

    return routes
