"""Take the README screenshot: the real window on demo data, enrolled with a real province server (in-process, on
loopback), after a sync that flagged a line another laptop also paid; one person on two agencies' lists (the demo's
Nguyễn Văn Đức: his người có công lines on the Department's list, given three more by a corrected list for the month,
and his pension on BHXH's list, matched by his personal number), his remaining lines selected, each with its agency.

Run under Xvfb:  xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tools/screenshot.py docs/screenshot.png
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PAYOUT_DESK_KEY_DIR", tempfile.mkdtemp(prefix="pd-keys-"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    args = parser.parse_args()

    from PySide6.QtCore import QEvent, QPointF, Qt, QTimer
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    from app.lists.policy import load_policy
    from app.ui.app import install_fonts
    from app.ui.main_window import MainWindow
    from app.ui.tasks import DbRunner

    app = QApplication(sys.argv[:1])
    install_fonts(app)
    folder = Path(tempfile.mkdtemp(prefix="pd-shot-"))
    period = dt.date.today().strftime("%Y-%m")
    store, other, stop_server = enrolled_pair(folder, period)
    duc = store.search.search("nguyen van duc").hits[0]
    place = store.desk.places()[0]
    session = store.payouts.open_session(commune_code=duc.commune_code, point_id=duc.point_id,
                                         day=dt.date.today(), cash_advance=150_000_000, staff="giaodich")
    pay_same_line_on_both(store, other, duc.record_code, session.session_id)
    runner = DbRunner()
    window = MainWindow(runner, store, store.staff.get("giaodich"), load_policy(), "vi", demo=True)
    window.resize(1366, 768)
    window.show()
    window.set_session(session)

    def draw() -> None:
        pad = window.panel.signature.pad
        def send(kind, x, y, buttons):
            QApplication.sendEvent(pad, QMouseEvent(kind, QPointF(x, y), pad.mapToGlobal(QPointF(x, y)),
                                                    Qt.MouseButton.LeftButton, buttons, Qt.KeyboardModifier.NoModifier))
        import math
        width, middle = pad.width(), pad.height() * 0.5
        send(QEvent.Type.MouseButtonPress, width * 0.1, middle, Qt.MouseButton.LeftButton)
        for step in range(1, 80):
            send(QEvent.Type.MouseMove, width * (0.1 + 0.8 * step / 80),
                 middle + pad.height() * 0.2 * math.sin(step / 5),
                 Qt.MouseButton.LeftButton)
        send(QEvent.Type.MouseButtonRelease, width * 0.9, middle, Qt.MouseButton.NoButton)

    def pick() -> None:
        window.search.setText("duc nguyen")
        window.run_search()
        QTimer.singleShot(800, select)

    def select() -> None:
        window.people.selectRow(max(0, window.people_model.position_of(duc.record_code)))
        QTimer.singleShot(800, sign)

    def sign() -> None:
        window.panel.identity.setCurrentIndex(2)
        draw()
        QTimer.singleShot(400, shoot)

    def shoot() -> None:
        window.grab().save(args.out)
        print(f"saved {args.out}; place {place.commune.name}")
        app.quit()

    QTimer.singleShot(600, pick)
    app.exec()
    runner.run_sync(store.close)
    runner.stop()
    other.close()
    stop_server()
    return 0


def enrolled_pair(folder: Path, period: str):  # -> (Store, Store, stop)
    """A demo province server (3 communes) and two laptops enrolled with it and synced."""
    import threading
    import time

    import uvicorn

    from app.store.store import Store
    from app.sync.engine import SyncEngine
    from app.sync.enrolment import enrol
    from server import demo as province_demo
    from server.api import create_app
    from server.settings import ServerSettings

    settings = ServerSettings(data_dir=folder / "server")
    province_demo.set_up(settings, communes=3, period=period)
    give_duc_more_lines(settings, period)
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    laptops = []
    for name in ("data", "other"):
        laptop = Store.open(folder / name, demo=True)
        enrol(laptop, url, province_demo.set_up(settings)["enrol_code"], label=name)
        SyncEngine(laptop).run()
        laptops.append(laptop)

    def stop() -> None:
        server.should_exit = True
        thread.join(10)

    return laptops[0], laptops[1], stop


EXTRA_LINES = (  # (programme, regime, amount, note): what a war invalid may also be due in one month
    ("Trợ cấp ưu đãi người có công", "Trợ cấp người phục vụ", 2_789_000, ""),
    ("Trợ cấp ưu đãi người có công", "Truy lĩnh", 8_778_000, "Truy lĩnh 3 tháng theo quyết định điều chỉnh"),
    ("Trợ cấp ưu đãi người có công", "Quà tặng", 600_000, ""),
)


def give_duc_more_lines(settings, period: str) -> None:  # ServerSettings
    """A corrected Department list for the month, read by the real list reader, adding three lines to Nguyễn Văn
    Đức's (his pension comes from BHXH's list, which the demo server imports beside it)."""
    import datetime as dt

    from app.lists.demo import DemoSpec, generate_demo_rows
    from app.lists.policy import load_policy
    from app.lists.reader import read_list
    from app.lists.writer import write_list_csv
    from server import db, province
    from server.cli import open_engine

    rows = generate_demo_rows(DemoSpec(communes=3, payout_period=period))
    duc = [row for row in rows if row["record_code"] == "QNH/AQ-00001-TCM"]
    extra = [{**duc[0], "programme": programme, "regime": regime, "amount": amount, "note": note or None}
             for programme, regime, amount, note in EXTRA_LINES]
    at = rows.index(duc[-1]) + 1
    rows = rows[:at] + extra + rows[at:]
    for number, row in enumerate(rows, start=1):
        row["stt"] = number
    path = settings.data_dir / f"danh-sach-dieu-chinh-{period}.csv"
    write_list_csv(path, rows, payout_period=period)
    parsed = read_list(path, policy=load_policy(), payout_period=period, agency="so_noi_vu")
    engine = open_engine(settings)
    try:
        with db.transaction(engine) as conn:
            province.import_list(conn, parsed, dt.datetime.now(dt.UTC))
    finally:
        engine.dispose()


def pay_same_line_on_both(store, other, record_code: str, session_id: str) -> None:
    """This laptop and another one both pay the person's smallest line offline; after syncing, both see the flag."""
    from app.sync.engine import SyncEngine
    from tests.builders.store import request

    view = store.payouts.person(record_code, session_id)
    line = min((state.line for state in view.lines if state.payable), key=lambda line: line.amount)
    other_session = other.payouts.open_session(commune_code=view.beneficiary.commune_code,
                                               point_id=view.beneficiary.point_id, day=dt.date.today(),
                                               cash_advance=10_000_000, staff="giaodich")
    other.payouts.pay(request(other_session.session_id, record_code, [line.key]))
    store.payouts.pay(request(session_id, record_code, [line.key]))
    SyncEngine(other).run()
    SyncEngine(store).run()


if __name__ == "__main__":
    sys.exit(main())
