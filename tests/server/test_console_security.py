"""The console's network side: security headers on every answer, forwarded addresses believed only from configured
proxies, and sign-in limits that fit a post office behind NAT — over real HTTP, and ``payout-server serve`` as its
own process.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from argon2 import PasswordHasher
from sqlalchemy import select

from app.wire import constants
from server import accounts, db, schema
from server.settings import ServerSettings, SignInLimits
from server.setup import init_server
from tests.builders.console import CSRF, OfficerSession
from tests.builders.loopback import find_free_port
from tests.builders.province import DUC_MONTHLY, OTHER_COMMUNE, Device, Province, offline_recovery_key
from tests.builders.signed import signed_call
from tests.builders.store import DUC

ROOT = Path(__file__).resolve().parents[2]
OFFICE = "203.0.113.7"  # a post office's public address: every officer there shares it (NAT)
ELSEWHERE = "198.51.100.9"


def headers_are_safe(response: requests.Response, https: bool = False) -> None:
    where = f"{response.request.method} {response.url} → {response.status_code}"
    headers = response.headers
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "no-referrer", where
    policy = headers.get("Content-Security-Policy", "")
    for part in ("default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'",
                 "form-action 'self'", "base-uri 'none'"):
        assert part in policy, (where, policy)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, where
    assert ("Strict-Transport-Security" in headers) == https, where


@pytest.fixture
def province(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Province]:
    """Behind a trusted proxy (127.0.0.1 forwards the office's address), with today's sign-in limits except lower
    ceilings (30 per address, 12 per username). Passwords are hashed cheaply: Argon2's cost is not what these tests
    measure, and they try many."""
    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    running = Province(f"sqlite:///{tmp_path}/server.db", tmp_path, trusted_proxies=("127.0.0.1",),
                       sign_in_limits=SignInLimits(per_address=30, per_user=12))
    running.add_other_commune()
    for name in ("tinh", "a", "b", "c", "d", "e", "f"):
        running.add_officer(name)
    running.add_officer("xa2", communes=[OTHER_COMMUNE])
    yield running
    running.close()


def test_every_console_answer_carries_the_security_headers_and_no_page_needs_inline_script_or_style(
        province: Province) -> None:
    device = province.device("laptop")
    device.pay(DUC, [DUC_MONTHLY])
    assert device.sync().ok
    base = province.url
    anonymous = [requests.get(base + path, allow_redirects=False, timeout=10) for path in (
        "/console/signin", "/console/progress", "/console", "/console/static/console.css",
        "/console/static/console.js", "/console/fonts/DejaVuSans.ttf", "/console/no-such-page",
        constants.API + "/health", constants.API + "/feed", constants.API + "/openapi.json")]
    assert [r.status_code for r in anonymous] == [200, 303, 307, 200, 200, 200, 404, 200, 401, 200]
    assert anonymous[4].headers["content-type"].startswith("text/javascript")
    officer = OfficerSession(base)
    signed_in = officer.sign_in("tinh", "pw-tinh")
    pages = ["/console/progress", "/console/progress?first=2026-11&last=2026-12", "/console/communes/QNH-0001",
             "/console/people?commune=QNH-0001&state=all", "/console/flags", "/console/amend?q=duc",
             f"/console/amend?record={DUC}", "/console/lists", "/console/devices", "/console/audit",
             "/console/reports", "/console/progress?lang=en"]
    visited = [officer.get(path) for path in pages]
    assert [r.status_code for r in visited] == [200] * len(pages), [(r.url, r.status_code) for r in visited]
    commune_officer = OfficerSession(base)
    commune_officer.sign_in("xa2", "pw-xa2")
    errors = [commune_officer.get("/console/communes/QNH-0001"),  # not theirs: the error page
              officer.post("/console/amend", {"record_code": DUC}, csrf=False),  # no CSRF token
              officer.get("/console/flags/999999")]
    assert [r.status_code for r in errors] == [403, 403, 404]
    for response in [*anonymous, signed_in, *visited, *errors]:
        headers_are_safe(response)
    for response in [signed_in, *visited, *errors]:
        html = response.text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), response.url  # no inline script
        assert not re.search(r"<style\b|\sstyle=", html), response.url  # no inline style
        assert not re.search(r"\son[a-z]+=", html), response.url  # no inline event handler


def test_forwarded_headers_are_believed_only_from_a_configured_proxy(province: Province, tmp_path: Path) -> None:
    # Through the trusted proxy (127.0.0.1 here), the forwarded scheme and address count...
    through_proxy = requests.get(province.url + "/console/signin", timeout=10,
                                 headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": OFFICE})
    headers_are_safe(through_proxy, https=True)
    assert "Secure" in through_proxy.headers["set-cookie"]
    # ...from anyone else they are ignored (a server trusting no proxy: the default).
    untrusting = Province(f"sqlite:///{tmp_path}/other.db", tmp_path / "other")
    try:
        direct = requests.get(untrusting.url + "/console/signin", timeout=10,
                              headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": OFFICE})
        headers_are_safe(direct, https=False)
        assert "Secure" not in direct.headers["set-cookie"]
    finally:
        untrusting.close()


def sign_in_from(province: Province, address: str, username: str, password: str) -> int:
    session = OfficerSession(province.url)
    session.http.headers["X-Forwarded-For"] = address
    return session.sign_in(username, password).status_code


def test_one_persons_mistakes_behind_an_office_nat_never_lock_out_colleagues(province: Province) -> None:
    # Five officers of one office mistype their passwords 4 times each: 20 failures from one address.
    for name in ("a", "b", "c", "d", "e"):
        assert [sign_in_from(province, OFFICE, name, "sai") for _ in range(4)] == [401] * 4
    assert sign_in_from(province, OFFICE, "f", "pw-f") == 200  # a colleague still signs in
    # One of them keeps trying: only that person is refused at that address.
    assert sign_in_from(province, OFFICE, "a", "sai") == 401
    assert sign_in_from(province, OFFICE, "a", "pw-a") == 429
    assert sign_in_from(province, OFFICE, "b", "pw-b") == 200
    # Someone elsewhere guessing the province officer's password does not lock them out at the office.
    assert [sign_in_from(province, ELSEWHERE, "tinh", "doan") for _ in range(5)] == [401] * 5
    assert sign_in_from(province, ELSEWHERE, "tinh", "pw-tinh") == 429
    assert sign_in_from(province, OFFICE, "tinh", "pw-tinh") == 200
    # The ceilings: one username guessed from many addresses (12 tries in all refuse it everywhere)...
    for number in range(8):
        assert sign_in_from(province, f"192.0.2.{number}", "c", "doan") == 401
    assert sign_in_from(province, OFFICE, "c", "pw-c") == 429
    # ...and one address trying many usernames (30 failures refuse the address, whoever it is).
    for number in range(9):
        assert sign_in_from(province, OFFICE, f"khong-co-{number}", "doan") == 401
    assert sign_in_from(province, OFFICE, "f", "pw-f") == 429
    assert sign_in_from(province, ELSEWHERE, "f", "pw-f") == 200


def test_a_tellers_mistakes_on_one_laptop_do_not_lock_them_out_on_another(province: Province) -> None:
    first, second = province.device("first"), province.device("second")

    def token(device: Device, password: str) -> int:
        call = signed_call(province.url, "POST", "/auth/token", {"username": "giaodich", "password": password},
                           device_id=device.store.device_id, key=device.signing_key, at=province.clock())
        return call.send().status_code

    assert [token(first, "sai") for _ in range(5)] == [401] * 5
    assert token(first, "pw-teller") == 429
    assert token(second, "pw-teller") == 200


def test_serve_as_its_own_process_ignores_forwarded_addresses_from_anyone_and_warns_of_a_plain_key(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "recovery.key").write_text("11" * 32 + "\n")  # as an older version left it
    settings = ServerSettings(data_dir=data, database_url=f"sqlite:///{data / 'server.db'}")
    init_server(settings, offline_recovery_key(tmp_path / "usb" / "key.txt"))
    engine = db.make_engine(settings.database_url)
    with db.transaction(engine) as conn:
        accounts.add_user(conn, "tinh", "Cán bộ tỉnh", "officer", "pw-tinh", ["*"], settings.clock())
    ready = tmp_path / "ready.json"
    process = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "--data", str(data), "serve", "--port", str(find_free_port()),
         "--ready-file", str(ready)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PAYOUT_SERVER_DB": "", "PAYOUT_SERVER_TRUSTED_PROXIES": ""})
    try:
        deadline = time.monotonic() + 30
        while not ready.exists():
            assert process.poll() is None and time.monotonic() < deadline, process.communicate()
            time.sleep(0.05)
        url = json.loads(ready.read_text())["url"]
        statuses = []
        for number in range(6):  # an attacker rotating X-Forwarded-For to look like six people
            session = OfficerSession(url)
            session.http.headers["X-Forwarded-For"] = f"10.9.8.{number}"
            form = session.http.get(url + "/console/signin", timeout=10)
            token = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
            statuses.append(session.http.post(url + "/console/signin", timeout=10, data={
                "csrf": token, "username": "tinh", "password": "doan"}).status_code)
        assert statuses == [401] * 5 + [429]
        with engine.connect() as conn:
            a = schema.audit_log.c
            addresses = {json.loads(detail)["address"] for detail in conn.execute(
                select(a.detail).where(a.action == "sign_in_refused")).scalars()}
            f = schema.sign_in_failures.c
            failed_from = set(conn.execute(select(f.address)).scalars())
        assert addresses == failed_from == {"127.0.0.1"}  # the connection's address, not the header's
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=15)
        engine.dispose()
    assert "KHÔNG MÃ HÓA" in stderr and "protect-recovery-key" in stderr
