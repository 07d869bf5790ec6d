"""Take the README screenshot: the real window on demo data, a person with several entitlements selected.

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

    from app.domain.model import Role
    from app.lists.demo import DemoSpec, generate_demo_rows
    from app.lists.policy import load_policy
    from app.lists.writer import write_list_xlsx
    from app.store.store import Store
    from app.ui.app import install_fonts
    from app.ui.main_window import MainWindow
    from app.ui.tasks import DbRunner

    app = QApplication(sys.argv[:1])
    install_fonts(app)
    folder = Path(tempfile.mkdtemp(prefix="pd-shot-"))
    period = dt.date.today().strftime("%Y-%m")
    rows = generate_demo_rows(DemoSpec(communes=3, payout_period=period))
    write_list_xlsx(folder / "list.xlsx", rows, payout_period=period, demo=True)
    store = Store.open(folder / "data", demo=True)
    store.lists.import_file(folder / "list.xlsx", payout_period=period)
    store.staff.add("giaodich", "Nguyễn Thị Giao Dịch", Role.TELLER, "x")
    place = store.desk.places()[0]
    duc = store.search.search("nguyen van duc").hits[0]
    session = store.payouts.open_session(commune_code=duc.commune_code, point_id=duc.point_id,
                                         day=dt.date.today(), cash_advance=150_000_000, staff="giaodich")
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
        send(QEvent.Type.MouseButtonPress, 40, 70, Qt.MouseButton.LeftButton)
        import math
        for step in range(1, 80):
            send(QEvent.Type.MouseMove, 40 + step * 5, 70 + 25 * math.sin(step / 5), Qt.MouseButton.LeftButton)
        send(QEvent.Type.MouseButtonRelease, 440, 70, Qt.MouseButton.NoButton)

    def pick() -> None:
        window.search.setText("duc nguyen")
        window.run_search()
        QTimer.singleShot(800, select)

    def select() -> None:
        window.people.selectRow(max(0, window.people_model.position_of(duc.record_code)))
        QTimer.singleShot(800, lambda: (window.panel.identity.setCurrentIndex(2), draw(), QTimer.singleShot(400, shoot)))

    def shoot() -> None:
        window.grab().save(args.out)
        print(f"saved {args.out}; place {place.commune.name}")
        app.quit()

    QTimer.singleShot(600, pick)
    app.exec()
    runner.run_sync(store.close)
    runner.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
