"""Who may call what: unsigned, unknown or wrongly signed calls, tokens, other communes, enrolment codes, bad bodies.

Every refusal is JSON with a code and stores nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from app.domain import journal as canon
from app.domain.errors import BadInputError
from app.domain.journal import format_timestamp
from app.domain.model import Beneficiary, Commune, EntryKind, PayoutPoint
from app.sync.client import check_server_url
from app.wire import codec, constants, signing
from server import db
from server import province as province_module
from tests.builders.province import OTHER_COMMUNE, Province
from tests.builders.store import NOW, parsed_list


@pytest.fixture
def province(database_url: str, tmp_path: Path) -> Iterator[Province]:
    running = Province(database_url, tmp_path)
    other = parsed_list(the_people=[Beneficiary("QNH/AQ-09999-TCM", "Vũ Văn Khác", OTHER_COMMUNE, "AQ")],
                        the_lines=[])
    other = dataclasses.replace(
        other, communes=(Commune(OTHER_COMMUNE, "Xã Khác", "QNH"),), villages=(), authorisations=(),
        points=(PayoutPoint("QNH-0002/ubnd", OTHER_COMMUNE, "UBND xã Khác"),),
    )
    with db.transaction(running.engine) as conn:
        province_module.import_list(conn, other, NOW)
    yield running
    running.close()


def signed(province: Province, method: str, path: str, body: Any = None, *, device_id: str, key: bytes,
           headers: dict[str, str] | None = None, tamper: dict[str, str] | None = None) -> requests.Response:
    """A version-2 call; ``headers`` are sent too, and the signature covers them (tests may overwrite one after
    signing with ``tamper``)."""
    data = json.dumps(body).encode() if body is not None else b""
    full = constants.API + path
    sent = dict(headers or {})
    if body is not None:
        sent["Content-Type"] = "application/json"
    all_headers = signing.signed_headers(device_id, key, method, full, data, province.clock(), sent)
    all_headers.update(tamper or {})
    return requests.request(method, province.url + full, data=data or None, headers=all_headers, timeout=10)


def refused(response: requests.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["code"] == code
    assert "Traceback" not in response.text


def first_entry(device_id: str, commune: str) -> dict[str, Any]:
    payload = canon.entry_payload(
        entry_id="5a2d7c3e-0000-4000-8000-000000000001", device_id=device_id, seq=1, kind=EntryKind.SESSION_OPENED,
        recorded_at=NOW, staff="giaodich",
        body=canon.session_opened_body(session_id="s-1", commune_code=commune, point_id="p", day=NOW.date(),
                                       period="2026-12", cash_advance=1_000_000),
    )
    encoded = canon.canonical_json(payload)
    return codec.entry_to_wire(1, payload["entry_id"], "session_opened", canon.GENESIS_HASH,
                               canon.chain_hash(canon.GENESIS_HASH, encoded), encoded, None)


def test_unsigned_unknown_and_wrongly_signed_calls_are_refused_and_store_nothing(province: Province) -> None:
    device = province.device("laptop", sync=False)
    key = device.signing_key
    batch = {"entries": [first_entry(device.store.device_id, "QNH-0001")]}
    refused(requests.post(province.url + constants.API + "/journal", json=batch, timeout=10), 401, "unsigned")
    refused(requests.get(province.url + constants.API + "/feed", timeout=10), 401, "unsigned")
    refused(signed(province, "POST", "/journal", batch, device_id="no-such-device", key=key), 401, "unknown_device")
    wrong_key = signing.new_device_key()
    refused(signed(province, "POST", "/journal", batch, device_id=device.store.device_id, key=wrong_key),
            401, "bad_signature")
    tampered = signed(province, "GET", "/feed", device_id=device.store.device_id, key=key,
                      tamper={constants.HEADER_TIME: format_timestamp(NOW + dt.timedelta(seconds=1))})
    refused(tampered, 401, "bad_signature")
    assert province.count("entries") == 0
    good = signed(province, "POST", "/journal", batch, device_id=device.store.device_id, key=key)
    assert good.status_code == 200 and province.count("entries") == 1


def test_a_device_sees_only_its_own_communes_and_what_it_writes_for_another_is_stored_flagged(
        province: Province) -> None:
    device = province.device("laptop")
    key = device.signing_key
    refused(signed(province, "GET", f"/communes/{OTHER_COMMUNE}/list", device_id=device.store.device_id, key=key),
            403, "other_commune")
    own = signed(province, "GET", "/communes/QNH-0001/list", device_id=device.store.device_id, key=key)
    assert own.status_code == 200 and {p["record_code"] for p in own.json()["people"]} >= {"QNH/AQ-00001-TCM"}
    feed = signed(province, "GET", "/feed?after=0&limit=1000", device_id=device.store.device_id, key=key).json()
    assert {item["commune_code"] for item in feed["items"]} <= {"QNH-0001", None}
    batch = {"entries": [first_entry(device.store.device_id, OTHER_COMMUNE)]}  # a payout day in another commune
    answer = signed(province, "POST", "/journal", batch, device_id=device.store.device_id, key=key).json()
    assert answer["results"][0]["flags"] == ["other_commune"] and province.count("entries") == 1
    assert device.store.payouts.person("QNH/AQ-00001-TCM")
    with pytest.raises(BadInputError):
        device.store.payouts.person("QNH/AQ-09999-TCM")


def test_staff_calls_need_a_valid_unexpired_token_from_this_device(province: Province) -> None:
    first, second = province.device("a", sync=False), province.device("b", sync=False)
    key = first.signing_key
    refused(signed(province, "GET", "/staff/me", device_id=first.store.device_id, key=key), 401, "no_token")
    refused(signed(province, "POST", "/auth/token", {"username": "giaodich", "password": "wrong"},
                   device_id=first.store.device_id, key=key), 401, "sign_in_failed")
    token = signed(province, "POST", "/auth/token", {"username": "giaodich", "password": "pw-teller"},
                   device_id=first.store.device_id, key=key).json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert signed(province, "GET", "/staff/me", device_id=first.store.device_id, key=key,
                  headers=bearer).json()["username"] == "giaodich"
    refused(signed(province, "GET", "/staff/me", device_id=second.store.device_id,
                   key=second.signing_key, headers=bearer), 401, "bad_token")
    refused(signed(province, "GET", "/staff/me", device_id=first.store.device_id, key=key,
                   headers={"Authorization": f"Bearer {token[:-2]}xx"}), 401, "bad_token")
    province.clock.now += dt.timedelta(minutes=61)
    first.clock.now = province.clock.now
    refused(signed(province, "GET", "/staff/me", device_id=first.store.device_id, key=key, headers=bearer),
            401, "token_expired")


def test_enrolment_codes_are_one_time_and_expire(province: Province) -> None:
    code = province.enrol_code()
    public = signing.device_public_key(signing.new_device_key())
    enrol = province.url + constants.API + "/enrol"
    ok = requests.post(enrol, json={"code": code, "device_id": "d-1", "public_key": public}, timeout=10)
    assert (ok.status_code == 200 and ok.json()["communes"] == ["QNH-0001"]
            and len(ok.json()["recovery_public_key"]) == 64)
    refused(requests.post(enrol, json={"code": code, "device_id": "d-2", "public_key": public}, timeout=10),
            403, "bad_enrol_code")
    refused(requests.post(enrol, json={"code": "AAAA-BBBB-CCCC", "device_id": "d-3", "public_key": public},
                          timeout=10), 403, "bad_enrol_code")
    stale = province.enrol_code()
    province.clock.now += dt.timedelta(hours=73)
    refused(requests.post(enrol, json={"code": stale, "device_id": "d-4", "public_key": public}, timeout=10),
            403, "enrol_code_expired")
    refused(requests.post(enrol, json={"code": province.enrol_code(), "device_id": "d-5", "public_key": "zz" * 32},
                          timeout=10), 400, "bad_public_key")
    assert province.count("devices") == 1


def test_bad_bodies_get_json_errors(province: Province) -> None:
    base = province.url + constants.API
    response = requests.post(base + "/enrol", data=b"{not json", headers={"Content-Type": "application/json"},
                             timeout=10)
    refused(response, 422, "invalid_request")
    refused(requests.post(base + "/journal", data=b"x" * (constants.MAX_REQUEST_BYTES + 1), timeout=30),
            413, "too_large")
    refused(requests.get(base + "/nothing-here", timeout=10), 404, "not_found")
    assert requests.get(base + "/openapi.json", timeout=10).json()["info"]["title"]


def test_plain_http_only_on_loopback() -> None:
    assert check_server_url("http://127.0.0.1:8700/") == "http://127.0.0.1:8700"
    assert check_server_url("https://chitra.quangninh.gov.vn") == "https://chitra.quangninh.gov.vn"
    for url in ("http://10.0.0.5:8700", "http://chitra.quangninh.gov.vn", "ftp://x"):
        with pytest.raises(BadInputError) as error:
            check_server_url(url)
        assert error.value.code == "insecure_server"


def test_a_device_given_another_commune_receives_it_and_may_then_read_it(province: Province) -> None:
    from server.cli import main as server_main

    device = province.device("laptop")
    key = device.signing_key
    args = ["--data", str(province.settings.data_dir), "--db", province.settings.database_url]
    assert server_main(args + ["assign-device", device.store.device_id, "--commune", "QNH-0001",
                               "--commune", OTHER_COMMUNE]) == 0
    assert device.sync().ok
    enrolment = device.store.sync.enrolment()
    assert enrolment is not None and enrolment.communes == ("QNH-0001", OTHER_COMMUNE)
    assert device.store.payouts.person("QNH/AQ-09999-TCM").beneficiary.full_name == "Vũ Văn Khác"
    assert signed(province, "GET", f"/communes/{OTHER_COMMUNE}/list", device_id=device.store.device_id,
                  key=key).status_code == 200
