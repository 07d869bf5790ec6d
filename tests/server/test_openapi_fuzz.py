"""Schemathesis against the server's own OpenAPI schema, over real HTTP on PostgreSQL, signed as an enrolled device.

Every generated request is signed by the device key (and carries a staff token), so almost all of them get past
authentication and reach the handlers: none may answer 5xx.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.result import Ok

from app.wire import signing
from tests.builders.postgres import PostgresCluster
from tests.builders.province import Device, Province

AUTH_CODES = {"unsigned", "unknown_device", "bad_signature", "no_token", "bad_token", "token_expired"}
STATUSES: Counter[int] = Counter()
AUTH_FAILURES: Counter[str] = Counter()


class SigningSession(requests.Session):
    """Signs each prepared request exactly as sent (method, path with query, time, nonce, Content-Type, the token,
    body digest)."""

    def __init__(self, device: Device, token: str) -> None:
        super().__init__()
        self.device, self.token = device, token

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        request.headers["Authorization"] = f"Bearer {self.token}"
        request.headers.update(signing.signed_headers(
            self.device.store.device_id, self.device.signing_key, request.method or "GET",
            request.path_url, body, self.device.store.clock(), request.headers,
        ))
        response = super().send(request, **kwargs)
        STATUSES[response.status_code] += 1
        if response.status_code == 401:
            try:
                AUTH_FAILURES[response.json().get("code", "?")] += 1
            except ValueError:
                AUTH_FAILURES["?"] += 1
        return response


@pytest.fixture(scope="module")
def fuzz_province(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Province, SigningSession]]:
    cluster = PostgresCluster.start(tmp_path_factory.mktemp("pg"))
    try:
        url = cluster.create_database(f"fuzz_{uuid.uuid4().hex[:8]}")
        running = Province(url, tmp_path_factory.mktemp("fuzz"))
        device = running.device("fuzzer")
        client = device.client()
        token = client.sign_in("giaodich", "pw-teller")["token"]
        yield running, SigningSession(device, token)
        running.close()
    finally:
        cluster.stop()


def test_no_server_errors_and_most_requests_get_past_authentication(
        fuzz_province: tuple[Province, SigningSession]) -> None:
    province, session = fuzz_province
    schema = schemathesis.openapi.from_dict(province.app.openapi())
    results = list(schema.get_all_operations())
    assert all(isinstance(result, Ok) for result in results), [
        result for result in results if not isinstance(result, Ok)]
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) >= 9
    server_errors: list[str] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=25, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            def fuzz(case: Any) -> None:
                response = case.call(base_url=province.url, session=session, timeout=30)
                if response.status_code >= 500:
                    server_errors.append(f"{case.method} {case.formatted_path}: {response.status_code} {response.text}")

            try:
                fuzz()
            except Unsatisfiable:  # nothing to make invalid (an operation without parameters or body)
                assert mode is GenerationMode.NEGATIVE
    print(f"fuzzed requests by status: {dict(STATUSES)}; 401 codes: {dict(AUTH_FAILURES)}")
    assert server_errors == []
    total = sum(STATUSES.values())
    assert total > 200
    assert sum(AUTH_FAILURES.values()) < 0.2 * total, (STATUSES, AUTH_FAILURES)
    assert not set(AUTH_FAILURES) & AUTH_CODES, "a signed request failed authentication"
