"""The store tests' small commune, built as domain values: four people (payable, an account line and a proxy,
deceased with a representative, suspended), their lines, the parsed list, a signature, a payment request, and a
settable clock. Used by the store, server, UI and document tests, the benchmarks and the screenshot tools."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from sqlalchemy import Engine, text

from app.domain.model import (
    Authorisation,
    Beneficiary,
    BeneficiaryStatus,
    Commune,
    EntitlementLine,
    Evidence,
    EvidenceKind,
    Gender,
    IdentityCheck,
    LineKind,
    PaymentMethod,
    PaymentRequest,
    PayoutPoint,
    Province,
    Recipient,
    Representative,
    ScheduleSlot,
    Village,
    line_key,
)
from app.domain.signature import SignaturePoint, decode_strokes, encode_strokes, render_png
from app.lists.parsed import ParsedList
from app.store import database
from app.store.keys import new_key
from app.store.store import DB_NAME

COMMUNE = "QNH-0001"
POINT = "QNH-0001/nha-van-hoa-thon-dong"
PERIOD = "2026-12"
DAY = dt.date(2026, 12, 5)
NOW = dt.datetime(2026, 12, 5, 8, 30, tzinfo=dt.UTC)

DUC = "QNH/AQ-00001-TCM"
HUE = "QNH/LS-00002-TCM"
TAM = "QNH/AQ-00004-TCM"
NAM = "QNH/BB-00005-TCM"


def line(record: str, regime: str, amount: int, *, period: str = PERIOD, list_period: str = PERIOD,
         kind: LineKind = LineKind.RECURRING, method: PaymentMethod = PaymentMethod.CASH,
         programme: str = "uu_dai", line_id: str | None = None) -> EntitlementLine:
    return EntitlementLine(
        key=line_key(line_id, record, period, programme, regime), record_code=record, period=period,
        list_period=list_period, programme=programme, regime=regime, kind=kind, amount=amount, method=method,
        line_id=line_id,
    )


def people() -> list[Beneficiary]:
    return [
        Beneficiary(DUC, "Nguyễn Văn Đức", COMMUNE, "AQ", 1952, Gender.MALE, "022052000123", "Thôn Đông", POINT),
        Beneficiary(HUE, "Đặng Thị Huệ", COMMUNE, "LS", 1948, Gender.FEMALE, "022148000456", "Thôn Tây", POINT),
        Beneficiary(TAM, "Lê Văn Tâm", COMMUNE, "AQ", 1945, Gender.MALE, "022045000789", "Thôn Đông", POINT,
                    BeneficiaryStatus.DECEASED, "", dt.date(2026, 11, 3), Representative("Lê Thị Hoa", "022175000111")),
        Beneficiary(NAM, "Phạm Văn Nam", COMMUNE, "BB", 1950, Gender.MALE, "022050000222", "Thôn Tây", POINT,
                    BeneficiaryStatus.SUSPENDED, "Vắng mặt tại địa phương"),
    ]


def lines(period: str = PERIOD) -> list[EntitlementLine]:
    return [
        line(DUC, "monthly", 4_389_000, period=period, list_period=period),
        line(DUC, "supplement", 1_399_000, period=period, list_period=period),
        line(DUC, "pension", 5_120_000, period=period, list_period=period, programme="luong_huu"),
        line(DUC, "convalescence", 2_510_100, period=period, list_period=period, kind=LineKind.ONE_TIME),
        line(HUE, "monthly", 5_578_000, period=period, list_period=period),
        line(HUE, "gift", 600_000, period=period, list_period=period, kind=LineKind.ONE_TIME,
             method=PaymentMethod.ACCOUNT),
        line(TAM, "monthly", 4_389_000, period="2026-11", list_period=period),
        line(TAM, "monthly", 4_389_000, period=period, list_period=period),
        line(TAM, "funeral", 18_720_000, period=period, list_period=period, kind=LineKind.DEATH_RELATED),
        line(TAM, "death_allowance", 13_167_000, period=period, list_period=period, kind=LineKind.DEATH_RELATED),
        line(NAM, "monthly", 2_911_000, period=period, list_period=period),
    ]


def parsed_list(*, period: str = PERIOD, the_lines: list[EntitlementLine] | None = None,
                the_people: list[Beneficiary] | None = None, source: str = "list.xlsx") -> ParsedList:
    return ParsedList(
        source=source,
        sha256="0" * 64,
        payout_period=period,
        province=Province("QNH", "Tỉnh Quảng Ninh"),
        communes=(Commune(COMMUNE, "Xã Yên Đức", "QNH"),),
        villages=(Village(COMMUNE, "Thôn Đông"), Village(COMMUNE, "Thôn Tây")),
        points=(PayoutPoint(POINT, COMMUNE, "Nhà văn hóa thôn Đông"),),
        schedule=(),
        beneficiaries=tuple(the_people if the_people is not None else people()),
        authorisations=(
            Authorisation(HUE, "Đặng Văn Bình", "022170000333", "UQ-2026/0007", dt.date(2027, 2, 28)),
        ),
        lines=tuple(the_lines if the_lines is not None else lines(period)),
    )


def three_communes_list(period: str = PERIOD) -> ParsedList:
    """A device with three communes and no people, its places named so that code-point order is wrong ("Xã Hà Phong"
    after "Xã Hoàng Quế", "Thôn Tây Xá" before "Thôn Đông Xá", "khu 10" before "khu 2"), and a schedule: on 7/12 two
    points (Tây Xá at 07:30, the Hoàng Quế hall at 13:30), on 9/12 Đông Xá, on 3/12 khu 10."""
    communes = (Commune("QNH-0003", "Xã Hoàng Quế", "QNH"), Commune("QNH-0002", "Phường Yên Thanh", "QNH"),
                Commune("QNH-0001", "Xã Hà Phong", "QNH"))
    points = (PayoutPoint("P-TAY", "QNH-0001", "Nhà văn hóa thôn Tây Xá"),
              PayoutPoint("P-DONG", "QNH-0001", "Nhà văn hóa thôn Đông Xá"),
              PayoutPoint("P-YEN", "QNH-0002", "Nhà văn hóa khu 10"),
              PayoutPoint("P-YEN2", "QNH-0002", "Nhà văn hóa khu 2"),
              PayoutPoint("P-QUE", "QNH-0003", "Hội trường UBND xã"))
    villages = tuple(Village("QNH-0001", name) for name in ("Thôn Tây Xá", "Thôn 10", "Thôn Đông Xá", "Thôn 2"))
    at = dt.time
    schedule = (ScheduleSlot("P-QUE", dt.date(2026, 12, 7), at(13, 30), at(16, 30)),
                ScheduleSlot("P-TAY", dt.date(2026, 12, 7), at(7, 30), at(11, 0)),
                ScheduleSlot("P-DONG", dt.date(2026, 12, 9), at(7, 30), at(11, 0)),
                ScheduleSlot("P-YEN", dt.date(2026, 12, 3), at(7, 30), at(11, 0)))
    return replace(parsed_list(period=period), communes=communes, points=points, villages=villages,
                   schedule=schedule, beneficiaries=(), authorisations=(), lines=())


def signature_evidence() -> Evidence:
    points = [SignaturePoint(20 + i * 7, 60 + (i * 13) % 50, i * 12) for i in range(60)]
    strokes = encode_strokes(600, 200, [points])
    return Evidence(EvidenceKind.SIGNATURE, strokes=strokes, png=render_png(decode_strokes(strokes)))


class Clock:
    """A settable clock so tests control 'today'."""

    def __init__(self, now: dt.datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def request(session: str, record: str, keys: object, *, recipient: Recipient | None = None,
            evidence: Evidence | None = None, staff: str = "giaodich", **extra: object) -> PaymentRequest:
    return PaymentRequest(
        session_id=session,
        record_code=record,
        line_keys=tuple(keys),  # type: ignore[arg-type]
        recipient=recipient or Recipient(),
        identity_check=IdentityCheck.CARD_INSPECTED,
        evidence=evidence or signature_evidence(),
        staff=staff,
        **extra,  # type: ignore[arg-type]
    )


def eight_lines(record: str = DUC, period: str = PERIOD) -> list[EntitlementLine]:
    """A war invalid's eight lines in one visit, from two programmes, each regime with its own (long) explanation:
    the most a teller meets on one person, and the case the payout panel must show whole at 1366×768."""
    return [
        line(record, "monthly", 4_389_000, period=period, list_period=period),
        line(record, "supplement", 1_399_000, period=period, list_period=period),
        line(record, "carer", 2_789_000, period=period, list_period=period),
        line(record, "arrears", 8_778_000, period=period, list_period=period, kind=LineKind.ONE_TIME),
        line(record, "convalescence", 2_510_100, period=period, list_period=period, kind=LineKind.ONE_TIME),
        line(record, "gift", 600_000, period=period, list_period=period, kind=LineKind.ONE_TIME),
        line(record, "pension", 5_120_000, period=period, list_period=period, programme="luong_huu"),
        line(record, "social_insurance", 1_850_000, period=period, list_period=period, programme="luong_huu"),
    ]


def eight_lines_list(period: str = PERIOD) -> ParsedList:
    """The small commune with Nguyễn Văn Đức's four lines replaced by ``eight_lines``."""
    others = [item for item in lines(period) if item.record_code != DUC]
    return parsed_list(period=period, the_lines=eight_lines(DUC, period) + others)


