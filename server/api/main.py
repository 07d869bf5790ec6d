"""The province server's FastAPI application: the JSON API under ``/api/v1`` and the officers' console.

Everything is wired here and nothing else happens: the body limit, the JSON error handlers, one router per resource
(``routes/``), the OpenAPI schema of the signed bodies, then the console (``server.web``) on the same app.
"""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import Engine

from app.wire import constants
from server import db
from server.api.body_limit import BodyLimit
from server.api.errors import install_error_handlers
from server.api.openapi import document_signed_bodies
from server.api.routes import ROUTERS
from server.replay import NonceBook
from server.settings import ServerSettings


def create_app(settings: ServerSettings, engine: Engine | None = None) -> FastAPI:
    """The API over ``settings.database_url`` (migrated on creation)."""
    engine = engine or db.make_engine(settings.database_url)
    db.migrate(engine)
    app = FastAPI(title="Payout Desk province server", version="1", openapi_url=f"{constants.API}/openapi.json",
                  docs_url=f"{constants.API}/docs", redoc_url=None)
    app.state.engine = engine
    app.state.settings = settings
    app.state.nonces = NonceBook(engine)
    app.add_middleware(BodyLimit, limit=constants.MAX_REQUEST_BYTES)
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router, prefix=constants.API)
    document_signed_bodies(app, ROUTERS, constants.API)
    from server.web.install import install

    app.state.console = install(app, settings, engine)
    return app
