"""One clock on screen and paper: a payment at 06:30 on 1 December in Vietnam (23:30 on 30 November in UTC) shows
06:30 01/12 on the desk, prints 06:30 01/12 on the receipt and counts in December — on a laptop set to New York."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from app.ui.session_dialog import SessionDialog
from tests.builders.desk import draw_signature, find_person
from tests.builders.store import COMMUNE, DUC, parsed_list

EARLY = dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC)  # 06:30 on 01/12/2026 in Vietnam


@pytest.fixture
def early_desk(desk_at, laptop_in_new_york):
    return desk_at(parsed_list(), EARLY)


def test_a_payment_at_0630_on_1_december_shows_and_prints_0630_and_counts_in_december(early_desk, qtbot):
    main, store = early_desk
    assert EARLY.astimezone().strftime("%d/%m %H:%M") == "30/11 18:30"  # what the laptop's own zone says

    main.ask_session()
    qtbot.waitUntil(lambda: main.findChild(SessionDialog) is not None and main.findChild(SessionDialog).isVisible())
    dialog = main.findChild(SessionDialog)
    assert dialog.day.date().toPython() == dt.date(2026, 12, 1)  # the province's day, not the laptop's 30/11
    dialog.advance.setText("30.000.000")
    with qtbot.waitSignal(main.sessionChanged, timeout=5000) as opened:
        dialog.open_button.click()
    assert opened.args[0].period == "2026-12"

    find_person(qtbot, main, "duc", DUC)
    panel = main.panel
    panel.identity.setCurrentIndex(2)
    draw_signature(panel.signature.pad)
    panel.confirm.click()
    qtbot.waitUntil(lambda: "ĐÃ CHI" in panel.result.text(), timeout=5000)
    assert "lúc 06:30 01/12/2026" in panel.result.text(), panel.result.text()

    [payment] = store.payouts.person(DUC).payments
    assert payment.recorded_at == EARLY  # stored in UTC
    before = len(main.documents.viewers)
    main.documents.actions["receipt"].trigger()
    qtbot.waitUntil(lambda: len(main.documents.viewers) > before, timeout=10000)
    receipt = main.documents.viewers[-1]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(receipt.document.pdf)).pages)
    assert "01/12/2026 06:30" in text and "18:30" not in text and "23:30" not in text
    receipt.reject()

    december = store.reports.monthly_report(COMMUNE, "2026-12")
    assert (december.people_paid, december.amount_paid) == (1, payment.total)
    assert store.reports.monthly_report(COMMUNE, "2026-11").people_paid == 0
