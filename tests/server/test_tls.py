"""HTTPS with the province's own private CA: trusted with the configured CA bundle, refused without it."""

from __future__ import annotations

import datetime as dt
import ipaddress
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.store.store import Store
from app.sync.client import REFUSED, ServerClient, SyncError
from app.sync.engine import SyncEngine
from app.sync.enrolment import enrol
from tests.builders.loopback import find_free_port
from tests.builders.province import DUC_MONTHLY, Province
from tests.builders.store import DUC, Clock


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def make_private_ca(folder: Path) -> tuple[Path, Path, Path]:
    """A CA like a province's (not in any trust store) and a certificate for 127.0.0.1 signed by it."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name("Sở LĐTBXH Quảng Ninh CA"))
          .issuer_name(_name("Sở LĐTBXH Quảng Ninh CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                       crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name("127.0.0.1")).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    ca_path, cert_path, key_path = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return ca_path, cert_path, key_path


@pytest.fixture
def https_province(tmp_path: Path) -> Iterator[tuple[Province, str, Path]]:
    province = Province(f"sqlite:///{tmp_path}/server.db", tmp_path)
    ca, cert, key = make_private_ca(tmp_path)
    port = find_free_port()
    server = uvicorn.Server(uvicorn.Config(province.app, host="127.0.0.1", port=port, log_level="warning",
                                           log_config=None, ssl_certfile=str(cert), ssl_keyfile=str(key),
                                           proxy_headers=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    yield province, f"https://127.0.0.1:{port}", ca
    server.should_exit = True
    thread.join(10)
    province.close()


def test_a_private_province_ca_works_with_its_bundle_and_is_refused_without(
        https_province: tuple[Province, str, Path], tmp_path: Path) -> None:
    province, url, ca = https_province
    with pytest.raises(SyncError) as untrusted:
        ServerClient(url).health()
    assert untrusted.value.kind == REFUSED and untrusted.value.code == "tls"
    assert ServerClient(url, ca_bundle=str(ca)).health()["status"] == "ok"
    console = requests.get(url + "/console/signin", verify=str(ca), timeout=10)
    assert console.headers["Strict-Transport-Security"] == "max-age=31536000"  # HSTS only over HTTPS
    assert "Secure" in console.headers["set-cookie"]

    store = Store.open(tmp_path / "laptop", clock=Clock())
    try:
        enrol(store, url, province.enrol_code(), ca_bundle=str(ca))
        enrolment = store.sync.enrolment()
        assert enrolment is not None and enrolment.ca_bundle == str(ca)
        assert SyncEngine(store).run().ok
        session = store.payouts.open_session(commune_code="QNH-0001", point_id="QNH-0001/nha-van-hoa-thon-dong",
                                             day=dt.date(2026, 12, 5), cash_advance=10_000_000, staff="giaodich")
        from tests.builders.store import request

        store.payouts.pay(request(session.session_id, DUC, [DUC_MONTHLY]))
        report = SyncEngine(store).run()
        assert report.ok and report.uploaded == 2
    finally:
        store.close()
