"""An officer's browser session over plain HTTP (requests): sign in through the form, post forms with the CSRF token."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import requests

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


class OfficerSession:
    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/")
        self.http = requests.Session()
        self.csrf = ""

    def sign_in(self, username: str, password: str) -> requests.Response:
        form = self.http.get(self.base + "/console/signin", timeout=10)
        token = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
        response = self.http.post(self.base + "/console/signin", timeout=10,
                                  data={"csrf": token, "username": username, "password": password})
        found = CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        response = self.http.get(self.base + path, timeout=30, **kwargs)
        found = CSRF.search(response.text)
        if found and response.status_code == 200:
            self.csrf = found.group(1)
        return response

    def post(self, path: str, data: dict[str, Any] | None = None, *, csrf: bool = True,
             **kwargs: Any) -> requests.Response:
        payload = dict(data or {})
        if csrf:
            payload.setdefault("csrf", self.csrf)
        return self.http.post(self.base + path, data=payload, timeout=30, allow_redirects=False, **kwargs)

    def upload_list(self, path: Path, period: str | None = None, *, name: str | None = None,
                    timeout: float = 120.0, agency: str | None = None) -> requests.Response:
        """Upload a list in the console (as ``agency``'s list; default: the form's, what the reader detects) and
        follow its job page until the outcome is there (the page stops refreshing itself); returns that last page.
        A refused upload (no job) is returned as it came."""
        data = {"period": period} if period else {}
        if agency:
            data["agency"] = agency
        with open(path, "rb") as handle:
            answer = self.post("/console/lists", data, files={"file": (name or path.name, handle)})
        if answer.status_code != 303:
            return answer
        job_page = answer.headers["location"]
        deadline = time.monotonic() + timeout
        while True:
            page = self.http.get(self.base + job_page, timeout=30)
            if 'http-equiv="refresh"' not in page.text:
                found = CSRF.search(page.text)
                if found:
                    self.csrf = found.group(1)
                return page
            if time.monotonic() > deadline:
                raise TimeoutError(f"the list upload did not finish in {timeout} s: {page.text[-500:]}")
            time.sleep(0.1)
