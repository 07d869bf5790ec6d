"""Payout lists: the imports so far, and uploading next month's list (province officers only).

An uploaded list is read and imported by a worker process (``server.web.list_jobs``), never by the server itself: a
300,000-line list or a hostile file takes its time and memory there while the server keeps answering the devices.
The upload answers at once with a redirect to the job's page, which refreshes itself (a meta refresh: the console
allows no inline script) until the outcome is there: what was imported with its warnings and the contradictions of
standing amendments (by person, in words), or every error with nothing imported.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from server import facts, province
from server.list_import import AUTO, ListOutcome, agency_choices
from server.web import i18n, inputs
from server.web.console import PREFIX, Console, PageError
from server.web.deps import CheckedForm, ConsoleDep, SignedIn, require
from server.web.list_jobs import JobBusy, ListJob, ListJobs

router = APIRouter(prefix=PREFIX)

REFRESH_SECONDS = 1
"""How often a running job's page reloads itself."""


async def get_list_jobs(request: Request) -> ListJobs:
    return request.app.state.list_jobs


Jobs = Annotated[ListJobs, Depends(get_list_jobs)]


@router.get("/lists")
def lists_page(request: Request, officer: SignedIn, console: ConsoleDep) -> Response:
    return imports_page(request, console, officer)


@router.post("/lists")
def upload_list(request: Request, officer: SignedIn, form: CheckedForm, console: ConsoleDep, jobs: Jobs) -> Response:
    require(officer.is_province)
    upload = form.files.get("file")
    if upload is None or not upload.filename or not upload.size:
        raise PageError(400, "no_file")
    agency = form.text("agency") or AUTO  # the form's default: what the reader detects
    if agency not in (AUTO, *agency_choices()):
        raise PageError(400, "bad_agency")
    if officer.agency is not None and agency != officer.agency:
        raise PageError(403, "forbidden")  # an officer of one agency uploads that agency's lists only
    try:
        job = jobs.start(officer=officer.username, filename=upload.filename, upload=upload.path,
                         period=inputs.period(form.text("period"), "") or None, now=console.now(), agency=agency)
    except JobBusy:
        raise PageError(409, "list_import_busy") from None
    return console.redirect(f"{PREFIX}/lists/jobs/{job.job_id}")


@router.get("/lists/jobs/{job_id}")
def job_page(request: Request, job_id: str, officer: SignedIn, console: ConsoleDep, jobs: Jobs) -> Response:
    require(officer.is_province)
    job = jobs.find(job_id)
    if job is None:
        raise PageError(404, "list_job_not_found")
    return job_view(request, console, officer, job)


def job_view(request: Request, console: Console, officer: Any, job: ListJob) -> Response:
    """The job's page: its progress while it runs (reloading itself), then its outcome and the imports so far."""
    lang = console.lang(request)
    status = job.status()
    state = status.get("state", "starting")
    running = state in ("starting", "reading", "storing")
    context: dict[str, Any] = {"job": job, "state": state, "refresh": REFRESH_SECONDS if running else None}
    if running:
        context["progress"] = i18n.translate(f"list_job_{state}", lang).format(
            file=job.filename, rows=i18n.number(int(status.get("rows") or 0)))
    code = 200
    if state == "finished":
        outcome = ListOutcome.from_json(status.get("outcome") or {})
        if outcome.imported:
            with console.engine.connect() as conn:  # what the list contradicted, said in the page's language
                contradictions = facts.numbered(conn, outcome.contradictions)
            context.update(result=outcome.counts, period=outcome.period, agency=outcome.agency,
                           warnings=outcome.warning_lines(lang),
                           contradictions=contradictions, reconciliation=outcome.reconciliation_lines(lang))
        else:
            context.update(errors=outcome.error_lines(lang))
            code = 400
    elif state == "failed":
        key = str(status.get("code") or "list_import_failed")
        context.update(failure=i18n.error_text(key, lang, status))
        code = 500 if key == "list_import_failed" else 400
    return imports_page(request, console, officer, status=code, **context)


def imports_page(request: Request, console: Console, officer: Any, *, status: int = 200, **context: Any) -> Response:
    with console.engine.connect() as conn:
        imports = province.recent_imports(conn, 50, officer.agency)
    choices = [officer.agency] if officer.agency is not None else [AUTO, *agency_choices()]
    return console.render(request, "lists.html", officer, imports=imports, status=status, agencies=choices,
                          **context)
