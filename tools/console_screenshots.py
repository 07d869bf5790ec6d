"""Screenshots of the province console for the README: the progress page and a double-payment flag under review.

A demo province (12 communes) on a real server; two laptops enrol, pay most people of three communes, pay one person
twice, and sync; then headless Chromium signs in and takes the pages. Needs Debian's chromium.

    .venv/bin/python tools/console_screenshots.py docs/
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PAYOUT_DESK_KEY_DIR", tempfile.mkdtemp(prefix="pd-keys-"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    args = parser.parse_args()

    import uvicorn
    from playwright.sync_api import sync_playwright

    from app.domain.errors import PaymentRefused
    from app.domain.period import period_of
    from app.store.store import Store
    from app.sync.engine import SyncEngine
    from app.sync.enrolment import enrol
    from server import demo as province_demo
    from server.api import create_app
    from server.settings import ServerSettings
    from tests.builders.store import request

    folder = Path(tempfile.mkdtemp(prefix="pd-console-"))
    period = period_of(dt.date.today())
    settings = ServerSettings(data_dir=folder / "server")
    province_demo.set_up(settings, communes=12, period=period)
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    url = f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"

    laptops = []
    for name in ("laptop-thon-dong", "laptop-thon-tay"):
        store = Store.open(folder / name)
        enrol(store, url, province_demo.set_up(settings)["enrol_code"], label=name)
        SyncEngine(store).run()
        laptops.append(store)
    rng = random.Random(3)
    first = laptops[0]
    places = first.desk.places()[:3]
    paid: list[tuple[int, str]] = []
    for place in places:
        for point in place.points:
            session = first.payouts.open_session(commune_code=place.commune.code, point_id=point.point_id,
                                                 day=dt.date.today(), cash_advance=500_000_000, staff="giaodich")
            for row in first.desk.people(session.session_id, limit=1000):
                if rng.random() < 0.8:
                    view = first.payouts.person(row.record_code, session.session_id)
                    if view.selected and view.beneficiary.status.value == "active":
                        try:
                            first.payouts.pay(request(session.session_id, row.record_code, sorted(view.selected)))
                            paid.append((len(view.selected), row.record_code))
                        except PaymentRefused:
                            continue  # a line the desk would not offer at this point (e.g. another point's): skip
    record = max(paid)[1]  # the person paid the most lines: paid again for three of them on the other laptop
    duc = next(hit for hit in first.search.search(record).hits if hit.record_code == record)
    other = laptops[1]
    assert duc.point_id is not None  # the demo province gives every person a payout point
    other_session = other.payouts.open_session(commune_code=duc.commune_code, point_id=duc.point_id,
                                               day=dt.date.today(), cash_advance=50_000_000, staff="giaodich")
    view = other.payouts.person(duc.record_code, other_session.session_id)
    paid_by_first = {line.key for payment in first.payouts.person(duc.record_code).payments for line in payment.lines}
    twice = sorted(paid_by_first & {state.line.key for state in view.lines if state.payable})[:3]
    other.payouts.pay(request(other_session.session_id, duc.record_code, twice))
    for store in laptops:
        SyncEngine(store).run()

    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="vi-VN")
        page.goto(f"{url}/console/signin")
        page.fill("#username", "tinh")
        page.fill("#password", "tinh123")
        page.click("button[type=submit]")
        page.wait_for_url("**/progress")
        page.screenshot(path=str(args.out / "console-progress.png"), full_page=False)
        page.goto(f"{url}/console/flags")
        page.click("#flag-queue tbody tr >> nth=0 >> a >> nth=1")
        page.wait_for_selector(".evidence")
        page.screenshot(path=str(args.out / "console-flag.png"), full_page=True)
        browser.close()
    for store in laptops:
        store.close()
    server.should_exit = True
    thread.join(10)
    print(f"saved {args.out / 'console-progress.png'} and {args.out / 'console-flag.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
