"""The console's pages, one module per resource; each module's ``router`` is mounted under ``/console``."""

from __future__ import annotations

from fastapi import APIRouter

from server.web.pages import (
    amendments,
    audit,
    communes,
    contradictions,
    deadlines,
    devices,
    flags,
    lists,
    persons,
    policy,
    postings,
    progress,
    reports,
    signin,
    staff,
    year_report,
)

ROUTERS: list[APIRouter] = [
    signin.router,
    progress.router,
    communes.router,
    flags.router,
    amendments.router,
    contradictions.router,
    lists.router,
    devices.router,
    staff.router,
    audit.router,
    reports.router,
    persons.router,
    year_report.router,
    deadlines.router,
    policy.router,
    postings.router,
]