def legacy_key_folder(folder: Path, key: bytes, store_id: str = "old-store") -> Path:
    """A data folder as versions before key slots left it: the store id in plain text in the folder, the database key
    in a key file in the user's key folder (``PAYOUT_DESK_KEY_DIR``); the key file's path."""
    import os
    from pathlib import Path

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "store-id").write_text(store_id + "\n")
    key_dir = Path(os.environ["PAYOUT_DESK_KEY_DIR"])
    key_dir.mkdir(parents=True, exist_ok=True)
    key_file = key_dir / f"{store_id}.key"
    key_file.write_text(key.hex())
    return key_file


def store_at_revision(folder: Path, revision: str) -> Engine:
    """A data folder as an older release left it (``legacy_key_folder``): the schema at ``revision``, a device, a
    province and a commune — for the tests of a migration (add rows, dispose of the engine, then ``Store.open``
    upgrades it)."""
    key = new_key()
    legacy_key_folder(folder, key)
    engine = database.make_engine(folder / DB_NAME, key)
    database.migrate(engine, revision)
    with database.write(engine) as conn:
        conn.execute(text("INSERT INTO meta VALUES ('device_id', 'dev-1'), ('store_id', 'old-store')"))
        conn.execute(text("INSERT INTO provinces VALUES ('QNH', 'Quảng Ninh')"))
        conn.execute(text("INSERT INTO communes (code, name, province_code) VALUES ('QNH-0001', 'Xã Yên Đức', 'QNH')"))
    return engine
