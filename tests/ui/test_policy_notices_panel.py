"""The province's policy word on the desk, end to end: an officer publishes a notice and corrects a regime's
explanation in the console (real HTTP); the desk syncs from its window (the real sync engine against the real
server); the "Thông báo chính sách" button counts the notice, its panel lists it, and the person's line shows the
province's explanation, marked as such; the notice withdrawn in the console is gone after the next sync."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.lists.policy import load_policy
from app.sync.engine import SyncEngine
from app.ui.main_window import MainWindow
from app.ui.models import LinesModel
from app.ui.tasks import DbRunner
from tests.builders.console import OfficerSession
from tests.builders.desk import find_person
from tests.builders.province import Province
from tests.builders.store import COMMUNE, DAY, DUC, POINT

NOTICE = {"title": "Mức chuẩn mới", "body": "Từ 01/07/2024 mức chuẩn trợ cấp ưu đãi là 2.789.000 đồng.",
          "effective_from": "2024-07-01", "regime": "", "agency": "so_noi_vu"}


def test_a_notice_published_in_the_console_reaches_the_panel_and_a_withdrawn_one_leaves_it(qtbot, tmp_path: Path):
    province = Province(f"sqlite:///{tmp_path}/server.db", tmp_path)
    runner = DbRunner()
    try:
        province.add_officer("tinh")
        device = province.device("a")
        officer = OfficerSession(province.url)
        officer.sign_in("tinh", "pw-tinh")
        officer.get("/console/policy")
        assert officer.post("/console/policy/notices", NOTICE).status_code == 303
        answer = officer.post("/console/policy/explanation", {
            "regime": "monthly", "text": "Trợ cấp hằng tháng theo mức tỉnh thông báo.", "text_en": "",
            "reason": "câu cũ khó hiểu"})
        assert answer.status_code == 303
        page = officer.get("/console/policy").text
        assert "Mức chuẩn mới" in page and "Giải thích của tỉnh" in page

        store = device.store
        teller = store.staff.get("giaodich")
        assert teller is not None
        main = MainWindow(runner, store, teller, load_policy(), "vi",
                          sync_engine_factory=lambda s: SyncEngine(s, device.client(), sleep=lambda _: None))
        qtbot.addWidget(main)
        main.resize(1366, 768)
        with qtbot.waitSignal(main.sync.statusShown, timeout=5000):  # enrolled: the sync button is live
            main.show()
        main.set_session(store.payouts.open_session(commune_code=COMMUNE, point_id=POINT, day=DAY,
                                                    cash_advance=10_000_000, staff="giaodich"))
        button = main.policy_button
        qtbot.waitUntil(lambda: main.people_model.rowCount() > 0)
        assert button.text() == "Thông báo chính sách (0)"

        with qtbot.waitSignal(main.sync.synced, timeout=10_000):
            assert main.sync.start_sync()
        qtbot.waitUntil(lambda: button.text() == "Thông báo chính sách (1)")
        button.click()
        assert button.dialog is not None
        listed = button.dialog.list
        assert listed.count() == 1
        assert listed.item(0).text() == ("Mức chuẩn mới — hiệu lực từ 01/07/2024\n"
                                         "Từ 01/07/2024 mức chuẩn trợ cấp ưu đãi là 2.789.000 đồng.\n"
                                         "Về: Sở Nội vụ · Cán bộ tinh")
        button.dialog.reject()
        find_person(qtbot, main, "duc", DUC)
        said = main.panel.lines_model.index(0, LinesModel.COL_EXPLANATION).data()
        assert said == "Trợ cấp hằng tháng theo mức tỉnh thông báo. (giải thích của tỉnh)"

        notice_id = button.notices()[0].notice_id
        officer.get("/console/policy")
        assert officer.post(f"/console/policy/notices/{notice_id}/withdraw", {"reason": ""}).status_code == 400
        assert officer.post(f"/console/policy/notices/{notice_id}/withdraw",
                            {"reason": "đăng nhầm"}).status_code == 303
        province.clock.now += dt.timedelta(minutes=1)
        with qtbot.waitSignal(main.sync.synced, timeout=10_000):
            assert main.sync.start_sync()
        qtbot.waitUntil(lambda: button.text() == "Thông báo chính sách (0)")
        assert "Đã thu hồi" in officer.get("/console/policy").text
        audit = officer.get("/console/audit").text
        assert "Đăng thông báo chính sách" in audit and "Thu hồi thông báo chính sách" in audit
    finally:
        runner.stop()
        province.close()
