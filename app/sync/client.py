"""HTTP to the province server (requests): signed calls, a CA bundle for a private province CA, typed errors.

Plain HTTP is accepted only for a server on this computer (the embedded demo server on loopback); anything else must
be HTTPS, verified against the configured CA bundle (or the system's).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests

from app.domain.errors import BadInputError
from app.wire.constants import API, FEED_PAGE_LIMIT
from app.wire.signing import signed_headers

NETWORK = "network"  # no answer: offline, refused, reset, timed out
SERVER = "server"  # 5xx
GAP = "gap"  # 409 sequence gap: resend from expected_seq
REVOKED = "revoked"
CLOCK = "clock"
REFUSED = "refused"  # any other 4xx: not authentic, not allowed, bad request — the queue waits
BAD_ANSWER = "bad_answer"  # an answer that is not the agreed JSON
RETRYABLE = frozenset({NETWORK, SERVER, GAP, BAD_ANSWER})


class SyncError(Exception):
    """A failed call, with the kind that decides what the engine does next."""

    def __init__(self, kind: str, code: str, message: str, status: int | None = None,
                 extra: Mapping[str, Any] | None = None) -> None:
        super().__init__(f"{kind}: {code}: {message}")
        self.kind, self.code, self.message, self.status = kind, code, message, status
        self.extra = dict(extra or {})

    @property
    def retryable(self) -> bool:
        return self.kind in RETRYABLE


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_server_url(url: str) -> str:
    """The URL without a trailing slash; raises ``BadInputError`` for plain HTTP off this computer."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadInputError("insecure_server", url=url)
    if parts.scheme == "http" and not is_loopback(url):
        raise BadInputError("insecure_server", url=url)
    return url.strip().rstrip("/")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ServerClient:
    """One device's calls to one server. ``private_key`` None: only enrolment and health work."""

    def __init__(self, base_url: str, *, device_id: str | None = None, private_key: bytes | None = None,
                 ca_bundle: str | None = None, timeout: tuple[float, float] = (5.0, 60.0),
                 session: requests.Session | None = None, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.base_url = check_server_url(base_url)
        self.device_id = device_id
        self.private_key = private_key
        self.verify: bool | str = ca_bundle or True
        self.timeout = timeout
        self.session = session or requests.Session()
        self.clock = clock
        self.token: str | None = None

    def close(self) -> None:
        self.session.close()

    # --- calls ----------------------------------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        return self._call("GET", "/health", signed=False)

    def enrol(self, code: str, device_id: str, public_key: str, label: str) -> dict[str, Any]:
        return self._call("POST", "/enrol", {"code": code, "device_id": device_id, "public_key": public_key,
                                              "label": label}, signed=False)

    def send_sealed_key(self, sealed_key: str) -> dict[str, Any]:
        return self._call("POST", "/device/sealed-key", {"sealed_key": sealed_key})

    def device(self) -> dict[str, Any]:
        return self._call("GET", "/device")

    def sign_in(self, username: str, password: str) -> dict[str, Any]:
        answer = self._call("POST", "/auth/token", {"username": username, "password": password})
        self.token = str(answer.get("token") or "") or None
        return answer

    def me(self) -> dict[str, Any]:
        return self._call("GET", "/staff/me", staff=True)

    def feed(self, after: int, limit: int = FEED_PAGE_LIMIT) -> dict[str, Any]:
        answer = self._call("GET", "/feed", query={"after": after, "limit": limit})
        if not isinstance(answer.get("items"), list) or type(answer.get("next_cursor")) is not int:
            raise SyncError(BAD_ANSWER, "bad_feed", "feed answer without items or cursor")
        return answer

    def upload(self, entries: list[dict[str, Any]], pending: int | None = None) -> dict[str, Any]:
        answer = self._call("POST", "/journal", {"entries": entries, "pending": pending})
        if (type(answer.get("last_seq")) is not int or not isinstance(answer.get("head_hash"), str)
                or not isinstance(answer.get("results"), list)):
            raise SyncError(BAD_ANSWER, "bad_journal_answer", "journal answer without results or head")
        return answer

    # --- plumbing -------------------------------------------------------------------------------------------------

    def _call(self, method: str, path: str, body: Any = None, *, signed: bool = True, staff: bool = False,
              query: Mapping[str, Any] | None = None) -> dict[str, Any]:
        full_path = API + path + (f"?{urlencode(query)}" if query else "")
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8") if body is not None else b""
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if staff and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if signed:
            if not self.device_id or self.private_key is None:
                raise BadInputError("not_enrolled")
            # Signed afresh on every call, retries included: a new time and a new nonce, over the token too.
            headers = signed_headers(self.device_id, self.private_key, method, full_path, data, self.clock(), headers)
        try:
            response = self.session.request(method, self.base_url + full_path, data=data or None, headers=headers,
                                            timeout=self.timeout, verify=self.verify)
        except requests.exceptions.SSLError as error:
            raise SyncError(REFUSED, "tls",
                            f"the server's certificate is not trusted ({type(error).__name__})") from None
        except requests.exceptions.RequestException as error:
            raise SyncError(NETWORK, "network", type(error).__name__) from None
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            if response.status_code >= 500:
                raise SyncError(SERVER, f"http_{response.status_code}", "server error", response.status_code)
            raise SyncError(BAD_ANSWER, "not_json", f"HTTP {response.status_code}, not JSON", response.status_code)
        if response.status_code == 200:
            return answer
        code = str(answer.get("code") or f"http_{response.status_code}")
        message = str(answer.get("message") or "")
        if response.status_code >= 500:
            raise SyncError(SERVER, code, message, response.status_code, answer)
        if response.status_code == 409 and code == "sequence_gap":
            raise SyncError(GAP, code, message, 409, answer)
        if code == "device_revoked":
            raise SyncError(REVOKED, code, message, response.status_code, answer)
        if code == "clock_skew":
            raise SyncError(CLOCK, code, message, response.status_code, answer)
        raise SyncError(REFUSED, code, message, response.status_code, answer)
