"""The flag queue, a flag's evidence (both payments, signatures, devices, tellers), resolutions and approvals."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select

from app.domain.money import parse_vnd
from app.domain.signature import decode_strokes, render_png
from server import flags as review
from server import schema
from server.db import transaction
from server.web.audit import record
from server.web.console import PREFIX, Console, PageError, read_form


def router(console: Console) -> APIRouter:
    routes = APIRouter(prefix=PREFIX)

    def visible_flag(officer, flag_id: int):  # type: ignore[no-untyped-def]
        with console.engine.connect() as conn:
            row = review.flag(conn, flag_id)
        if row is None:
            raise PageError(404, "not_found")
        console.require(officer.may_see(row["commune_code"]))
        return row

    @routes.get("/flags")
    def queue(request: Request, state: str = "open", kind: str = "") -> Response:
        officer = console.officer(request)
        if state not in ("open", "pending", "resolved", "all"):
            state = "open"
        with console.engine.connect() as conn:
            rows = review.queue(conn, officer.scope, state, kind or None)
            counts = review.counts(conn, officer.scope)
        return console.render(request, "flags.html", officer, rows=rows, state=state, kind=kind, counts=counts)

    @routes.get("/flags/{flag_id}")
    def detail(request: Request, flag_id: int) -> Response:
        officer = console.officer(request)
        row = visible_flag(officer, flag_id)
        with console.engine.connect() as conn:
            entries = review.evidence(conn, row)
            history = review.history(conn, flag_id)
        return console.render(request, "flag.html", officer, flag=row, entries=entries, history=history,
                              outcomes=review.OUTCOMES, message=request.query_params.get("done"))

    @routes.post("/flags/{flag_id}/resolve")
    async def resolve(request: Request, flag_id: int) -> Response:
        officer = console.officer(request)
        form = await read_form(request)
        console.check_form(officer, form)
        row = visible_flag(officer, flag_id)
        outcome, reason = str(form.get("outcome", "")), str(form.get("reason", ""))
        try:
            write_off = parse_vnd(form.get("write_off") or "0") if outcome == "write_off" else 0
        except ValueError:
            raise PageError(400, "not_found", "số tiền không hợp lệ / bad amount") from None
        try:
            with transaction(console.engine) as conn:
                result = review.resolve(conn, flag_id, outcome, reason, write_off, officer.username, console.now())
                record(conn, officer.username, "flag_resolve", f"flag {flag_id}", reason,
                       {"outcome": outcome, "write_off": write_off, "kind": row["kind"],
                        "pending": result["pending"]}, now=console.now())
        except review.FlagError as error:
            raise PageError(400, "not_found", error.message) from None
        return console.redirect(f"{PREFIX}/flags/{flag_id}?done=1")

    @routes.post("/flags/{flag_id}/approve")
    async def approve(request: Request, flag_id: int) -> Response:
        officer = console.officer(request)
        form = await read_form(request)
        console.check_form(officer, form)
        visible_flag(officer, flag_id)
        approved = form.get("decision") == "approve"
        reason = str(form.get("reason", ""))
        try:
            with transaction(console.engine) as conn:
                review.approve(conn, flag_id, approved, reason, officer.username, console.now())
                record(conn, officer.username, "flag_approve" if approved else "flag_reject", f"flag {flag_id}",
                       reason, now=console.now())
        except review.FlagError as error:
            raise PageError(400, "not_found", error.message) from None
        return console.redirect(f"{PREFIX}/flags/{flag_id}?done=1")

    @routes.get("/signatures/{entry_id}.png")
    def signature(request: Request, entry_id: str) -> Response:
        officer = console.officer(request)
        with console.engine.connect() as conn:
            row = conn.execute(
                select(schema.signatures.c.strokes, schema.entries.c.commune_code)
                .select_from(schema.signatures.join(schema.entries,
                                                    schema.entries.c.entry_id == schema.signatures.c.entry_id))
                .where(schema.signatures.c.entry_id == entry_id)).first()
        if row is None:
            raise PageError(404, "not_found")
        console.require(officer.may_see(row[1]))
        return Response(render_png(decode_strokes(bytes(row[0]))), media_type="image/png",
                        headers={"Cache-Control": "private, max-age=3600"})

    return routes
