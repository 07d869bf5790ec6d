"""The desk's table models on their own, without a window: each passes pytest-qt's model tester (Qt's C++
``QAbstractItemModelTester``, whose findings are Qt warnings and so fail the test, and pytest-qt's Python port, which
asserts), in every state the desk puts it in; and they say what the teller sees: headers, roles, ticks and totals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester

from app.domain.model import BeneficiaryStatus, LineKind, PaymentMethod
from app.domain.rules import Block, LineState
from app.lists.policy import load_policy
from app.store.desk import PersonRow, PersonState
from app.store.store import Store
from app.ui.models import LineKeyRole, LinesModel, PeopleModel, RecordRole, StateRole
from tests.builders.store import (
    COMMUNE,
    DAY,
    DUC,
    HUE,
    NAM,
    POINT,
    TAM,
    Clock,
    line,
    parsed_list,
)
from tests.builders.store import request as payment_request

CHECK = Qt.ItemDataRole.CheckStateRole

PEOPLE_HEADERS = ["Họ và tên", "Năm sinh", "Mã hồ sơ", "Số CCCD", "Thôn/Tổ", "Loại đối tượng", "Trạng thái",
                  "Còn được nhận"]
LINES_HEADERS = ["Chi", "Cơ quan", "Chế độ", "Kỳ", "Số tiền", "Giải thích"]


@pytest.fixture(scope="module")
def policy():
    return load_policy()


@pytest.fixture
def opened(tmp_path) -> Iterator[tuple[Store, str]]:
    """The store tests' small commune (4 people: payable, account line, deceased, suspended) with an open session."""
    clock = Clock(dt.datetime.combine(DAY, dt.time(8, 30), tzinfo=dt.UTC))
    store = Store.open(tmp_path / "data", clock=clock)
    store.lists.import_parsed(parsed_list())
    session = store.payouts.open_session(commune_code=COMMUNE, point_id=POINT, day=DAY, cash_advance=50_000_000,
                                         staff="giaodich")
    yield store, session.session_id
    store.close()


@pytest.fixture(params=[False, True], ids=["qt-tester", "python-tester"])
def tester(request, qtmodeltester):  # pytest fixtures
    """Check a model with Qt's C++ tester (through ``qtmodeltester``) or pytest-qt's Python port of it."""
    if not request.param:
        return qtmodeltester.check
    python_tester = ModelTester(None)
    return lambda model: python_tester.check(model, force_py=True)


def person_row(record: str, name: str, state: PersonState, due: int = 0, paid: int = 0, **extra: Any) -> PersonRow:
    values: dict[str, Any] = {"birth_year": 1950, "id_number": "022050000999", "village": "Thôn Đông", "category": "AQ"}
    values.update(extra)
    return PersonRow(record, name, values["birth_year"], values["id_number"], values["village"], values["category"],
                     state, due, paid)


# --- PeopleModel --------------------------------------------------------------------------------------------------


def test_people_model_empty(policy, tester):
    model = PeopleModel(policy, "vi")
    tester(model)
    assert model.rowCount() == 0 and model.columnCount() == 8
    assert model.row_at(0) is None and model.position_of(DUC) == -1
    assert not model.index(0, 0).isValid()
    assert model.data(model.index(0, 0)) is None


def test_people_model_with_rows_set_rows_and_update_row(policy, tester, opened, qtbot):
    store, session_id = opened
    model = PeopleModel(policy, "vi")
    model.set_rows(store.desk.people(session_id))
    tester(model)  # checks now, and again on every signal below
    assert model.rowCount() == 4

    with qtbot.waitSignals([model.modelAboutToBeReset, model.modelReset]):
        model.set_rows(store.desk.people(session_id, "duc"))
    assert [model.row_at(i).record_code for i in range(model.rowCount())] == [DUC]

    model.set_rows(store.desk.people(session_id))  # back to everyone at the point, in name order
    position = model.position_of(DUC)
    before = model.row_at(position)
    assert before.state is PersonState.UNPAID and before.due > 0

    view = store.payouts.person(DUC, session_id)
    store.payouts.pay(payment_request(session_id, DUC, view.selected))
    after = next(row for row in store.desk.people(session_id, DUC) if row.record_code == DUC)
    assert after.state is PersonState.PAID
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.update_row(after)
    first, last = changed.args[0], changed.args[1]
    assert (first.row(), first.column(), last.row(), last.column()) == (position, 0, position, 7)
    assert model.row_at(position) == after
    assert model.data(model.index(position, PeopleModel.COL_STATE)) == "Đã nhận"
    assert model.data(model.index(position, PeopleModel.COL_DUE)) == ""  # nothing left to pay

    with qtbot.assertNotEmitted(model.dataChanged):
        model.update_row(person_row("QNH/XX-99999-TCM", "Không Có Ai", PersonState.UNPAID))  # not shown: ignored
    model.set_rows(())
    assert model.rowCount() == 0


