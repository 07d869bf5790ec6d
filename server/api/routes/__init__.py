"""The API's routes, one module per resource; each module's ``router`` is mounted under ``/api/v1``."""

from __future__ import annotations

from fastapi import APIRouter

from server.api.routes import communes, device, enrol, feed, health, journal, staff, tokens

ROUTERS: list[APIRouter] = [health.router, enrol.router, device.router, tokens.router, staff.router, feed.router,
                            communes.router, journal.router]
