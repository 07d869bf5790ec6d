"""Authentication comes before the body is read: an unsigned, unknown or badly signed call is refused whatever its
body (not JSON, or JSON the schema refuses); a signed call with a bad body gets 422. Over real HTTP, both databases.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from app.wire import constants, signing
from server import accounts, db
from tests.builders.province import Province

GARBAGE = {"not JSON": (b"{not json", "application/json"), "the wrong JSON": (b'{"entries": []}', "application/json"),
           "not even text": (b"\xff\x00\xfe", "application/octet-stream"), "empty": (b"", None)}
"""Bodies no route accepts, sent with these content types."""


@pytest.fixture
def province(database_url: str, tmp_path: Path) -> Iterator[Province]:
    running = Province(database_url, tmp_path)
    yield running
    running.close()


def signed_operations(province: Province) -> list[tuple[str, str]]:
    """Every call of the OpenAPI schema that a device signs (all but health and enrolment), as (method, path)."""
    schema = province.app.openapi()
    operations = [(method.upper(), path.replace("{code}", "QNH-0001")) for path, item in schema["paths"].items()
                  for method in item if path not in (constants.API + "/health", constants.API + "/enrol")]
    assert len(operations) == 8, operations
    return operations


def send(province: Province, method: str, path: str, body: bytes, content_type: str | None,
         headers: dict[str, str] | None = None) -> requests.Response:
    all_headers = dict(headers or {})
    if content_type:
        all_headers["Content-Type"] = content_type
    return requests.request(method, province.url + path, data=body or None, headers=all_headers, timeout=10)


def signed_headers(device_id: str, key: bytes, province: Province, method: str, path: str, body: bytes,
                   content_type: str | None) -> dict[str, str]:
    return signing.signed_headers(device_id, key, method, path, body, province.clock(),
                                  {"Content-Type": content_type} if content_type else {})


def refused(response: requests.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    answer: dict[str, Any] = response.json()
    assert answer["code"] == code, answer
    return answer


def test_an_unsigned_post_to_the_journal_with_an_invalid_body_is_401_not_422(province: Province) -> None:
    journal = province.url + constants.API + "/journal"
    refused(requests.post(journal, data=b"{not json", headers={"Content-Type": "application/json"}, timeout=10),
            401, "unsigned")
    refused(requests.post(journal, json={"entries": "nothing like a batch"}, timeout=10), 401, "unsigned")
    assert province.count("entries") == 0


def test_every_signed_call_refuses_the_unsigned_the_unknown_and_the_badly_signed_whatever_the_body(
        province: Province) -> None:
    device = province.device("laptop", sync=False)
    stranger = signing.new_device_key()
    for method, path in signed_operations(province):
        for body, content_type in GARBAGE.values():
            where = f"{method} {path} {body!r}"
            unsigned = send(province, method, path, body, content_type)
            assert (unsigned.status_code, unsigned.json()["code"]) == (401, "unsigned"), where
            unknown = send(province, method, path, body, content_type,
                           signed_headers("no-such-device", stranger, province, method, path, body, content_type))
            assert (unknown.status_code, unknown.json()["code"]) == (401, "unknown_device"), where
            forged = send(province, method, path, body, content_type,
                          signed_headers(device.store.device_id, stranger, province, method, path, body, content_type))
            assert (forged.status_code, forged.json()["code"]) == (401, "bad_signature"), where
    assert province.count("entries") == 0


def test_a_signed_call_with_an_invalid_body_gets_422_with_the_schemas_complaint(province: Province) -> None:
    device = province.device("laptop", sync=False)
    key, device_id = device.signing_key, device.store.device_id
    path = constants.API + "/journal"

    def post(body: bytes, content_type: str | None = "application/json") -> requests.Response:
        return send(province, "POST", path, body, content_type,
                    signed_headers(device_id, key, province, "POST", path, body, content_type))

    assert refused(post(b"{not json"), 422, "invalid_request")["message"] == "body.1: JSON decode error"
    assert refused(post(b'{"entries": []}'), 422, "invalid_request")["message"].startswith("body.entries: List should")
    assert refused(post(b'{"entries": [{"seq": 0}]}'), 422, "invalid_request")["message"].startswith("body.entries.0")
    assert refused(post(b""), 422, "invalid_request")["message"] == "body: Field required"
    as_text = refused(post(b'{"entries": []}', "text/plain"), 422, "invalid_request")  # JSON only as JSON
    assert as_text["message"] == "body: Input should be a valid dictionary or object to extract fields from"
    assert province.count("entries") == 0


def test_a_staff_call_without_a_token_and_a_revoked_device_are_refused_before_the_body_is_read(
        province: Province) -> None:
    device = province.device("laptop", sync=False)
    key, device_id = device.signing_key, device.store.device_id
    password_path, token_path = constants.API + "/staff/password", constants.API + "/auth/token"
    refused(send(province, "POST", password_path, b"{not json", "application/json",
                 signed_headers(device_id, key, province, "POST", password_path, b"{not json", "application/json")),
            401, "no_token")
    with db.transaction(province.engine) as conn:
        accounts.revoke(conn, device_id, "stolen", province.clock())
    refused(send(province, "POST", token_path, b"[1, 2]", "application/json",
                 signed_headers(device_id, key, province, "POST", token_path, b"[1, 2]", "application/json")),
            403, "device_revoked")


def test_the_signed_bodies_stay_in_the_openapi_schema(province: Province) -> None:
    schema = requests.get(province.url + constants.API + "/openapi.json", timeout=10).json()
    bodies = {path: item["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
              for path, item in schema["paths"].items() if "post" in item}
    assert bodies == {constants.API + "/enrol": "#/components/schemas/EnrolRequest",
                      constants.API + "/device/sealed-key": "#/components/schemas/SealedKeyRequest",
                      constants.API + "/auth/token": "#/components/schemas/TokenRequest",
                      constants.API + "/staff/password": "#/components/schemas/PasswordRequest",
                      constants.API + "/journal": "#/components/schemas/JournalBatch"}
    components = schema["components"]["schemas"]
    assert components["JournalBatch"]["properties"]["entries"]["items"] == {"$ref": "#/components/schemas/WireEntry"}
    assert components["WireEntry"]["required"] == ["seq", "entry_id", "kind", "prev_hash", "entry_hash", "payload"]
    assert json.dumps(schema).count("HTTPValidationError") == 0  # errors are documented as ErrorAnswer
