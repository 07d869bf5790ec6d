"""The list reconciles with itself (issue 11, point 4): the total splits into cash per payout point, accounts and
lines that cannot be paid as listed, each named by person with its reason (the reader's check of the "Tổng cộng"
row is in ``test_list_reader``)."""

from __future__ import annotations

import dataclasses

from app.domain.model import BeneficiaryStatus, LineKind
from app.domain.reconciliation import reconcile_list
from tests.builders.store import DUC, NAM, POINT, TAM, line, lines, people


def test_the_list_total_is_cash_per_point_plus_accounts_plus_lines_not_payable_by_person() -> None:
    alive = [dataclasses.replace(p, status=BeneficiaryStatus.ACTIVE, date_of_death=None, representative=None)
             if p.record_code == TAM else p for p in people()]  # Tâm listed alive, with his funeral allowance
    listed = [*lines(), line(DUC, "gift", 0, kind=LineKind.ONE_TIME)]
    result = reconcile_list("2026-12", alive, listed, point_names={POINT: "Nhà văn hóa thôn Đông"},
                            stated_total=sum(item.amount for item in listed) + 1_000)
    assert result.balanced and result.total_lines == len(listed)
    by_key = {item.line_key: item for item in result.not_payable}
    funeral = next(item for item in result.not_payable if item.regime == "funeral")
    assert funeral.full_name == "Lê Văn Tâm" and funeral.reason == "death_line_but_alive"
    assert next(item for item in by_key.values() if item.regime == "gift").reason == "zero_amount"
    assert {item.record_code for item in result.not_payable if item.reason == "suspended"} == {NAM}
    assert (result.account_lines, result.account_amount) == (1, 600_000)
    assert [(p.name, p.people) for p in result.cash] == [("Nhà văn hóa thôn Đông", 3)]
    words = result.describe("vi", {"funeral": "Mai táng phí"})
    assert words[0].startswith("Đối chiếu danh sách: tổng")
    assert any("Lê Văn Tâm (QNH/AQ-00004-TCM), Mai táng phí, 18.720.000 ₫: Khoản liên quan" in w for w in words)
    assert "chênh 1.000 ₫" in words[-1]