def test_people_model_headers_roles_and_texts(policy, qapp):
    model = PeopleModel(policy, "vi")
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(8)] == PEOPLE_HEADERS
    assert model.headerData(8, Qt.Orientation.Horizontal) is None
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) is None

    rows = [
        person_row(DUC, "Nguyễn Văn Đức", PersonState.UNPAID, due=13_418_100, category="AQ"),
        person_row(NAM, "Phạm Văn Nam", PersonState.BLOCKED, birth_year=None, id_number=None, village=None,
                   category="BB"),
        person_row(HUE, "Đặng Thị Huệ", PersonState.PAID, paid=5_578_000, category="ZZ"),
    ]
    model.set_rows(rows)
    assert [model.data(model.index(r, 0), RecordRole) for r in range(3)] == [DUC, NAM, HUE]
    assert [model.data(model.index(r, 5), RecordRole) for r in range(3)] == [DUC, NAM, HUE]  # any column
    assert [model.data(model.index(r, 0), StateRole) for r in range(3)] == ["unpaid", "blocked", "paid"]
    assert [model.data(model.index(r, PeopleModel.COL_STATE)) for r in range(3)] == [
        "Chưa nhận", "Không được chi", "Đã nhận"]

    duc = [model.data(model.index(0, c)) for c in range(8)]
    assert duc[:5] == ["Nguyễn Văn Đức", "1950", DUC, "022050000999", "Thôn Đông"]
    assert duc[5] == policy.category_name("AQ", "vi") and duc[5] != "AQ"
    assert "13.418.100" in duc[7]
    nam = [model.data(model.index(1, c)) for c in range(5)]
    assert nam[1:] == ["", NAM, "", ""]  # unknown birth year, ID and village are blank, not "None"
    assert model.data(model.index(2, PeopleModel.COL_CATEGORY)) == "ZZ"  # a code the reference does not know

    alignment = Qt.ItemDataRole.TextAlignmentRole
    assert model.data(model.index(0, PeopleModel.COL_DUE), alignment) & int(Qt.AlignmentFlag.AlignRight)
    assert model.data(model.index(0, PeopleModel.COL_NAME), alignment) is None
    assert model.data(model.index(1, PeopleModel.COL_STATE), Qt.ItemDataRole.ForegroundRole) is not None
    assert model.position_of(HUE) == 2 and model.row_at(1).record_code == NAM

    child_parent = model.index(0, 0)
    assert model.rowCount(child_parent) == 0 and model.columnCount(child_parent) == 0  # a table: no children
    assert model.data(QModelIndex()) is None


def test_people_model_in_english(policy, qapp):
    model = PeopleModel(policy, "en")
    model.set_rows([person_row(DUC, "Nguyễn Văn Đức", PersonState.UNPAID, due=1, category="AQ")])
    assert model.data(model.index(0, PeopleModel.COL_CATEGORY)) == policy.category_name("AQ", "en")


# --- LinesModel ---------------------------------------------------------------------------------------------------


