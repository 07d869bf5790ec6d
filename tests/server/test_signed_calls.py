"""Each signed call is accepted once, and a revoked device may only upload: captured calls sent again by someone on
the network, over real HTTP, on SQLite and PostgreSQL (``docs/SYNC.md``, replay protection; ``docs/SECURITY.md``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from app.sync.client import ServerClient
from app.sync.engine import SyncEngine
from app.sync.outbox import wire_batch
from app.wire import constants, signing
from server import accounts, db, schema
from server.api import create_app
from server.replay import NONCE_MEMORY
from tests.builders.loopback import LiveServer
from tests.builders.province import DUC_MONTHLY, HUE_MONTHLY, Province
from tests.builders.signed import Captured, RecordingSession, journal_entries, signed_call
from tests.builders.store import COMMUNE, DUC, HUE, Clock


@pytest.fixture
def province(database_url: str, tmp_path: Path) -> Iterator[Province]:
    running = Province(database_url, tmp_path)
    yield running
    running.close()


@pytest.fixture
def sqlite_province(tmp_path: Path) -> Iterator[Province]:
    """For rules the database does not change (the clock's order, revocation): SQLite only, to keep CI short."""
    running = Province(f"sqlite:///{tmp_path}/server.db", tmp_path)
    yield running
    running.close()


def refused(response: object, status: int, code: str) -> None:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.json()["code"] == code, response.text  # type: ignore[attr-defined]
    assert "token" not in response.json()  # type: ignore[attr-defined]


def nonces(province: Province, device_id: str) -> int:
    n = schema.request_nonces.c
    with province.engine.connect() as conn:
        return int(conn.execute(select(func.count()).where(n.device_id == device_id)).scalar_one())


def last_seen(province: Province, device_id: str) -> tuple[str | None, int | None]:
    d = schema.devices.c
    with province.engine.connect() as conn:
        row = conn.execute(select(d.last_seen_at, d.pending_reported).where(d.device_id == device_id)).one()
    return row[0], row[1]


def test_every_captured_call_sent_again_is_refused_and_a_new_signature_works(province: Province) -> None:
    device = province.device("laptop")
    recorder = RecordingSession()
    client = ServerClient(province.url, device_id=device.store.device_id, private_key=device.signing_key,
                          session=recorder, clock=device.store.clock)
    device.pay(DUC, [DUC_MONTHLY])
    assert SyncEngine(device.store, client, sleep=lambda _: None).run().ok  # upload, then the feed
    client.sign_in("giaodich", "pw-teller")
    assert client.me()["username"] == "giaodich"
    assert client.device()["last_seq"] == 2
    captured = [recorder.last("POST", "/journal"), recorder.last("GET", "/feed"), recorder.last("POST", "/auth/token"),
                recorder.last("GET", "/staff/me"), recorder.last("GET", "/device")]
    entries, seen = province.count("entries"), last_seen(province, device.store.device_id)
    for call in captured:
        refused(call.send(), 401, "replayed")  # a replayed /auth/token mints no token
    assert (province.count("entries"), last_seen(province, device.store.device_id)) == (entries, seen)

    # The same calls signed again (new nonce, same time: a retry) are accepted.
    device.pay(HUE, [HUE_MONTHLY])
    assert client.upload(wire_batch(device.store, 500), 0)["results"][0]["status"] == "applied"
    assert client.feed(0)["items"] and client.me()["username"] == "giaodich" and client.device()["last_seq"] == 3
    assert client.sign_in("giaodich", "pw-teller")["token"]

    # A staff call: the password changes once; the captured call does nothing more.
    change = signed_call(province.url, "POST", "/staff/password", {"old_password": "pw-teller",
                                                                   "new_password": "pw-teller-2"},
                         device_id=device.store.device_id, key=device.signing_key,
                         at=province.clock(), token=client.token)
    assert change.send().status_code == 200
    refused(change.send(), 401, "replayed")

    # The signature covers the token and the content type: neither can be swapped on a captured call.
    other = ServerClient(province.url, device_id=device.store.device_id, private_key=device.signing_key,
                         clock=device.store.clock)
    other.sign_in("giamsat", "pw-supervisor")
    me = signed_call(province.url, "GET", "/staff/me", None, device_id=device.store.device_id,
                     key=device.signing_key, at=province.clock(), token=client.token)
    refused(me.send(Authorization=f"Bearer {other.token}"), 401, "bad_signature")
    upload = signed_call(province.url, "POST", "/journal", {"entries": []}, device_id=device.store.device_id,
                         key=device.signing_key, at=province.clock())
    refused(upload.send(Content_Type="text/plain"), 401, "bad_signature")

    # A second server process on the same database knows the nonces the first one saw.
    second_engine = db.make_engine(province.settings.database_url)
    second = LiveServer(create_app(province.settings, second_engine)).start()
    try:
        feed = recorder.last("GET", "/feed")
        refused(Captured(feed.method, feed.url.replace(province.url, second.url), feed.headers, feed.body).send(),
                401, "replayed")
        fresh = signed_call(second.url, "GET", "/device", None, device_id=device.store.device_id,
                            key=device.signing_key, at=province.clock())
        assert fresh.send().status_code == 200
        refused(Captured(fresh.method, fresh.url.replace(second.url, province.url), fresh.headers, None).send(),
                401, "replayed")
    finally:
        second.stop()
        second_engine.dispose()


def test_a_forgotten_nonce_belongs_to_a_call_too_old_to_pass_and_the_table_stays_bounded(province: Province) -> None:
    start = province.clock()
    device_clock = Clock(start)
    device = province.device("laptop", clock=device_clock, sync=False)
    device_id, key = device.store.device_id, device.signing_key
    upload = signed_call(province.url, "POST", "/journal", {"entries": journal_entries(device_id, 1, COMMUNE, start)},
                         device_id=device_id, key=key, at=start)
    status = signed_call(province.url, "GET", "/device", None, device_id=device_id, key=key,
                         at=start + dt.timedelta(seconds=1))
    feed = signed_call(province.url, "GET", "/feed", None, device_id=device_id, key=key,
                       at=start + dt.timedelta(seconds=2))
    assert upload.send().status_code == 200 and status.send().status_code == 200 and feed.send().status_code == 200
    assert nonces(province, device_id) == 4  # the sealed key at enrolment, these three

    # Eleven minutes later (server time) the device calls again: the old feed call's nonce is forgotten, since a copy
    # of it is no longer fresh; the calls accepted whatever the clock (upload, status, sealed key) are kept for good.
    province.clock.now = device_clock.now = start + NONCE_MEMORY + dt.timedelta(minutes=1)
    assert signed_call(province.url, "GET", "/feed", None, device_id=device_id, key=key,
                       at=device_clock()).send().status_code == 200
    assert nonces(province, device_id) == 4  # sealed key, upload, status, and the newest feed call
    refused(feed.send(), 403, "clock_skew")  # too old to pass as fresh
    refused(upload.send(), 401, "replayed")
    refused(status.send(), 401, "replayed")
    assert province.count("entries") == 1


def test_a_device_whose_clock_is_off_still_uploads_and_its_uploads_cannot_be_replayed(
        sqlite_province: Province) -> None:
    province = sqlite_province
    start = province.clock()
    behind = Clock(start - dt.timedelta(hours=2))  # two hours slow from the start (a wrong time zone, say)
    device = province.device("slow-clock", clock=behind, sync=False)
    device_id, key = device.store.device_id, device.signing_key
    entries = journal_entries(device_id, 3, COMMUNE, behind())

    def upload(seq: int, at: dt.datetime) -> Captured:
        return signed_call(province.url, "POST", "/journal", {"entries": entries[seq - 1:seq]}, device_id=device_id,
                           key=key, at=at)

    first = upload(1, behind())
    answer = first.send().json()
    assert answer["results"][0]["flags"] == ["clock_skew"]
    refused(signed_call(province.url, "GET", "/feed", None, device_id=device_id, key=key, at=behind()).send(),
            403, "clock_skew")
    refused(first.send(), 401, "replayed")

    # A day later, the clock still two hours slow: uploads go on; the first one sent again is still refused.
    province.clock.now += dt.timedelta(days=1)
    behind.now += dt.timedelta(days=1)
    assert upload(2, behind()).send().json()["results"][0]["status"] == "flagged"
    refused(first.send(), 401, "replayed")

    # The clock set back behind its own earlier calls (a dead CMOS battery): the cash has left, so the upload is
    # accepted, flagged; the server never orders calls by the device's clock.
    set_back = upload(3, behind() - dt.timedelta(days=400))
    assert set_back.send().json()["results"][0]["flags"] == ["clock_skew"]
    refused(set_back.send(), 401, "replayed")
    assert province.count("entries") == 3


def test_a_device_not_yet_updated_may_upload_with_the_old_signature_and_nothing_else(province: Province) -> None:
    key = signing.new_device_key()
    enrolled = province.url + constants.API + "/enrol"
    assert requests.post(enrolled, json={"code": province.enrol_code(), "device_id": "old-laptop",
                                         "public_key": signing.device_public_key(key)}, timeout=10).status_code == 200
    now = province.clock()
    batch = {"entries": journal_entries("old-laptop", 1, COMMUNE, now)}
    old_upload = signed_call(province.url, "POST", "/journal", batch, device_id="old-laptop", key=key, at=now,
                             version=1)
    assert old_upload.send().json()["results"][0]["status"] == "applied"
    # Sent again, it is answered as before: its entries dedupe, so nothing changes.
    assert old_upload.send().json()["results"][0]["status"] == "already_applied"
    for method, path, body in (("GET", "/feed", None), ("GET", "/device", None),
                               ("POST", "/auth/token", {"username": "giaodich", "password": "pw-teller"})):
        refused(signed_call(province.url, method, path, body, device_id="old-laptop", key=key, at=now,
                            version=1).send(), 401, "old_signature")
    # Once the device signs with nonces (it was updated), an old-style call claiming to be from it is refused.
    assert signed_call(province.url, "GET", "/device", None, device_id="old-laptop", key=key,
                       at=now).send().status_code == 200
    refused(old_upload.send(), 401, "old_signature")
    assert province.count("entries") == 1


def test_a_revoked_device_is_refused_everything_but_uploading_its_journal(sqlite_province: Province) -> None:
    province = sqlite_province
    device = province.device("lost")
    client = ServerClient(province.url, device_id=device.store.device_id, private_key=device.signing_key,
                          clock=device.store.clock)
    client.sign_in("giaodich", "pw-teller")
    assert client.me()["username"] == "giaodich"
    with db.transaction(province.engine) as conn:
        accounts.revoke(conn, device.store.device_id, "mất máy", province.clock())
    device_id, key, now = device.store.device_id, device.signing_key, province.clock()
    for method, path, body in (
            ("GET", "/staff/me", None),
            ("POST", "/staff/password", {"old_password": "pw-teller", "new_password": "doi-mat-khau"}),
            ("GET", "/device", None), ("POST", "/device/sealed-key", {"sealed_key": "x" * 80}),
            ("GET", "/feed", None), ("GET", f"/communes/{COMMUNE}/list", None),
            ("POST", "/auth/token", {"username": "giaodich", "password": "pw-teller"})):
        refused(signed_call(province.url, method, path, body, device_id=device_id, key=key, at=now,
                            token=client.token).send(), 403, "device_revoked")
    device.pay(DUC, [DUC_MONTHLY])
    report = device.sync()
    assert report.upload_ok and report.error_code == "sync_revoked"
    assert {flag["kind"] for flag in province.flags()} == {"revoked_device"}
    with db.transaction(province.engine) as conn:  # the password did not change
        assert accounts.check_password(conn, "giaodich", "pw-teller") is not None
