"""The survey's sample, its counts' checks and the Wilson interval; the posting's "in time" rule."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.posting import days_before, posted_in_time
from app.domain.survey import Question, SurveyError, Tally, measure, offered, tally_body, tally_from_body, wilson


def test_every_nth_person_paid_is_offered_the_survey_and_zero_means_never() -> None:
    assert [n for n in range(1, 16) if offered(n, 5)] == [5, 10, 15]
    assert not any(offered(n, 0) for n in range(1, 16))
    assert all(offered(n, 1) for n in range(1, 4)) and not offered(0, 1)


def test_the_wilson_interval_matches_values_worked_by_hand() -> None:
    low, high = wilson(35, 36)  # p = 0.9722; centre 0.9267, half-width 0.0684
    assert (round(low, 3), round(high, 3)) == (0.858, 0.995)
    low, high = wilson(36, 36)  # all good: the interval still reaches below 100 %
    assert round(low, 3) == 0.904 and high == 1.0
    assert wilson(0, 0) == (0.0, 0.0)


def test_a_measure_counts_normal_or_better_as_good() -> None:
    staff = measure(Question.STAFF, [("5", 10), ("4", 5), ("3", 4), ("2", 1), ("1", 0)])
    assert (staff.good, staff.answers) == (19, 20)
    on_time = measure(Question.ON_TIME, [("yes", 97), ("no", 3)])
    assert round(on_time.share, 3) == 0.97


def test_a_tally_reads_back_and_anything_not_the_surveys_is_refused() -> None:
    tally = Tally(dt.date(2026, 12, 5), "QNH-0001", "P", "giaodich", {"staff": {"4": 2}, "on_time": {"yes": 1}})
    body = tally_body(tally)
    assert list(body["counts"]) == ["on_time", "staff"] and tally_from_body(body) == tally
    for counts in ({"staff": {"6": 1}}, {"mood": {"yes": 1}}, {"on_time": {"yes": 0}},
                   {"on_time": {"yes": True}}, {"on_time": {"yes": 10**9}}, {"on_time": ["yes"]}):
        with pytest.raises(SurveyError):
            tally_from_body({**body, "counts": counts})
    with pytest.raises(SurveyError):
        tally_from_body({"day": "5/12/2026"})


def test_a_notice_is_in_time_when_posted_at_least_n_days_before_the_payout_day() -> None:
    payout = dt.date(2026, 12, 5)
    assert days_before(dt.date(2026, 12, 2), payout) == 3 and posted_in_time(dt.date(2026, 12, 2), payout, 3)
    assert not posted_in_time(dt.date(2026, 12, 3), payout, 3)
    assert posted_in_time(dt.date(2026, 12, 5), payout, 0) and not posted_in_time(dt.date(2026, 12, 6), payout, 0)
