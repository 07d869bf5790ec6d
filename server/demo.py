"""A demo province on the server: the demo lists (the Department's and BHXH's, one import per agency), demo staff and
an enrolment code — for ``payout-desk demo``; and the next month's list, not imported, to show a list that
contradicts a death recorded since.

The same deterministic demo data the desktop client used to load on its own (``app.lists.demo``), now held by the
province server, so a new user sees the whole loop: enrol, download, pay, sync, a death notice, a flag.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.domain.journal import format_timestamp
from app.domain.period import add_months
from app.lists.demo import DemoSpec, demo_lists, generate_demo_rows, next_month_rows
from app.lists.writer import write_list_csv
from server import accounts, db, province, schema
from server.recovery_key import KdfCost
from server.settings import ServerSettings
from server.setup import NewKey, init_server, open_engine

DEMO_PASSPHRASE = "khoa-khoi-phuc-demo"
"""The demo province's recovery key passphrase, printed with the demo's accounts: a demo keeps no secrets."""
DEMO_KEY_FILE = "demo-recovery-key.txt"
DEMO_STAFF = (
    ("giaodich", "Nguyễn Thị Giao Dịch", "teller", "giaodich123", None),
    ("giamsat", "Trần Văn Giám Sát", "supervisor", "giamsat123", None),
    ("tinh", "Lê Thị Cán Bộ Tỉnh", "officer", "tinh123", None),
    ("bhxh", "Phạm Văn Bảo Hiểm", "officer", "bhxh123", "bhxh"),  # an officer of BHXH: sees BHXH's lines only
)


def set_up(settings: ServerSettings, communes: int = 174, period: str | None = None) -> dict[str, Any]:
    """Load the demo province once (later calls reuse it) and make a fresh enrolment code for every commune.

    The demo's recovery key file stays in its data folder, under a passphrase it prints (a real province's never
    does: ``server.setup``); a cheap key derivation keeps the demo's start quick."""
    key_file = settings.data_dir / DEMO_KEY_FILE
    init_server(settings, lambda: NewKey(key_file, DEMO_PASSPHRASE, KdfCost(time_cost=1, memory_mib=8, lanes=1),
                                         inside_data_folder=True))
    engine = open_engine(settings)
    try:
        with engine.connect() as conn:
            loaded = conn.execute(select(func.count()).select_from(schema.list_imports)).scalar_one()
        if not loaded:
            period = period or settings.province_time.period_of(settings.clock())
            spec = DemoSpec(communes=communes, payout_period=period)
            now = settings.clock()
            with db.transaction(engine) as conn:
                for _agency, parsed in demo_lists(settings.data_dir, spec):  # the Department's, then BHXH's
                    province.import_list(conn, parsed, now)
                for username, name, role, password, agency in DEMO_STAFF:
                    accounts.add_user(conn, username, name, role, password, ["*"], now, agency)
        with db.transaction(engine) as conn:
            codes = province.commune_codes(conn)
            code = accounts.make_enrol_code(conn, codes, settings.clock(), settings.enrol_code_hours, "demo")
            latest = conn.execute(select(func.max(schema.list_imports.c.payout_period))).scalar_one()
        next_list = next_month_list(settings, communes, latest)
    finally:
        engine.dispose()
    return {
        "enrol_code": code,
        "communes": len(codes),
        "staff": [{"username": u, "role": r, "password": p, **({"agency": a} if a else {})}
                  for u, _, r, p, a in DEMO_STAFF],
        "database": settings.database_url,
        "recovery_key": {"file": str(key_file), "passphrase": DEMO_PASSPHRASE},
        "next_list": str(next_list),
        "created_at": format_timestamp(dt.datetime.now(dt.UTC)),
    }


def next_month_list(settings: ServerSettings, communes: int, latest: str) -> Path:
    """The next month's demo list, written once beside the data (not imported): prepared weeks before, it still lists
    everyone living as the month before did — so importing it after recording a death shows a contradiction, by
    person (``app.lists.demo.next_month_rows``)."""
    period = add_months(latest, 1)
    path = settings.data_dir / f"danh-sach-thu-{period}.csv"
    if not path.exists():
        rows = generate_demo_rows(DemoSpec(communes=communes, payout_period=latest))
        write_list_csv(path, next_month_rows(rows, period), payout_period=period)
    return path
