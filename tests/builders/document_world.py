"""A small demo province with one payout day done, for the documents' tests (fixtures in
``tests/documents/conftest.py``).

``make_world`` imports a 3-commune demo province's two lists — the Department's and BHXH's, each told its agency, so
some people are on both (the generator's fixed people are at "Nhà văn hóa khu 3") — opens a session there and pays
most people through ``store.payouts.pay_visit`` (one visit: every agency's lines of the person, one entry per
record): signatures (PDS1 strokes), a thumbprint, a proxy,
the representative of a deceased person, a supervisor's back-entry from the paper sheet, and one payment reversed;
a few people stay unpaid. The module-scoped ``world`` is shared read-only; tests that change the journal build their
own with ``fresh_world``.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from app.domain.model import (
    BackEntry,
    CashCount,
    Evidence,
    EvidenceKind,
    IdentityCheck,
    Payment,
    PaymentRequest,
    Recipient,
    RecipientKind,
    Role,
)
from app.domain.signature import decode_strokes, render_png
from app.lists.demo import DemoList, DemoSpec, write_demo_lists
from app.store.store import Store
from tests.builders.documents import signature

PERIOD = "2026-12"
DAY = dt.date(2026, 12, 7)
COMMUNE = "QNH-0001"
POINT = "QNH-0001/nha-van-hoa-khu-3"
OTHER_POINT = "QNH-0001/nha-van-hoa-khu-6"
DUC, HUE, LANH, TAM, NAM = (f"QNH/{c}-0000{i}-TCM" for i, c in enumerate(("AQ", "LS", "BM", "BB", "HH"), start=1))


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 12, 7, 0, 30, tzinfo=dt.UTC)  # 07:30 in Vietnam

    def __call__(self) -> dt.datetime:
        return self.now

    def tick(self, minutes: float = 3) -> None:
        self.now += dt.timedelta(minutes=minutes)


@dataclass
class World:
    store: Store
    folder: Path
    key_dir: Path
    clock: Clock
    session_id: str
    payments: dict[str, Payment] = field(default_factory=dict)  # record code → standing payment
    reversed: Payment | None = None
    unpaid: list[str] = field(default_factory=list)
    back_entry: Payment | None = None


def _list_files(base: Path) -> tuple[DemoList, ...]:
    return write_demo_lists(base / "lists", DemoSpec(communes=3, payout_period=PERIOD), department_xlsx=True)


def make_world(base: Path, monkeypatch: pytest.MonkeyPatch, *, close: bool = True) -> World:
    key_dir = base / "keys"
    monkeypatch.setenv("PAYOUT_DESK_KEY_DIR", str(key_dir))
    monkeypatch.setenv("PAYOUT_DESK_TEST_KEYRING", str(key_dir))  # the world's keyring: its tests reopen the folder
    clock = Clock()
    folder = base / "data"
    store = Store.open(folder, demo=True, clock=clock)
    for item in _list_files(base):
        store.lists.import_file(item.path, payout_period=PERIOD, agency=item.agency)
    store.staff.add("giaodich", "Nguyễn Thị Giao Dịch", Role.TELLER, "pw-teller")
    store.staff.add("giamsat", "Trần Văn Giám Sát", Role.SUPERVISOR, "pw-supervisor")
    session = store.payouts.open_session(commune_code=COMMUNE, point_id=POINT, day=DAY, cash_advance=250_000_000,
                                         staff="giaodich")
    world = World(store, folder, key_dir, clock, session.session_id)
    rng = random.Random(11)
    from sqlalchemy import text

    from app.store import database

    with database.read(store.engine) as conn:
        codes = [row[0] for row in conn.execute(
            text("SELECT record_code FROM beneficiaries WHERE point_id = :p ORDER BY person_id"), {"p": POINT})]
    for index, code in enumerate(codes):
        clock.tick()
        view = store.payouts.person(code, session_id=session.session_id)
        if not view.selected:
            continue
        if code not in (DUC, HUE, LANH, TAM) and index % 6 == 5:
            world.unpaid.append(code)
            continue
        recipient = Recipient()
        evidence = None
        back = None
        staff = "giaodich"
        if any(state.representative_only for state in view.lines):
            rep = view.beneficiary.representative
            assert rep is not None
            recipient = Recipient(RecipientKind.REPRESENTATIVE, rep.name, rep.id_number or "")
        elif code == HUE:
            auth = view.authorisations[0]
            recipient = Recipient(RecipientKind.PROXY, auth.proxy_name, auth.proxy_id_number, auth.number,
                                  auth.valid_until, auth.valid_from)
        if code == LANH:
            evidence = Evidence(EvidenceKind.THUMBPRINT, reason="Tay run, không ký được", witness="Hoàng Văn Xã")
        elif index % 6 == 3 and code not in (DUC, HUE, TAM):
            evidence = Evidence(EvidenceKind.PAPER, reason="Máy hết pin, ký trên danh sách giấy",
                                witness="Hoàng Văn Xã")
            back = BackEntry(DAY, "DS-07/12-tr.1")
            staff = "giamsat"
        if evidence is None:
            strokes = signature(rng)
            evidence = Evidence(EvidenceKind.SIGNATURE, strokes=strokes, png=render_png(decode_strokes(strokes)))
        visit = store.payouts.pay_visit(PaymentRequest(
            session.session_id, code, tuple(sorted(view.selected)), recipient, IdentityCheck.QR_MATCHED, evidence,
            staff, back_entry=back))
        for part in visit:
            world.payments[part.record_code] = part
        payment = visit[0]
        if back is not None and world.back_entry is None:
            world.back_entry = payment
    # one mistaken payment reversed by the supervisor: the person shows as unpaid again
    victim = next(code for code in world.payments if code not in (DUC, HUE, LANH, TAM)
                  and world.payments[code] is not world.back_entry)
    clock.tick()
    store.payouts.reverse(world.payments[victim].entry_id, reason="Chi nhầm người, đã thu hồi tiền",
                          supervisor="giamsat")
    world.reversed = world.payments.pop(victim)
    world.unpaid.append(victim)
    if close:
        clock.tick(30)
        expected = store.payouts.session(session.session_id).cash_expected
        notes = ((500_000, expected // 500_000), (1_000, (expected % 500_000) // 1_000 - 5))
        store.payouts.close_session(session.session_id, counted=CashCount(notes), witness="Hoàng Văn Xã",
                                    staff="giaodich", reason="Thiếu tiền lẻ khi trả lại")
    clock.tick(5)
    return world
