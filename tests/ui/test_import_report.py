"""The desk's import report through the real widgets: a list imported from a file that contradicts what stands is
reported by person, in words; a supervisor keeps one standing value and accepts the list's value for another."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from app.domain.amendments import FactKind
from app.domain.model import BeneficiaryStatus, Role
from app.ui.import_report_dialog import ContradictionsModel, ImportReportDialog
from tests.builders.desk import type_into
from tests.builders.sheets import write_parsed
from tests.builders.store import NAM, TAM, lines, parsed_list, people


def january_file(folder: Path) -> Path:
    """January's list brings Lê Văn Tâm (dead since 03/11) and Phạm Văn Nam (suspended) back as receiving."""
    everyone = [dataclasses.replace(p, status=BeneficiaryStatus.ACTIVE, date_of_death=None, representative=None,
                                    status_reason="") if p.record_code in (TAM, NAM) else p for p in people()]
    listed = parsed_list(period="2027-01", the_people=everyone, the_lines=lines("2027-01"))
    return write_parsed(folder / "ds-01-2027.xlsx", listed)


def test_a_supervisor_decides_the_contradictions_of_an_imported_list_from_its_report(
        window, qtbot, qtmodeltester, tmp_path: Path) -> None:  # pytest-qt fixtures
    main, store = window
    store.staff.add("giamsat", "Trần Văn Giám Sát", Role.SUPERVISOR, "pw-supervisor")
    qtbot.waitUntil(lambda: main.import_list_action.isEnabled())  # a desk without a province server

    main.import_list(january_file(tmp_path))
    qtbot.waitUntil(lambda: main.findChild(ImportReportDialog) is not None, timeout=10000)
    dialog = main.findChild(ImportReportDialog)
    qtmodeltester.check(dialog.model)
    assert "01/2027" in dialog.summary.text()
    assert "2 giá trị đang giữ" in dialog.intro.text()
    reconciled = dialog.reconciliation.text()  # the list reconciled with itself, by person, in words
    assert dialog.reconciliation.isVisible() and reconciled.startswith("Đối chiếu danh sách: tổng")
    assert "Tiền mặt tại Nhà văn hóa thôn Đông" in reconciled and "Chi qua tài khoản: 1 khoản, 600.000 ₫" in reconciled
    assert "Phạm Văn Nam (QNH/BB-00005-TCM), Trợ cấp hằng tháng, 2.911.000 ₫: " in reconciled
    assert "Lê Văn Tâm (QNH/AQ-00004-TCM)" in reconciled  # his January allowance: after the month of death
    rows = {dialog.model.index(row, ContradictionsModel.COL_NAME).data(): row for row in range(2)}
    assert set(rows) == {"Lê Văn Tâm", "Phạm Văn Nam"}
    tam_text = dialog.model.index(rows["Lê Văn Tâm"], ContradictionsModel.COL_TEXT).data()
    assert "«Đang hưởng»" in tam_text and "«Đã mất»" in tam_text and "đã mất ngày 03/11/2026" in tam_text

    # Lê Văn Tâm: keep the standing death, approved by the supervisor on the spot (a teller cannot).
    dialog.table.selectRow(rows["Lê Văn Tâm"])
    assert "Lê Văn Tâm" in dialog.chosen.text()
    type_into(qtbot, dialog.supervisor.username, "giaodich")
    type_into(qtbot, dialog.supervisor.password, "pw-teller")
    dialog.confirm.click()
    qtbot.waitUntil(lambda: "không phải giám sát viên" in dialog.message.text(), timeout=5000)
    type_into(qtbot, dialog.supervisor.username, "giamsat")
    with qtbot.waitSignal(dialog.decided, timeout=5000):
        type_into(qtbot, dialog.supervisor.password, "pw-supervisor")
        dialog.confirm.click()
    assert dialog.model.index(rows["Lê Văn Tâm"], ContradictionsModel.COL_STATE).data() == "Đã giữ giá trị đang giữ"
    assert not dialog.confirm.isEnabled()  # decided: nothing more to do on this one

    # Phạm Văn Nam: the list is right, with a reason.
    dialog.table.selectRow(rows["Phạm Văn Nam"])
    dialog.accept_list.setChecked(True)
    dialog.confirm.click()
    assert "lý do" in dialog.message.text()
    type_into(qtbot, dialog.reason, "Quyết định tiếp tục chi số 12/QĐ")
    with qtbot.waitSignal(dialog.decided, timeout=5000):
        type_into(qtbot, dialog.supervisor.password, "pw-supervisor")
        dialog.confirm.click()
    assert dialog.model.index(rows["Phạm Văn Nam"], ContradictionsModel.COL_STATE).data() == "Đã theo danh sách"

    assert store.payouts.person(TAM, period="2027-01").beneficiary.status is BeneficiaryStatus.DECEASED
    assert store.payouts.person(NAM, period="2027-01").beneficiary.status is BeneficiaryStatus.ACTIVE
    resumed = store.amendments.facts(NAM)[-1]
    assert (resumed.kind, resumed.recorded_by, resumed.reason) == (
        FactKind.RESUMPTION, "giamsat", "Quyết định tiếp tục chi số 12/QĐ")
    assert store.amendments.contradictions() == []
    dialog.close()
