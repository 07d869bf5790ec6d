"""The settlement scenario, paid by real devices over HTTP (``tests/server/test_settlement.py`` computes every figure
of it by hand; ``tests/server/test_month_figures.py`` reads the same figures in turns on the console's pages).

In December 2026 laptop A pays Đức's monthly, supplement and convalescence lines, pays Huệ and has the payment
reversed by a supervisor, and closes its day with a count 1.900 ₫ short; laptop B (clock 10 minutes fast) pays Đức's
monthly line again (a double payment) and his pension, and leaves its session open; laptop C pays one line in a
second commune. In January 2027 the list carries Huệ's unpaid December line over and A pays it, and pays Tâm's
funeral allowance to his representative.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from app.domain.model import (
    Beneficiary,
    CashCount,
    Commune,
    Gender,
    LineKind,
    PayoutPoint,
    Recipient,
    RecipientKind,
    Village,
)
from app.store.store import Store
from app.sync.enrolment import enrol
from server import accounts, db
from server import province as province_module
from tests.builders.province import DUC_MONTHLY, DUC_SUPPLEMENT, HUE_MONTHLY, OTHER_COMMUNE, Device, Province, key
from tests.builders.store import COMMUNE, DAY, DUC, HUE, NOW, POINT, TAM, Clock, line, parsed_list

DECEMBER, JANUARY = "2026-12", "2027-01"
KHANH = "QNH/TB-09001-TCM"
OTHER_POINT = "QNH-0002/ubnd-hai-dong"
DUC_PENSION = key(DUC, "pension", programme="luong_huu")
DUC_CONVALESCENCE = key(DUC, "convalescence")
KHANH_MONTHLY = key(KHANH, "monthly")
TAM_FUNERAL = key(TAM, "funeral")
AT = "2026-12-06T02:00:00.000000Z"


@dataclasses.dataclass
class Scenario:
    province: Province
    double_payment: str  # B's second payment of Đức's monthly line
    reversed_payment: str


def other_commune_list():  # -> ParsedList
    person = Beneficiary(KHANH, "Vũ Thị Khánh", OTHER_COMMUNE, "TB", 1950, Gender.FEMALE, "022150000444", "Thôn Bắc",
                         OTHER_POINT)
    listed = parsed_list(the_people=[person], the_lines=[
        line(KHANH, "monthly", 1_878_000),
        line(KHANH, "arrears", 1_200_000, kind=LineKind.ARREARS),
    ])
    return dataclasses.replace(
        listed, communes=(Commune(OTHER_COMMUNE, "Xã Hải Đông", "QNH", "Huyện Hải Hà"),),
        villages=(Village(OTHER_COMMUNE, "Thôn Bắc"),), authorisations=(),
        points=(PayoutPoint(OTHER_POINT, OTHER_COMMUNE, "UBND xã Hải Đông"),),
    )


def enrolled(province: Province, name: str, communes: list[str]) -> Device:
    store = Store.open(province.folder / name, clock=province.clock)
    enrol(store, province.url, province.enrol_code(communes), label=name)
    device = Device(name, store, province.url)
    province.devices.append(device)
    assert device.sync().ok
    return device


def build(database_url: str, folder: Path) -> Scenario:
    province = Province(database_url, folder)
    try:
        with db.transaction(province.engine) as conn:
            province_module.import_list(conn, other_commune_list(), NOW)
            accounts.add_user(conn, "giaodich2", "Lê Văn Hai", "teller", "pw-teller-2", [OTHER_COMMUNE], NOW)
        a = province.device("a")
        b = province.device("b", clock=Clock(province.clock()))
        c = enrolled(province, "c", [OTHER_COMMUNE])

        a.pay(DUC, [DUC_MONTHLY, DUC_SUPPLEMENT])  # 5.788.000
        huế = a.pay(HUE, [HUE_MONTHLY])  # 5.578.000, reversed below
        a.store.payouts.reverse(huế.entry_id, reason="Nhầm người nhận", supervisor="giamsat")
        a.pay(DUC, [DUC_CONVALESCENCE])  # 2.510.100
        a.store.payouts.close_session(a.paying_session, counted=CashCount(((500_000, 83), (100_000, 2))),
                                      witness="Trưởng thôn Đông", staff="giaodich", reason="Thiếu 1.900 đồng tiền lẻ")
        assert a.sync().ok

        b.clock.now += dt.timedelta(minutes=10)  # B's clock runs fast: every entry it sends is flagged
        double = b.pay(DUC, [DUC_MONTHLY])  # 4.389.000, already paid by A
        b.pay(DUC, [DUC_PENSION])  # 5.120.000
        report = b.sync()
        assert report.upload_ok and report.flagged == 3

        c.session_id = c.store.payouts.open_session(commune_code=OTHER_COMMUNE, point_id=OTHER_POINT, day=DAY,
                                                    cash_advance=20_000_000, staff="giaodich2").session_id
        c.pay(KHANH, [KHANH_MONTHLY], staff="giaodich2")  # 1.878.000
        assert c.sync().ok

        # January: the new list carries Huệ's unpaid December line over; A pays it in a January session.
        province.clock.now = dt.datetime(2027, 1, 5, 8, 30, tzinfo=dt.UTC)
        january = parsed_list(period=JANUARY, the_lines=[
            line(HUE, "monthly", 5_578_000, period=DECEMBER, list_period=JANUARY),
            line(HUE, "monthly", 5_578_000, period=JANUARY, list_period=JANUARY),
            line(DUC, "monthly", 4_389_000, period=JANUARY, list_period=JANUARY),
        ])
        with db.transaction(province.engine) as conn:
            province_module.import_list(conn, january, province.clock())
        assert a.sync().ok
        a.session_id = a.store.payouts.open_session(commune_code=COMMUNE, point_id=POINT, day=dt.date(2027, 1, 5),
                                                    cash_advance=30_000_000, staff="giaodich").session_id
        a.pay(HUE, [HUE_MONTHLY])
        a.pay(TAM, [TAM_FUNERAL], recipient=Recipient(RecipientKind.REPRESENTATIVE, "Lê Thị Hoa", "022175000111"))
        assert a.sync().ok
        return Scenario(province, double.entry_id, huế.entry_id)
    except BaseException:
        province.close()
        raise
