"""Security headers on every answer of the server: console pages, errors, redirects, static files and the JSON API.

The console is rendered on the server with local CSS, fonts and one local script (the print button), so its policy
allows nothing else: no inline script or style, no frames around it, no other site's images, forms posting only
here. A browser that follows a crafted link, or a page that puts the console in a frame, can then run nothing and
click nothing. The API's interactive documentation (Swagger UI, loaded from a CDN) is the one page without the
content policy; it keeps the other headers.

The middleware wraps the whole application, outside Starlette's error handling, so an unexpected error's 500 carries
the headers too. HSTS is sent only over HTTPS (directly, or as a trusted reverse proxy says with
``X-Forwarded-Proto``): over plain HTTP on loopback it would mean nothing.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.wire import constants

CONTENT_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
                  "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
ALWAYS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
HSTS = "max-age=31536000"
"""One year. Not ``includeSubDomains``: the province's other sites under the same domain are not ours to decide."""
WITHOUT_CONTENT_POLICY = (f"{constants.API}/docs", f"{constants.API}/docs/oauth2-redirect")


class SecurityHeaders:
    """ASGI middleware adding ``ALWAYS``, ``Content-Security-Policy`` and, over HTTPS, HSTS to every answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        add = dict(ALWAYS)
        if scope.get("path") not in WITHOUT_CONTENT_POLICY:
            add["Content-Security-Policy"] = CONTENT_POLICY
        if scope.get("scheme") == "https":
            add["Strict-Transport-Security"] = HSTS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in add.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
