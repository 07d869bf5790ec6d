"""Amendments (death, suspension, amount, new line, new beneficiary), list upload, devices, staff, audit, reports."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select

from app.domain.errors import BadInputError, ListImportError
from app.domain.model import Beneficiary, Gender
from app.domain.money import parse_vnd
from server import accounts, province, schema
from server.db import transaction
from server.web import auth
from server.web.audit import recent, record
from server.web.console import PREFIX, Console, PageError, read_form
from server.web.pages_progress import valid_period

MAX_LIST_BYTES = 20 * 1024 * 1024


def _day(text: str) -> dt.date:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise PageError(400, "not_found", f"ngày không hợp lệ (dd/mm/yyyy) / bad date: {text}")


def router(console: Console) -> APIRouter:
    routes = APIRouter(prefix=PREFIX)

    def person_in_scope(officer: auth.Officer, record_code: str) -> dict[str, Any]:
        with console.engine.connect() as conn:
            row = conn.execute(select(schema.people).where(schema.people.c.record_code == record_code)).mappings().first()
        if row is None:
            raise PageError(404, "not_found")
        console.require(officer.may_see(row["commune_code"]))
        return dict(row)

    # --- amendments ------------------------------------------------------------------------------------------------

    @routes.get("/amend")
    def amend_page(request: Request, q: str = "", record_code: str = "") -> Response:
        officer = console.officer(request)
        person, lines, found = None, [], []
        with console.engine.connect() as conn:
            if q:
                found = province.find_people(conn, q, officer.scope)
            if record_code:
                row = person_in_scope(officer, record_code)
                person = {**json.loads(row["data"]), "status": row["status"]}
                _, _, current = province.load_person(conn, record_code)
                lines = current
            communes = [code for code in province.commune_codes(conn) if officer.may_see(code)]
        return console.render(request, "amend.html", officer, q=q, found=found, person=person, lines=lines,
                              communes=communes, done=request.query_params.get("done"))

    @routes.post("/amend")
    async def amend(request: Request) -> Response:
        officer = console.officer(request)
        form = await read_form(request)
        console.check_form(officer, form)
        record_code = str(form.get("record_code", ""))
        person_in_scope(officer, record_code)
        action = str(form.get("action", ""))
        reason = str(form.get("reason", "")).strip()
        options: dict[str, Any] = {}
        try:
            if action == "death":
                options["death"] = _day(str(form.get("date_of_death", "")))
                name = str(form.get("representative", "")).strip()
                if name:
                    options["representative"] = (name, str(form.get("representative_id", "")).strip() or None)
            elif action == "suspend":
                options["suspend"] = reason
            elif action == "resume":
                options["resume"] = True
            elif action == "amount":
                options["amount"] = (str(form.get("line_key", "")), parse_vnd(form.get("amount", "")))
            elif action == "new_line":
                options["new_line"] = {"period": str(form.get("period", "")), "programme": str(form.get("programme", "")),
                                       "regime": str(form.get("regime", "")), "kind": str(form.get("kind", "")),
                                       "amount": parse_vnd(form.get("amount", ""))}
                valid_period(options["new_line"]["period"], "")
            else:
                raise PageError(400, "not_found", "thao tác không hợp lệ / unknown action")
        except (ValueError, BadInputError) as error:
            raise PageError(400, "not_found", str(error)) from None
        try:
            with transaction(console.engine) as conn:
                province.amend(conn, record_code, console.now(), **options)
                record(conn, officer.username, f"amend_{action}", record_code, reason,
                       {key: str(value) for key, value in options.items()}, now=console.now())
        except province.AmendError as error:
            raise PageError(400, "not_found", str(error)) from None
        return console.redirect(f"{PREFIX}/amend?record_code={record_code}&done={action}")

    @routes.post("/people/new")
    async def new_person(request: Request) -> Response:
        officer = console.officer(request)
        form = await read_form(request)
        console.check_form(officer, form)
        commune = str(form.get("commune_code", ""))
        console.require(officer.may_see(commune))
        record_code = str(form.get("record_code", "")).strip().upper()
        name = str(form.get("full_name", "")).strip()
        if not record_code or not name or not str(form.get("category", "")).strip():
            raise PageError(400, "not_found", "cần mã hồ sơ, họ tên, loại đối tượng / record code, name, category")
        gender = str(form.get("gender", ""))
        birth = str(form.get("birth_year", "")).strip()
        person = Beneficiary(
            record_code=record_code, full_name=name, commune_code=commune, category=str(form["category"]).strip(),
            birth_year=int(birth) if birth.isdigit() else None, gender=Gender(gender) if gender in ("male", "female") else None,
            id_number=str(form.get("id_number", "")).strip() or None, village=str(form.get("village", "")).strip() or None,
            point_id=str(form.get("point_id", "")).strip() or None,
        )
        try:
            with transaction(console.engine) as conn:
                province.add_person(conn, person, console.now())
                record(conn, officer.username, "person_add", record_code, str(form.get("reason", "")),
                       {"commune": commune, "name": name}, now=console.now())
        except province.AmendError as error:
            raise PageError(400, "not_found", str(error)) from None
        return console.redirect(f"{PREFIX}/amend?record_code={record_code}&done=new_person")

    # --- lists ------------------------------------------------------------------------------------------------------

    @routes.get("/lists")
    def lists_page(request: Request) -> Response:
        officer = console.officer(request)
        with console.engine.connect() as conn:
            imports = conn.execute(select(schema.list_imports).order_by(schema.list_imports.c.import_id.desc())
                                   .limit(50)).mappings().all()
        return console.render(request, "lists.html", officer, imports=imports, errors=None, result=None)

    @routes.post("/lists")
    async def upload_list(request: Request) -> Response:
        officer = console.officer(request)
        form = await read_form(request)
        console.check_form(officer, form)
        console.require(officer.is_province)
        if "file" not in form.files or not form.files["file"][1]:
            raise PageError(400, "not_found", "chưa chọn tệp / no file")
        filename, data = form.files["file"]
        if len(data) > MAX_LIST_BYTES:
            raise PageError(413, "not_found", "tệp quá lớn / file too large")
        errors, result = None, None
        from app.lists.policy import load_policy
        from app.lists.reader import read_list

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / (Path(filename).name or "danh-sach.xlsx")
            path.write_bytes(data)
            period = str(form.get("period", "")).strip() or None
            try:
                parsed = read_list(path, policy=load_policy(), payout_period=period)
            except ListImportError as error:
                errors = [row_error.message(console.lang(request)) for row_error in error.errors]
            except BadInputError as error:
                errors = [error.message(console.lang(request))]
        if errors is None:
            with transaction(console.engine) as conn:
                result = province.import_list(conn, parsed, console.now())
                record(conn, officer.username, "list_import", filename, "",
                       {"period": parsed.payout_period, **result}, now=console.now())
        with console.engine.connect() as conn:
            imports = conn.execute(select(schema.list_imports).order_by(schema.list_imports.c.import_id.desc())
                                   .limit(50)).mappings().all()
        return console.render(request, "lists.html", officer, imports=imports, errors=errors, result=result,
                               status=400 if errors else 200)

    # --- devices ----------------------------------------------------------------------------------------------------

    @routes.get("/devices")
    def devices_page(request: Request) -> Response:
        from server import progress

        officer = console.officer(request)
        with console.engine.connect() as conn:
            devices = progress.devices(conn, officer.scope)
            communes = [code for code in province.commune_codes(conn) if officer.may_see(code)]
        return console.render(request, "devices.html", officer, devices=devices, communes=communes, code=None)

    @routes.post("/devices/{device_id}/revoke")
    async def revoke(request: Request, device_id: str) -> Response:
        officer = console.officer(request)
        form = await read_form(request)
        console.check_form(officer, form)
        with console.engine.connect() as conn:
            row = accounts.device_row(conn, device_id)
        if row is None:
            raise PageError(404, "not_found")
        console.require(officer.is_admin or officer.is_province or
                        all(officer.may_see(code) for code in json.loads(row["communes"])))
        reason = str(form.get("reason", "")).strip()
        with transaction(console.engine) as conn:
            accounts.revoke(conn, device_id, reason, console.now())
            record(conn, officer.username, "device_revoke", device_id, reason, now=console.now())
        return console.redirect(f"{PREFIX}/devices")

    @routes.post("/enrol-codes")
    async def enrol_code(request: Request) -> Response:
        from server import progress

        officer = console.officer(request)
        form = await read_form(request)
        console.check_form(officer, form)
        communes = [str(code) for code in form.getlist("commune") if str(code)]
        console.require(bool(communes) and all(officer.may_see(code) for code in communes))
        with transaction(console.engine) as conn:
            code = accounts.make_enrol_code(conn, communes, console.now(), console.settings.enrol_code_hours,
                                            str(form.get("label", "")))
            record(conn, officer.username, "enrol_code", ",".join(communes), str(form.get("label", "")),
                   now=console.now())
        with console.engine.connect() as conn:
            devices = progress.devices(conn, officer.scope)
            all_communes = [c for c in province.commune_codes(conn) if officer.may_see(c)]
        return console.render(request, "devices.html", officer, devices=devices, communes=all_communes, code=code)

    # --- staff ------------------------------------------------------------------------------------------------------

    @routes.get("/staff")
    def staff_page(request: Request) -> Response:
        officer = console.officer(request)
        console.require(officer.is_admin)
        with console.engine.connect() as conn:
            rows = conn.execute(select(schema.staff).order_by(schema.staff.c.username)).mappings().all()
        return console.render(request, "staff.html", officer, rows=[dict(r, communes=json.loads(r["communes"]))
                                                                     for r in rows], roles=accounts.ROLES)

    @routes.post("/staff")
    async def staff_add(request: Request) -> Response:
        officer = console.officer(request)
        form = await read_form(request)
        console.check_form(officer, form)
        console.require(officer.is_admin)
        communes = [code.strip() for code in str(form.get("communes", "")).split(",") if code.strip()]
        username = str(form.get("username", "")).strip()
        try:
            with transaction(console.engine) as conn:
                accounts.add_user(conn, username, str(form.get("full_name", "")), str(form.get("role", "")),
                                  str(form.get("password", "")), communes, console.now())
                record(conn, officer.username, "staff_save", username, "",
                       {"role": str(form.get("role", "")), "communes": communes}, now=console.now())
        except accounts.AccountError as error:
            raise PageError(400, "not_found", error.message) from None
        return console.redirect(f"{PREFIX}/staff")

    @routes.post("/staff/{username}/active")
    async def staff_active(request: Request, username: str) -> Response:
        officer = console.officer(request)
        form = await read_form(request)
        console.check_form(officer, form)
        console.require(officer.is_admin and username != officer.username)
        active = form.get("active") == "1"
        try:
            with transaction(console.engine) as conn:
                accounts.set_active(conn, username, active, console.now())
                record(conn, officer.username, "staff_enable" if active else "staff_disable", username,
                       str(form.get("reason", "")), now=console.now())
        except accounts.AccountError as error:
            raise PageError(error.status, "not_found", error.message) from None
        return console.redirect(f"{PREFIX}/staff")

    @routes.post("/staff/{username}/password")
    async def staff_password(request: Request, username: str) -> Response:
        officer = console.officer(request)
        form = await read_form(request)
        console.check_form(officer, form)
        console.require(officer.is_admin)
        try:
            with transaction(console.engine) as conn:
                accounts.change_password(conn, username, str(form.get("password", "")), console.now())
                record(conn, officer.username, "staff_password_reset", username, "", now=console.now())
        except accounts.AccountError as error:
            raise PageError(400, "not_found", error.message) from None
        return console.redirect(f"{PREFIX}/staff")

    # --- settlement reports -------------------------------------------------------------------------------------------

    @routes.get("/reports")
    def reports_page(request: Request, period: str | None = None) -> Response:
        from server.web.pages_progress import current_list_period

        officer = console.officer(request)
        period = valid_period(period, current_list_period(console))
        with console.engine.connect() as conn:
            communes = [(code, name) for code, name in conn.execute(
                select(schema.communes.c.code, schema.communes.c.name).order_by(schema.communes.c.code))
                if officer.may_see(code)]
        return console.render(request, "reports.html", officer, period=period, communes=communes)

    @routes.get("/reports/settlement.{fmt}")
    def settlement_file(request: Request, fmt: str, period: str, commune: str | None = None) -> Response:
        from server import settlement
        from server.settlement_pdf import render_settlement_pdf
        from server.settlement_xlsx import render_settlement_xlsx

        officer = console.officer(request)
        if fmt not in ("pdf", "xlsx"):
            raise PageError(404, "not_found")
        period = valid_period(period, "")
        console.require(officer.may_see(commune) if commune else officer.is_province)
        try:
            with console.engine.begin() as conn:
                report = settlement.settlement(conn, period, commune or None, now=console.now())
                record(conn, officer.username, "report_download", commune or "province", "",
                       {"period": period, "format": fmt}, now=console.now())
        except settlement.SettlementError as error:
            raise PageError(400, "not_found", str(error)) from None
        name = f"quyet-toan-{period}{'-' + commune if commune else ''}.{fmt}"
        if fmt == "pdf":
            content, media = render_settlement_pdf(report), "application/pdf"
        else:
            content = render_settlement_xlsx(report)
            media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return Response(content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})

    # --- audit ------------------------------------------------------------------------------------------------------

    @routes.get("/audit")
    def audit_page(request: Request, user: str = "") -> Response:
        officer = console.officer(request)
        console.require(officer.is_admin or officer.is_province)
        with console.engine.connect() as conn:
            rows = recent(conn, 500, user or None)
        return console.render(request, "audit.html", officer, rows=rows, user=user)

    return routes