def blocked_and_payable_states() -> tuple[list[LineState], frozenset[str], dict[str, str]]:
    """Two payable lines and three blocked ones (account, suspended, already paid), built from domain values."""
    monthly = line(DUC, "monthly", 4_389_000)
    pension = line(DUC, "pension", 5_120_000, programme="luong_huu")
    gift = line(DUC, "gift", 600_000, kind=LineKind.ONE_TIME, method=PaymentMethod.ACCOUNT)
    suspended = line(DUC, "supplement", 1_399_000)
    paid = line(DUC, "monthly", 4_389_000, period="2026-11")
    states = [
        LineState(monthly),
        LineState(gift, Block("paid_to_account")),
        LineState(pension),
        LineState(suspended, Block("suspended", (("reason", "Vắng mặt"),))),
        LineState(paid, Block("already_paid", (("entry", "abcd1234"),))),
    ]
    block_text = {state.line.key: state.block.as_error().message("vi") for state in states if state.block}
    return states, frozenset({monthly.key, pension.key}), block_text


def test_lines_model_empty(policy, tester):
    model = LinesModel(policy, "vi")
    tester(model)
    assert model.rowCount() == 0 and model.columnCount() == 6
    assert model.selected_keys() == () and model.selected_total() == 0
    assert not model.setData(model.index(0, 0), Qt.CheckState.Checked, CHECK)


def test_lines_model_payable_and_blocked_lines_and_ticking(policy, tester, qtbot):
    states, selected, block_text = blocked_and_payable_states()
    model = LinesModel(policy, "vi")
    model.set_lines(states, selected, block_text)
    tester(model)
    monthly, gift, pension, _suspended, paid = (state.line for state in states)
    assert model.selected_keys() == (monthly.key, pension.key)  # in the lines' order
    assert model.selected_total() == 4_389_000 + 5_120_000

    checkable = [bool(model.flags(model.index(r, LinesModel.COL_PAY)) & Qt.ItemFlag.ItemIsUserCheckable)
                 for r in range(5)]
    assert checkable == [True, False, True, False, False]
    for r in range(5):  # only the tick column is ever checkable
        for c in range(1, 5):
            assert not model.flags(model.index(r, c)) & Qt.ItemFlag.ItemIsUserCheckable
        assert model.flags(model.index(r, c)) & Qt.ItemFlag.ItemIsEnabled
    assert [model.data(model.index(r, 0), CHECK) for r in range(5)] == [
        Qt.CheckState.Checked, None, Qt.CheckState.Checked, None, None]
    assert [model.data(model.index(r, 0)) for r in range(5)] == ["", "Không chi", "", "Không chi", "Không chi"]

    # untick the pension through setData, as the view does on a click
    pension_pay = model.index(2, LinesModel.COL_PAY)
    with qtbot.waitSignal(model.dataChanged) as changed:
        assert model.setData(pension_pay, Qt.CheckState.Unchecked.value, CHECK)
    assert changed.args[0].row() == 2 and changed.args[2] == [CHECK]
    assert model.data(pension_pay, CHECK) == Qt.CheckState.Unchecked
    assert model.selected_keys() == (monthly.key,) and model.selected_total() == 4_389_000

    assert model.setData(model.index(0, 0), Qt.CheckState.Unchecked, CHECK)  # the enum, not its value
    assert model.selected_keys() == () and model.selected_total() == 0
    assert model.setData(pension_pay, True, CHECK)  # a bool, as some callers pass
    assert model.setData(model.index(0, 0), Qt.CheckState.Checked.value, CHECK)
    assert model.selected_keys() == (monthly.key, pension.key)
    assert model.setData(pension_pay, Qt.CheckState.Checked.value, CHECK)  # ticking twice keeps it once
    assert model.selected_total() == 4_389_000 + 5_120_000

    # blocked lines refuse a tick, and nothing but the tick column's check state is editable
    with qtbot.assertNotEmitted(model.dataChanged):
        for r in (1, 3, 4):
            assert not model.setData(model.index(r, LinesModel.COL_PAY), Qt.CheckState.Checked.value, CHECK)
        assert not model.setData(model.index(0, LinesModel.COL_AMOUNT), Qt.CheckState.Checked.value, CHECK)
        assert not model.setData(model.index(0, LinesModel.COL_PAY), "x", Qt.ItemDataRole.EditRole)
        assert not model.setData(QModelIndex(), Qt.CheckState.Checked.value, CHECK)
    assert gift.key not in model.selected_keys() and paid.key not in model.selected_keys()
    assert model.selected_total() == 4_389_000 + 5_120_000


