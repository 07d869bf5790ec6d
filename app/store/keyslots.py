"""Key slots: the database key and the device's signing key, wrapped so that no file on the laptop's disk alone
opens the store or signs as the device.

As in LUKS, a random master key encrypts a small vault holding the database key and, once the laptop is enrolled,
the device's Ed25519 key; each slot wraps the master key a different way:

- ``password``: one per staff member who has signed in on this laptop, under a key derived from their password with
  Argon2id (memory-hard; ``SLOT_KDF``, measured at about half a second on the reference machine). A thief with the
  disk must guess a password at that cost per guess, per slot.
- ``keyring``: under a random secret kept in the OS keyring, where the OS has a real one (``app.store.keys``): the
  laptop then opens for its own user without a password, as any program the OS keyring serves.
- ``recovery``: the database key sealed to the province's recovery public key at enrolment (the same text the server
  keeps): the province can open a backup or a dead laptop's data, and never sign as the device.

The slot file (``keyslots.json``, 0600) sits in the data folder beside the database and names nothing secret: a
username and full name per password slot (the sign-in says whom to ask when a new colleague has no slot yet), the
Argon2id salt and cost, and a digest of the verifier the password was checked against (a slot whose verifier the
province has since changed is dropped). Every change is a read–modify–write under a file lock shared by every process
on the folder, written atomically. Slots never travel with a backup: a backup is opened by the laptop that made it
(same database key) or by the province (the sealed key beside it), so a backup stick lost in a bus holds no
password-guessable slot.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app.store.files import write_private
from app.store.keys import KEY_BYTES, OsKeyring, new_key
from app.store.locking import process_lock

FORMAT = "payout-desk key slots v1"
SLOTS_NAME = "keyslots.json"
LOCK_NAME = "keys.lock"
PASSWORD, KEYRING, RECOVERY = "password", "keyring", "recovery"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost: passes, memory in KiB, lanes."""

    time_cost: int
    memory_kib: int
    parallelism: int


SLOT_KDF = KdfParams(time_cost=2, memory_kib=320 * 1024, parallelism=4)
"""The cost of a new password slot: 320 MiB, 2 passes, 4 lanes ≈ 0.5 s on the reference machine (2 cores; measured
by ``bench/bench_keyslots.py``, figures in docs/PERFORMANCE.md). Each slot records its own cost, so raising this later
leaves older slots readable. The test suite lowers it (cheap slots), never the program."""


@dataclass(frozen=True)
class Credentials:
    """A staff member's username and password, as typed (the password is never shown in a repr)."""

    username: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class SlotHolder:
    """Someone whose password opens this laptop."""

    username: str
    full_name: str

    def describe(self) -> str:
        return f"{self.full_name} ({self.username})" if self.full_name and self.full_name != self.username \
            else self.username


class NoSlot(Exception):
    """This username has no password slot on this laptop (``holders`` can open it)."""

    def __init__(self, username: str, holders: tuple[SlotHolder, ...]) -> None:
        super().__init__(f"no key slot for {username!r}")
        self.username = username
        self.holders = holders


class WrongPassword(Exception):
    """The password does not open this username's slot."""


class SlotFileError(Exception):
    """The slot file is missing parts or is not one (a damaged or foreign file)."""


def verifier_digest(password_hash: str) -> str:
    """A short digest of a staff member's Argon2id verifier (a random-looking name; it reveals nothing to test a
    password against), recorded in their slot to notice that the province changed their password."""
    return hashlib.sha256(password_hash.encode("utf-8")).hexdigest()[:32]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise SlotFileError("expected base64 text")
    try:
        return base64.b64decode(text, validate=True)
    except ValueError as error:
        raise SlotFileError("bad base64") from error


