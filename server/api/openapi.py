"""The OpenAPI schema, with the bodies of the routes that read them after authentication.

A signed route takes its body through ``deps.signed_body`` rather than as a FastAPI body parameter (so that the
signature is checked before the body is parsed). FastAPI then does not know the body: this module adds the same
``requestBody`` and component schemas it would have written, so clients and the schema-driven fuzz test see the
contract unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.encoders import jsonable_encoder
from fastapi.openapi.models import OpenAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

REF = "#/components/schemas/{model}"


def document_signed_bodies(app: FastAPI, routers: list[APIRouter], prefix: str) -> None:
    """Make ``app.openapi()`` describe the signed bodies of ``routers`` (included in ``app`` under ``prefix``)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = FastAPI.openapi(app)
            bodies = [(prefix + route.path, method.lower(), model) for router in routers for route in router.routes
                      if isinstance(route, APIRoute) for method in route.methods or ()
                      for model in _body_models(route.dependant)]
            for path, method, model in bodies:
                schema["paths"][path][method]["requestBody"] = {
                    "content": {"application/json": {"schema": {"$ref": REF.format(model=model.__name__)}}},
                    "required": True,
                }
            _, definitions = models_json_schema([(model, "validation") for _, _, model in bodies], ref_template=REF)
            known = schema.setdefault("components", {}).setdefault("schemas", {})
            for name, definition in definitions.get("$defs", {}).items():
                known.setdefault(name, definition)
            schema["components"]["schemas"] = dict(sorted(known.items()))
            # Through FastAPI's own OpenAPI model, as FastAPI does, so the added parts read as it would write them.
            app.openapi_schema = jsonable_encoder(OpenAPI(**schema), by_alias=True, exclude_none=True)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _body_models(dependant: Dependant) -> Iterator[type[BaseModel]]:
    for sub in dependant.dependencies:
        model = getattr(sub.call, "body_model", None)
        if model is not None:
            yield model
        yield from _body_models(sub)
