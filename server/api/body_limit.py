"""Request bodies above the limit are refused (413 ``too_large``) while they stream in, never read whole first."""

from __future__ import annotations

import json
from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyLimit:
    """Pure ASGI middleware: a declared Content-Length over the limit is refused at once, a longer stream on the way.

    ``wider`` gives a few (method, path) pairs a larger limit of their own: the console's list upload carries a
    province's list file (up to the list reader's own bound, far above what any API call needs), and is streamed to
    disk by its form reader. A refusal on a console page is a short page in words, an API refusal the API's JSON."""

    def __init__(self, app: ASGIApp, limit: int, wider: Mapping[tuple[str, str], int] | None = None,
                 console_prefix: str = "/console") -> None:
        self.app, self.limit, self.wider, self.console_prefix = app, limit, dict(wider or {}), console_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.wider.get((scope.get("method", ""), scope.get("path", "")), self.limit)
        page = str(scope.get("path", "")).startswith(self.console_prefix)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(send, limit, page)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _BodyTooLarge()
            return message

        try:
            await self.app(scope, limited, send)
        except _BodyTooLarge:
            await _too_large(send, limit, page)


class _BodyTooLarge(Exception):
    pass


async def _too_large(send: Send, limit: int, page: bool) -> None:
    if page:
        megabytes = limit // (1024 * 1024)
        body = ("<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><title>Tệp quá lớn</title>"
                f"<p>Tệp hoặc biểu mẫu gửi lên quá lớn (tối đa {megabytes} MB). Hãy quay lại và chọn tệp nhỏ hơn.</p>"
                f"<p lang=\"en\">The file or form sent is too large (at most {megabytes} MB). Go back and choose a "
                "smaller file.</p></html>").encode()
        kind = b"text/html; charset=utf-8"
    else:
        body = json.dumps({"code": "too_large", "message": "request body too large"}).encode()
        kind = b"application/json"
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
