"""The province server's FastAPI application: the JSON API under ``/api/v1`` and the officers' console.

Everything is wired here and nothing else happens: the trusted reverse proxies and the security headers around
everything, the body limit, the JSON error handlers, one router per resource (``routes/``), the OpenAPI schema of the
signed bodies, then the console (``server.web``) on the same app.
"""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.types import ASGIApp
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from app.wire import constants
from server import db
from server.api.body_limit import BodyLimit
from server.api.errors import install_error_handlers
from server.api.openapi import document_signed_bodies
from server.api.routes import ROUTERS
from server.api.security_headers import SecurityHeaders
from server.replay import NonceBook
from server.settings import ServerSettings


class ProvinceApp(FastAPI):
    """FastAPI with two layers outside even its error handling, so every answer (a 500 too) gets them: the trusted
    reverse proxies' ``X-Forwarded-For``/``-Proto`` (only from ``settings.trusted_proxies``; uvicorn's own handling
    of these headers is turned off where the server is started, ``server.cli.uvicorn_config``), then the security
    headers, which need the scheme the proxy reported."""

    trusted_proxies: tuple[str, ...] = ()

    def build_middleware_stack(self) -> ASGIApp:
        stack: ASGIApp = SecurityHeaders(super().build_middleware_stack())
        if self.trusted_proxies:
            stack = ProxyHeadersMiddleware(stack, trusted_hosts=list(self.trusted_proxies))  # type: ignore[arg-type, assignment]  # uvicorn's ASGI types, narrower than Starlette's
        return stack


def create_app(settings: ServerSettings, engine: Engine | None = None) -> FastAPI:
    """The API over ``settings.database_url`` (migrated on creation)."""
    engine = engine or db.make_engine(settings.database_url)
    db.migrate(engine)
    app = ProvinceApp(title="Payout Desk province server", version="1", openapi_url=f"{constants.API}/openapi.json",
                      docs_url=f"{constants.API}/docs", redoc_url=None)
    app.trusted_proxies = tuple(settings.trusted_proxies)
    app.state.engine = engine
    app.state.settings = settings
    app.state.nonces = NonceBook(engine)
    from server.web.console import PREFIX as CONSOLE
    from server.web.deps import MAX_UPLOAD_BYTES

    upload = MAX_UPLOAD_BYTES + 1024 * 1024  # the list file and the form's few fields around it
    app.add_middleware(BodyLimit, limit=constants.MAX_REQUEST_BYTES, wider={("POST", f"{CONSOLE}/lists"): upload},
                       console_prefix=CONSOLE)
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router, prefix=constants.API)
    document_signed_bodies(app, ROUTERS, constants.API)
    from server.web.install import install

    app.state.console = install(app, settings, engine)
    return app
