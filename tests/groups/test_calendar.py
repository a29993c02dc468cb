"""The year-calendar planner (pure module)."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from terreau.groups.calendar import nth_weekday, plan_dates, plan_year, rotate_venues


def test_the_seed_year_has_twelve_meetings_on_the_third_friday():
    plan = plan_year(
        first=dt.date(2013, 5, 17), until=dt.date(2014, 4, 30), venues=["a", "b"], first_venue="L"
    )
    assert len(plan) == 12
    assert plan[0].date == dt.date(2013, 5, 17) and plan[0].venue == "L"
    assert all(nth_weekday(item.date) == (4, 3) for item in plan)
    assert [item.number for item in plan] == list(range(1, 13))
    assert plan[-1].date == dt.date(2014, 4, 18)


def test_a_fifth_weekday_falls_back_to_the_last_one_of_shorter_months():
    dates = plan_dates(first=dt.date(2013, 5, 31), until=dt.date(2013, 8, 31))
    assert dates == [
        dt.date(2013, 5, 31),
        dt.date(2013, 6, 28),
        dt.date(2013, 7, 26),
        dt.date(2013, 8, 30),
    ]


def test_months_can_be_skipped_and_the_count_capped():
    dates = plan_dates(
        first=dt.date(2013, 5, 17), until=dt.date(2014, 4, 30), skip_months={8}, count=5
    )
    assert [d.month for d in dates] == [5, 6, 7, 9, 10]


def test_nothing_is_planned_after_the_end():
    assert plan_dates(first=dt.date(2014, 5, 1), until=dt.date(2014, 4, 30)) == []


@settings(deadline=None)  # the machine may be loaded: no timing in a property
@given(
    count=st.integers(min_value=0, max_value=30),
    venues=st.lists(st.integers(min_value=0, max_value=5), max_size=6),
)
def test_venues_never_repeat_in_a_row_when_there_is_another(count, venues):
    plan = rotate_venues(count, venues)
    if not venues:
        assert plan == []
        return
    assert len(plan) == count
    assert set(plan) <= set(venues)
    if len(set(venues)) > 1:
        assert all(a != b for a, b in zip(plan, plan[1:], strict=False))
    if count >= len(set(venues)):
        assert set(plan) == set(venues)