def _derive(password: str, salt: bytes, params: KdfParams) -> bytes:
    """The key that wraps a password slot. The password's UTF-8 bytes as typed, exactly as the staff verifier checks
    them, so a password the sign-in accepts always opens its slot."""
    return hash_secret_raw(password.encode("utf-8"), salt, params.time_cost, params.memory_kib, params.parallelism,
                           32, Type.ID)


def _aad(slot: Mapping[str, Any]) -> bytes:
    """What a slot's ciphertext is bound to: moving a wrapped key to another name or kind breaks it."""
    return f"{FORMAT}|{slot['kind']}|{slot['id']}|{slot.get('username', '')}".encode()


def _wrap(kek: bytes, master: bytes, slot: dict[str, Any]) -> dict[str, Any]:
    nonce = os.urandom(12)
    slot["nonce"] = _b64(nonce)
    slot["wrapped"] = _b64(AESGCM(kek).encrypt(nonce, master, _aad(slot)))
    return slot


def _unwrap(kek: bytes, slot: Mapping[str, Any]) -> bytes:
    master = AESGCM(kek).decrypt(_unb64(slot.get("nonce")), _unb64(slot.get("wrapped")), _aad(slot))
    if len(master) != KEY_BYTES:
        raise SlotFileError("bad master key length")
    return master


@dataclass(frozen=True)
class Keys:
    """What the vault holds: the database key, and the device's signing key once enrolled."""

    database: bytes = field(repr=False)
    device: bytes | None = field(default=None, repr=False)


def _seal_vault(master: bytes, keys: Keys) -> dict[str, str]:
    body = json.dumps({"database": keys.database.hex(), "device": keys.device.hex() if keys.device else None})
    nonce = os.urandom(12)
    return {"nonce": _b64(nonce),
            "data": _b64(AESGCM(master).encrypt(nonce, body.encode("ascii"), f"{FORMAT}|vault".encode()))}


def _open_vault(master: bytes, vault: Mapping[str, Any]) -> Keys:
    try:
        body = AESGCM(master).decrypt(_unb64(vault.get("nonce")), _unb64(vault.get("data")), f"{FORMAT}|vault".encode())
        values = json.loads(body)
        device = values.get("device")
        return Keys(bytes.fromhex(values["database"]), bytes.fromhex(device) if device else None)
    except (InvalidTag, ValueError, KeyError, TypeError) as error:
        raise SlotFileError("the vault does not open with this master key") from error


# --- the file ---------------------------------------------------------------------------------------------------------


def slots_path(folder: Path) -> Path:
    return Path(folder) / SLOTS_NAME


def read_slots(folder: Path) -> dict[str, Any] | None:
    """The slot file's content, or None when the folder has none (a new folder, or one made before key slots)."""
    path = slots_path(folder)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (ValueError, UnicodeDecodeError) as error:
        raise SlotFileError(f"{path} is not a key-slot file") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("slots"), list) \
            or not isinstance(data.get("vault"), dict):
        raise SlotFileError(f"{path} is not a key-slot file")
    return data


