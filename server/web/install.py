"""Mount the console on the API's FastAPI application (same server, same database)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from app.resources import resource_path
from server.settings import ServerSettings
from server.web.console import PREFIX, WEB_FILES, Console, PageError
from server.web.list_jobs import ListJobs
from server.web.pages import ROUTERS


def install(app: FastAPI, settings: ServerSettings, engine: Engine) -> Console:
    console = Console(settings, engine)
    jobs = ListJobs(settings)
    app.state.list_jobs = jobs
    app.router.on_shutdown.append(jobs.close)  # a list still being imported is stopped with the server
    for router in ROUTERS:
        app.include_router(router, include_in_schema=False)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=WEB_FILES / "static"), name="console-static")
    # the same DejaVu fonts as the desktop and the PDFs
    app.mount(f"{PREFIX}/fonts", StaticFiles(directory=resource_path("fonts")), name="console-fonts")

    @app.exception_handler(PageError)
    async def page_error(request: Request, error: PageError) -> Response:
        return console.error_page(request, error)

    return console
