"""Hours attended (pure rule): half-days of a day, meals left out."""

from datetime import time

from hypothesis import given
from hypothesis import strategies as st

from terreau.events import hours


def test_a_full_day_has_a_morning_and_an_afternoon_split_at_one_pm():
    assert hours.half_spans(time(9), time(17)) == {"am": (540, 780), "pm": (780, 1020)}


def test_a_day_starting_after_lunch_has_only_an_afternoon():
    assert set(hours.half_spans(time(14), time(18, 15))) == {"pm"}


def test_the_lunch_break_is_not_counted_in_either_half():
    # Liévin, 30 September 2021: 9:00–17:00, lunch 12:30–14:30.
    lunch = [(time(12, 30), time(14, 30))]
    assert hours.attended_minutes(time(9), time(17), {"am"}, lunch) == 210
    assert hours.attended_minutes(time(9), time(17), {"pm"}, lunch) == 150
    assert hours.attended_minutes(time(9), time(17), {"am", "pm"}, lunch) == 360


def test_a_half_the_day_does_not_have_counts_nothing():
    assert hours.attended_minutes(time(14), time(18, 15), {"am"}) == 0
    assert hours.attended_minutes(time(14), time(18, 15), {"pm"}) == 255


def test_overlapping_breaks_are_removed_once():
    breaks = [(time(12), time(13, 30)), (time(13), time(14))]
    assert hours.attended_minutes(time(9), time(17), {"am", "pm"}, breaks) == 480 - 120


def test_durations_read_the_french_way():
    assert hours.format_hours(360) == "6 h"
    assert hours.format_hours(615) == "10 h 15"
    assert hours.format_hours(5) == "0 h 05"


@given(
    start=st.integers(min_value=6 * 60, max_value=14 * 60),
    length=st.integers(min_value=30, max_value=10 * 60),
    pause_start=st.integers(min_value=6 * 60, max_value=20 * 60),
    pause_length=st.integers(min_value=0, max_value=3 * 60),
)
def test_both_halves_never_exceed_the_day_and_add_up(start, length, pause_start, pause_length):
    end = min(start + length, 23 * 60 + 59)
    as_time = lambda minutes: time(minutes // 60, minutes % 60)  # noqa: E731
    day = (as_time(start), as_time(end))
    pause_end = min(pause_start + pause_length, 23 * 60 + 59)
    breaks = [(as_time(pause_start), as_time(pause_end))]
    morning = hours.attended_minutes(*day, {"am"}, breaks)
    afternoon = hours.attended_minutes(*day, {"pm"}, breaks)
    both = hours.attended_minutes(*day, {"am", "pm"}, breaks)
    assert both == morning + afternoon
    assert 0 <= both <= end - start


def test_the_training_window_runs_from_the_first_to_the_last_training_slot():
    # Lille, Tuesday 18 November 2014: welcome coffee at 13:00, opening at 14:00, round 1 until
    # 18:15, closing at 18:15 (no end given), dinner and evening from 20:00.
    slots = [
        (time(13), time(14), False),
        (time(14), time(14, 30), True),
        (time(16, 30), time(18, 15), True),
        (time(18, 15), None, True),
        (time(20), None, False),
    ]
    assert hours.training_window(time(13), time(23), slots) == (time(14), time(18, 15))
    assert hours.breaks(time(23), slots) == [(time(13), time(14)), (time(20), time(23))]


def test_a_day_without_programme_counts_its_own_times():
    assert hours.training_window(time(9), time(17), []) == (time(9), time(17))
    only_meal = [(time(12), time(13), False)]
    assert hours.training_window(time(9), time(17), only_meal) == (time(9), time(17))