def _write(folder: Path, data: Mapping[str, Any]) -> None:
    write_private(slots_path(folder), json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def holders(data: Mapping[str, Any]) -> tuple[SlotHolder, ...]:
    """Whoever has a password slot, in the order they got it."""
    return tuple(SlotHolder(slot.get("username", ""), slot.get("full_name", ""))
                 for slot in data["slots"] if slot.get("kind") == PASSWORD)


def has_keyring_slot(data: Mapping[str, Any]) -> bool:
    return any(slot.get("kind") == KEYRING for slot in data["slots"])


def open_with_keyring(folder: Path, ring: OsKeyring | None) -> Vault | None:
    """The vault through the OS keyring's slot, or None (no keyring, no such slot, or its secret is gone)."""
    data = read_slots(folder)
    if data is None or ring is None:
        return None
    for slot in data["slots"]:
        if slot.get("kind") != KEYRING:
            continue
        secret = ring.get(str(slot.get("account", "")))
        if secret is None:
            continue
        try:
            master = _unwrap(secret, slot)
        except (InvalidTag, SlotFileError):
            continue
        return Vault(folder, master, _open_vault(master, data["vault"]))
    return None


def open_with_password(folder: Path, credentials: Credentials) -> Vault:
    """The vault through this staff member's password slot. ``NoSlot`` when they have none on this laptop,
    ``WrongPassword`` when the password does not open it (costs one Argon2id derivation, like a right one)."""
    data = read_slots(folder)
    if data is None:
        raise NoSlot(credentials.username, ())
    username = credentials.username.strip()
    slot = next((s for s in data["slots"] if s.get("kind") == PASSWORD and s.get("username") == username), None)
    if slot is None:
        raise NoSlot(username, holders(data))
    params = slot.get("kdf") or {}
    try:
        cost = KdfParams(int(params["t"]), int(params["m"]), int(params["p"]))
        salt = _unb64(params["salt"])
    except (KeyError, TypeError, ValueError) as error:
        raise SlotFileError("a password slot without its Argon2id parameters") from error
    kek = _derive(credentials.password, salt, cost)
    try:
        master = _unwrap(kek, slot)
    except InvalidTag:
        raise WrongPassword() from None
    return Vault(folder, master, _open_vault(master, data["vault"]))


def create(folder: Path, keys: Keys, ring: OsKeyring | None) -> Vault:
    """A new slot file for a new data folder: a fresh master key, the vault, and the OS keyring's slot where there is a
    keyring. Password slots follow as staff members sign in (``Vault.add_password``)."""
    master = new_key()
    with process_lock(Path(folder) / LOCK_NAME):
        _write(folder, {"format": FORMAT, "vault": _seal_vault(master, keys), "slots": []})
    vault = Vault(folder, master, keys)
    if ring is not None:
        vault.ensure_keyring(ring)
    return vault


class Vault:
    """An opened data folder's keys, kept in memory until the program quits (the idle lock keeps them, so the
    automatic sync runs while the screen is locked), and the changes to its slots."""

    def __init__(self, folder: Path, master: bytes, keys: Keys) -> None:
        self.folder = Path(folder)
        self._master = master
        self._keys = keys

    def __repr__(self) -> str:
        return f"Vault({str(self.folder)!r})"

    @property
    def database_key(self) -> bytes:
        return self._keys.database

    @property
    def device_key(self) -> bytes | None:
        return self._keys.device

    def holders(self) -> tuple[SlotHolder, ...]:
        data = read_slots(self.folder)
        return holders(data) if data is not None else ()

    def has_password_slot(self, username: str, verifier: str | None = None) -> bool:
        """True when ``username`` has a slot (made against ``verifier``'s digest, when given)."""
        data = read_slots(self.folder) or {"slots": []}
        return any(slot.get("kind") == PASSWORD and slot.get("username") == username
                   and (verifier is None or slot.get("verifier") == verifier) for slot in data["slots"])

    def add_password(self, username: str, full_name: str, password: str, verifier: str) -> None:
        """Give ``username`` a slot under ``password`` (already checked against the verifier whose digest is
        ``verifier``), replacing their old one: a password change rewraps."""
        salt = os.urandom(16)
        cost = SLOT_KDF
        slot: dict[str, Any] = {"kind": PASSWORD, "id": str(uuid.uuid4()), "username": username,
                                "full_name": full_name, "verifier": verifier,
                                "kdf": {"t": cost.time_cost, "m": cost.memory_kib, "p": cost.parallelism,
                                        "salt": _b64(salt)}}
        _wrap(_derive(password, salt, cost), self._master, slot)  # the slow part, outside the lock

        def change(data: dict[str, Any]) -> None:
            data["slots"] = [s for s in data["slots"] if not (s.get("kind") == PASSWORD
                                                              and s.get("username") == username)]
            data["slots"].append(slot)

        self._change(change)

    def keep_only(self, active: Mapping[str, str], *, other_way_in: bool) -> list[str]:
        """Drop the slot of everyone not in ``active`` (username → their verifier's digest), or whose verifier changed
        since their slot was made (disabled by the province, or their password reset there); the usernames dropped.

        A laptop is never left with no way in: when those slots are all there is and ``other_way_in`` is false (no
        OS keyring slot opens it), they stay until someone else's sign-in makes another slot (the next call drops
        them then). Otherwise the laptop would open only with the province's recovery key.
        """
        data = read_slots(self.folder)
        if data is None:
            return []
        stale = {slot.get("username", "") for slot in data["slots"]
                 if slot.get("kind") == PASSWORD and active.get(slot.get("username", "")) != slot.get("verifier")}
        remaining = [slot for slot in data["slots"]
                     if slot.get("kind") == PASSWORD and slot.get("username", "") not in stale]
        if not stale or (not remaining and not other_way_in):
            return []
        self.drop(stale)
        return sorted(stale)

    def opens_by_keyring(self, ring: OsKeyring | None) -> bool:
        """True when this folder's OS-keyring slot opens it on this machine now."""
        vault = open_with_keyring(self.folder, ring)
        return vault is not None and vault._master == self._master

    def drop(self, usernames: Iterable[str]) -> None:
        names = set(usernames)
        self._change(lambda data: data.__setitem__("slots", [
            s for s in data["slots"] if not (s.get("kind") == PASSWORD and s.get("username") in names)]))

    def set_device_key(self, key: bytes) -> None:
        """Put the device's signing key (made at enrolment) in the vault; every slot opens it from now on."""
        self._keys = Keys(self._keys.database, key)
        keys = self._keys
        self._change(lambda data: data.__setitem__("vault", _seal_vault(self._master, keys)))

    def set_recovery(self, public_key: str, sealed_database_key: str) -> None:
        """Record the database key sealed to the province's recovery key (made at enrolment)."""
        slot = {"kind": RECOVERY, "id": str(uuid.uuid4()), "public_key": public_key,
                "sealed_database_key": sealed_database_key}

        def change(data: dict[str, Any]) -> None:
            data["slots"] = [s for s in data["slots"] if s.get("kind") != RECOVERY] + [slot]

        self._change(change)

    def ensure_keyring(self, ring: OsKeyring) -> bool:
        """Give the folder an OS-keyring slot if it has none that opens (True when one was made)."""
        data = read_slots(self.folder)
        if data is not None:
            for slot in data["slots"]:
                if slot.get("kind") == KEYRING:
                    secret = ring.get(str(slot.get("account", "")))
                    try:
                        if secret is not None and _unwrap(secret, slot) == self._master:
                            return False
                    except (InvalidTag, SlotFileError):
                        pass
        slot_id = str(uuid.uuid4())
        account = f"slot-{slot_id}"
        secret = new_key()
        try:
            ring.put(account, secret)
        except Exception:  # a keyring that refuses to store: the password slots still open the folder
            return False
        slot = _wrap(secret, self._master, {"kind": KEYRING, "id": slot_id, "account": account})
        replaced: list[str] = []

        def change(data: dict[str, Any]) -> None:
            replaced.extend(str(s.get("account", "")) for s in data["slots"] if s.get("kind") == KEYRING)
            data["slots"] = [s for s in data["slots"] if s.get("kind") != KEYRING] + [slot]

        self._change(change)
        for stale in replaced:  # a slot that no longer opened: its secret leaves the keyring too
            ring.delete(stale)
        return True

    def _change(self, change: Any) -> None:
        """Read the file under the folder's key lock, apply ``change``, write it back (atomically)."""
        with process_lock(self.folder / LOCK_NAME):
            data = read_slots(self.folder)
            if data is None:  # a folder moving to slots: the vault is written with the first change
                data = {"format": FORMAT, "vault": _seal_vault(self._master, self._keys), "slots": []}
            change(data)
            _write(self.folder, data)
