"""Receipt numbers (gap-free per payout day, kept by the store) and the point's people read in Vietnamese order by
SQL from the stored name key; the migration that adds both numbers and keys what an older store holds."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from pathlib import Path

from sqlalchemy import text

from app.domain.model import Beneficiary, Gender
from app.domain.text import person_name_key
from app.store import database
from app.store.store import Store
from tests.builders.store import COMMUNE, DAY, POINT, line, parsed_list, store_at_revision

GIVEN = ("An", "Ăn", "Ân", "Anh", "Ánh", "Bình", "Dương", "Đông", "Đức", "Hà", "Hải", "Huệ", "Nam", "Ngô", "Ơn", "Ư",
         "Yến", "Tám", "Tâm", "Tuấn")
FAMILY = ("Nguyễn", "Ngô", "Đặng", "Dương", "Lê", "Ấn", "Bùi", "Vũ")


def crowd_list(people: list[Beneficiary]):
    return replace(parsed_list(the_people=people, the_lines=[line(p.record_code, "monthly", 1_878_000)
                                                             for p in people]), authorisations=())


def crowd(count: int, seed: int = 5) -> list[Beneficiary]:
    rng = random.Random(seed)
    return [
        Beneficiary(f"QNH/AQ-{i:05d}-TCM", f"{rng.choice(FAMILY)} {rng.choice(('Văn', 'Thị', 'Hữu', ''))} "
                    f"{rng.choice(GIVEN)}".replace("  ", " "), COMMUNE, "AQ", 1950, Gender.MALE, None, "Thôn Đông",
                    POINT)
        for i in range(1, count + 1)
    ]


def test_a_points_people_come_in_vietnamese_order_from_the_index(tmp_path: Path):
    people = crowd(120)
    with Store.open(tmp_path / "data") as store:
        store.lists.import_parsed(crowd_list(people))
        session = store.payouts.open_session(commune_code=COMMUNE, point_id=POINT, day=DAY, cash_advance=0,
                                             staff="giaodich")
        expected = [p.record_code for p in sorted(people, key=lambda p: (person_name_key(p.full_name),
                                                                         p.record_code))]
        assert [row.record_code for row in store.desk.people(session.session_id, limit=200)] == expected
        assert [row.record_code for row in store.desk.people(session.session_id, limit=25)] == expected[:25]
        # a renamed person moves to their new place (the key follows the name through the list's update)
        renamed = [p if p.record_code != expected[0] else
                   Beneficiary(p.record_code, "Vũ Văn Yến", COMMUNE, "AQ", 1950, Gender.MALE, None, "Thôn Đông",
                               POINT) for p in people]
        store.lists.import_parsed(crowd_list(renamed))
        assert store.desk.people(session.session_id, limit=200)[-1].record_code == expected[0]
        with database.read(store.engine) as conn:
            plan = " ".join(str(row[-1]) for row in conn.execute(text(
                "EXPLAIN QUERY PLAN SELECT record_code FROM beneficiaries b WHERE b.commune_code = 'x' "
                "AND b.point_id = 'y' ORDER BY b.name_key, b.record_code LIMIT 200")))
        assert "ix_beneficiaries_point_name" in plan and "TEMP B-TREE" not in plan  # read in order, not sorted


def test_upgrade_numbers_the_receipts_already_made_and_keys_every_name(tmp_path: Path):
    folder = tmp_path / "data"
    engine = store_at_revision(folder, "0006")
    with database.write(engine) as conn:
        for code, name in (("A", "Nguyễn Văn Đức"), ("B", "Đặng Thị Ánh"), ("C", "Lê An")):
            conn.execute(text("INSERT INTO beneficiaries (record_code, full_name, commune_code, category, status) "
                              "VALUES (:c, :n, 'QNH-0001', 'AQ', 'active')"), {"c": code, "n": name})
        # two days of payments, made in this order of the journal: day 1, day 2, day 1, day 2, day 1
        seq = 0
        for session, day in (("s1", "2026-12-07"), ("s2", "2026-12-08")):
            seq += 1
            conn.execute(text("INSERT INTO journal VALUES (:s, :e, 'session_opened', 't', 'a', x'00', 'p', :h)"),
                         {"s": seq, "e": f"open-{session}", "h": f"h{seq}"})
            conn.execute(text("INSERT INTO payout_sessions (session_id, commune_code, point_id, day, period, "
                              "cash_advance, opened_by, status, opened_entry) VALUES (:s, 'QNH-0001', 'P', :d, "
                              "'2026-12', 0, 'a', 'open', :e)"), {"s": session, "d": day, "e": f"open-{session}"})
        for index, session in enumerate(("s1", "s2", "s1", "s2", "s1")):
            seq += 1
            conn.execute(text("INSERT INTO journal VALUES (:s, :e, 'payment', 't', 'a', x'00', 'p', :h)"),
                         {"s": seq, "e": f"pay-{index}", "h": f"h{seq}"})
            conn.execute(text("INSERT INTO payments (entry_id, session_id, record_code, total, recorded_at) "
                              "VALUES (:e, :s, 'A', 1, 't')"), {"e": f"pay-{index}", "s": session})
    engine.dispose()

    with Store.open(folder) as upgraded:
        assert database.current_revision(upgraded.engine) == database.HEAD_REVISION >= "0007"
        with database.read(upgraded.engine) as conn:
            numbered = conn.execute(text("SELECT entry_id, day, receipt_no FROM payments ORDER BY entry_id")).all()
            names = [row[0] for row in conn.execute(text("SELECT full_name FROM beneficiaries ORDER BY name_key"))]
        assert numbered == [("pay-0", "2026-12-07", 1), ("pay-1", "2026-12-08", 1), ("pay-2", "2026-12-07", 2),
                            ("pay-3", "2026-12-08", 2), ("pay-4", "2026-12-07", 3)]
        assert names == ["Lê An", "Đặng Thị Ánh", "Nguyễn Văn Đức"]
        assert upgraded.reports.find_payment("3", dt.date(2026, 12, 7)) == "pay-4"
        assert upgraded.reports.find_payment("số 2") == "pay-3"  # the latest payout day by default
