"""Opening a dead laptop's backup with the province recovery key.

At enrolment a device seals its database key to the province's recovery public key and sends it to the server; a
backup also carries it beside itself (``<backup>.sealed-key``). With the private recovery key the province unseals
the database key and writes a decrypted SQLite copy for its own records.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine
from sqlcipher3 import dbapi2 as sqlcipher

from app.wire import sealing
from server import accounts

SIDECAR_SUFFIX = ".sealed-key"


class RecoveryError(ValueError):
    pass


def recover_backup(engine: Engine, recovery_key: bytes, backup: Path, out: Path, device_id: str | None) -> Path:
    if not backup.exists():
        raise RecoveryError(f"không thấy tệp sao lưu / no backup file {backup}")
    if out.exists():
        raise RecoveryError(f"tệp đích đã có / {out} already exists")
    sidecar = backup.with_name(backup.name + SIDECAR_SUFFIX)
    sealed = None
    if sidecar.exists():
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        device_id = device_id or data.get("device_id")
        sealed = data.get("sealed_key")
    if device_id:
        with engine.connect() as conn:
            row = accounts.device_row(conn, device_id)
        if row is not None and row["sealed_key"]:
            sealed = row["sealed_key"]
    if not sealed:
        raise RecoveryError("không tìm thấy khóa đã niêm phong / no sealed key for this backup (give --device)")
    key = sealing.unseal(recovery_key, sealed, sealing.SEAL_DATABASE_KEY)
    conn = sqlcipher.connect(str(backup))
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError:
            raise RecoveryError("khóa không mở được bản sao lưu này / the key does not open this backup") from None
        conn.execute("ATTACH DATABASE ? AS plaintext KEY ''", (str(out),))
        conn.execute("SELECT sqlcipher_export('plaintext')")
        conn.execute("DETACH DATABASE plaintext")
    finally:
        conn.close()
    return out