def test_lines_model_headers_texts_and_roles(policy, qapp):
    states, selected, block_text = blocked_and_payable_states()
    model = LinesModel(policy, "vi")
    model.set_lines(states, selected, block_text)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)] == LINES_HEADERS
    assert model.headerData(6, Qt.Orientation.Horizontal) is None
    assert model.data(model.index(0, LinesModel.COL_AGENCY)) == "Sở Nội vụ"  # each line's agency, in words
    assert model.headerData(0, Qt.Orientation.Vertical) is None

    monthly_info = policy.regime("monthly")
    assert model.data(model.index(0, LinesModel.COL_REGIME)) == (monthly_info.name if monthly_info else "monthly")
    assert model.data(model.index(0, LinesModel.COL_PERIOD))  # shown as a month, not the raw "2026-12"
    assert "4.389.000" in model.data(model.index(0, LinesModel.COL_AMOUNT))
    for r, state in enumerate(states):
        assert model.data(model.index(r, 0), LineKeyRole) == state.line.key
        if state.block is not None:
            assert model.data(model.index(r, LinesModel.COL_EXPLANATION)) == block_text[state.line.key] != ""
            assert model.data(model.index(r, 1), Qt.ItemDataRole.ForegroundRole) is not None  # shown in red
            assert block_text[state.line.key] in model.data(model.index(r, 1), Qt.ItemDataRole.ToolTipRole)
        else:
            assert model.data(model.index(r, 1), Qt.ItemDataRole.ForegroundRole) is None
    assert model.data(model.index(0, LinesModel.COL_AMOUNT), Qt.ItemDataRole.FontRole).bold()
    assert model.data(model.index(0, LinesModel.COL_AMOUNT), Qt.ItemDataRole.TextAlignmentRole) \
        & int(Qt.AlignmentFlag.AlignRight)
    assert model.states() == tuple(states)


def test_lines_model_from_the_store_for_each_person(policy, tester, opened, qtbot):
    """The lines the payout screen gets for each person of the small commune, then a payment, through one model."""
    store, session_id = opened
    model = LinesModel(policy, "vi")
    tester(model)
    for record in (DUC, HUE, TAM, NAM):
        view = store.payouts.person(record, session_id)
        block_text = {s.line.key: s.block.as_error().message("vi") for s in view.lines if s.block is not None}
        with qtbot.waitSignal(model.modelReset):
            model.set_lines(view.lines, view.selected, block_text)
        assert model.rowCount() == len(view.lines)
        assert set(model.selected_keys()) == set(view.selected)
        assert model.selected_total() == view.payable_total
        for r, state in enumerate(view.lines):
            checkable = bool(model.flags(model.index(r, 0)) & Qt.ItemFlag.ItemIsUserCheckable)
            assert checkable == state.payable
        if view.beneficiary.status is BeneficiaryStatus.SUSPENDED:
            assert model.selected_keys() == () and all(not s.payable for s in view.lines)
    assert any(not s.payable for s in store.payouts.person(HUE, session_id).lines)  # the account gift

    view = store.payouts.person(DUC, session_id)
    model.set_lines(view.lines, view.selected, {})
    first_key = model.data(model.index(0, 0), LineKeyRole)
    assert model.setData(model.index(0, 0), Qt.CheckState.Unchecked.value, CHECK)
    keys = model.selected_keys()
    assert first_key not in keys and len(keys) == len(view.selected) - 1
    store.payouts.pay(payment_request(session_id, DUC, keys))
    after = store.payouts.person(DUC, session_id)
    block_text = {s.line.key: s.block.as_error().message("vi") for s in after.lines if s.block is not None}
    model.set_lines(after.lines, after.selected, block_text)
    assert model.selected_keys() == (first_key,)  # only the unticked line is still payable
    paid_rows = [r for r in range(model.rowCount()) if model.data(model.index(r, 0), LineKeyRole) in keys]
    assert paid_rows and all(not model.flags(model.index(r, 0)) & Qt.ItemFlag.ItemIsUserCheckable
                             for r in paid_rows)
    assert not model.setData(model.index(paid_rows[0], 0), Qt.CheckState.Checked.value, CHECK)
