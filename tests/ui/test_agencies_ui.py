"""Issue 12 through the real window, as a teller would: a person on the Department's and BHXH's lists is one row with
both codes, the panel shows each line's agency and both record codes, and one identity check and one signature pay
both agencies' lines (two receipts); a supervisor links a conflict from the "Trùng số định danh" dialog."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from app.domain.model import Role
from app.store.desk import PersonState
from app.ui.import_report_dialog import ImportReportDialog
from app.ui.person_link_dialog import PersonLinkDialog
from tests.builders.agencies import DUC, DUC_BHXH, HOA_BHXH, HUE, bhxh_list, department_list
from tests.builders.desk import draw_signature, type_into, type_text
from tests.builders.sheets import write_parsed
from tests.builders.store import COMMUNE, DAY, POINT


@pytest.fixture
def two_lists_window(desk_at, qtbot):
    main, store = desk_at(department_list(), dt.datetime.combine(DAY, dt.time(8, 30), tzinfo=dt.UTC))
    store.lists.import_parsed(bhxh_list())
    session = store.payouts.open_session(commune_code=COMMUNE, point_id=POINT, day=DAY, cash_advance=80_000_000,
                                         staff="giaodich")
    main.set_session(session)
    qtbot.waitUntil(lambda: main.people_model.rowCount() > 0)
    return main, store


def test_one_row_one_panel_one_signature_for_both_agencies(two_lists_window, qtbot):
    main, store = two_lists_window
    main.search.setFocus()
    type_text(main.search, "nguyen van duc")
    main.run_search()
    qtbot.waitUntil(lambda: main.people_model.rowCount() == 1)  # one row, not one per agency's list
    main.people.selectRow(0)
    qtbot.waitUntil(lambda: main.panel.current_view() is not None)
    row = main.people_model.row_at(0)
    shown = main.people_model.row_at(0).record_code
    assert {shown, *main.people_model.index(0, main.people_model.COL_CODE).data().split(" + ")} == {DUC, DUC_BHXH}
    panel = main.panel
    assert DUC in panel.details.text() and DUC_BHXH in panel.details.text() and "BHXH" in panel.details.text()
    agencies = {panel.lines_model.index(r, panel.lines_model.COL_AGENCY).data()
                for r in range(panel.lines_model.rowCount())}
    assert agencies == {"BHXH", "Sở Nội vụ"}
    assert len(panel.lines_model.selected_keys()) == panel.lines_model.rowCount() == 4
    panel.identity.setCurrentIndex(2)
    draw_signature(panel.signature.pad)
    panel.confirm.click()
    qtbot.waitUntil(lambda: "Đang ghi" not in panel.result.text(), timeout=5000)
    assert "ĐÃ CHI" in panel.result.text() and "biên nhận số 1, 2" in panel.result.text(), panel.result.text()
    payments = store.payouts.person(DUC).payments
    assert sorted(payment.record_code for payment in payments) == sorted([DUC, DUC_BHXH])
    assert len({payment.signature_digest for payment in payments}) == 1
    qtbot.waitUntil(lambda: main.people_model.row_at(0).state is PersonState.PAID)
    assert row.record_code == main.people_model.row_at(0).record_code == shown


def test_a_supervisor_links_a_conflict_from_the_dialog(two_lists_window, qtbot, qtmodeltester):
    main, store = two_lists_window
    store.staff.add("giamsat", "Trần Văn Giám Sát", Role.SUPERVISOR, "pw-supervisor")
    main.person_link_action.trigger()
    dialog = main.findChild(PersonLinkDialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    qtmodeltester.check(dialog.model)
    assert dialog.model.index(0, dialog.model.COL_DIFFERS).data() == "họ tên"
    dialog.table.selectRow(0)
    assert (dialog.first.text(), dialog.second.text()) == (HOA_BHXH, HUE)
    dialog.confirm.click()
    assert "lý do" in dialog.message.text()
    type_into(qtbot, dialog.reason, "Đã xem CCCD")
    type_into(qtbot, dialog.supervisor.username, "giamsat")
    type_into(qtbot, dialog.supervisor.password, "pw-supervisor")
    with qtbot.waitSignal(dialog.decided, timeout=5000) as decided:
        dialog.confirm.click()
    assert decided.args[0] == (HOA_BHXH, HUE)
    assert store.persons.records_of(HUE) == (HUE, HOA_BHXH)
    assert [item.link.by for item in store.persons.decisions()] == ["giamsat"]



def test_the_import_report_lists_the_conflicts_a_list_brought(window, qtbot, tmp_path):
    main, _store = window
    qtbot.waitUntil(lambda: main.import_list_action.isEnabled())  # a desk without a province server
    listed = bhxh_list()  # written with a category the Department's catalogue knows: the file's reader judges it
    listed = dataclasses.replace(listed, beneficiaries=tuple(dataclasses.replace(person, category="AQ")
                                                             for person in listed.beneficiaries))
    main.import_list(write_parsed(tmp_path / "bhxh-12-2026.xlsx", listed))
    qtbot.waitUntil(lambda: main.findChild(ImportReportDialog) is not None, timeout=10000)
    dialog = main.findChild(ImportReportDialog)
    said = dialog.identities.text()
    assert dialog.identities.isVisible() and said.startswith("Trùng số định danh hoặc mã hồ sơ (1)")
    assert "Đặng Thị Hoa (2201000456) và Đặng Thị Huệ (QNH/LS-00002-TCM) khác họ tên" in said
    assert "Dòng " in said and "Dòng ?" not in said  # the row of the list's record
