from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from distribution_sales.rules import RuleError
from distribution_sales.rules.intervals import Window, active_on, first_overlap

D = date


def test_end_before_start_is_refused():
	with pytest.raises(RuleError, match="before the start"):
		Window(D(2026, 5, 2), D(2026, 5, 1))


@pytest.mark.parametrize(
	"a, b, overlap",
	[
		(Window(D(2026, 1, 1), D(2026, 1, 31)), Window(D(2026, 2, 1), None), False),  # back to back
		(Window(D(2026, 1, 1), D(2026, 1, 31)), Window(D(2026, 1, 31), None), True),  # share a day
		(Window(D(2026, 1, 1), None), Window(D(2030, 1, 1), D(2030, 1, 2)), True),  # open end
		(Window(D(2026, 3, 1), D(2026, 3, 5)), Window(D(2026, 1, 1), D(2026, 2, 28)), False),
	],
)
def test_overlaps(a, b, overlap):
	assert a.overlaps(b) is overlap
	assert b.overlaps(a) is overlap


def test_first_overlap_ignores_the_record_itself_and_reports_the_earliest():
	existing = [Window(D(2026, 3, 1), None, "RA-2"), Window(D(2026, 1, 1), D(2026, 2, 1), "RA-1")]
	assert first_overlap(Window(D(2026, 1, 15), None, "RA-3"), existing).key == "RA-1"
	assert first_overlap(Window(D(2026, 3, 1), None, "RA-2"), existing[:1]) is None


def test_active_on():
	windows = [Window(D(2026, 1, 1), D(2026, 3, 31), "old"), Window(D(2026, 4, 1), None, "new")]
	assert [w.key for w in active_on(windows, D(2026, 3, 31))] == ["old"]
	assert [w.key for w in active_on(windows, D(2026, 4, 1))] == ["new"]
	assert active_on(windows, D(2025, 12, 31)) == []


days = st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31))


@st.composite
def windows(draw):
	start = draw(days)
	end = draw(st.one_of(st.none(), days.filter(lambda d: d >= start)))
	return Window(start, end)


@given(windows(), windows(), days)
def test_a_day_in_both_windows_means_they_overlap(a, b, day):
	if a.contains(day) and b.contains(day):
		assert a.overlaps(b)


@given(windows(), windows())
def test_overlap_is_symmetric(a, b):
	assert a.overlaps(b) == b.overlaps(a)
