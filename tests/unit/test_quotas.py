"""CRD-4: sales quotas — period windows (Gregorian and Jalali), validation and checks (pure, no frappe)."""

from datetime import date, timedelta

import jdatetime
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from distribution_sales.rules import RuleError
from distribution_sales.rules.quotas import (
	PERIODS,
	Quota,
	QuotaBreach,
	QuotaResult,
	check_quotas,
	period_window,
	validate_quota,
	windows_overlap,
)

D = date
MONDAY, SATURDAY, SUNDAY = 0, 5, 6
dates = st.dates(D(1950, 1, 1), D(2150, 12, 31))


# --- period_window ----------------------------------------------------------------------------------


def test_a_day_is_its_own_window():
	assert period_window(D(2026, 5, 1), "Day") == (D(2026, 5, 1), D(2026, 5, 1))


@pytest.mark.parametrize(
	"on, week_start, window",
	[
		# 2026-05-01 is a Friday
		(D(2026, 5, 1), MONDAY, (D(2026, 4, 27), D(2026, 5, 3))),
		(D(2026, 5, 1), SATURDAY, (D(2026, 4, 25), D(2026, 5, 1))),  # the Iranian week ends on Friday
		(D(2026, 5, 2), SATURDAY, (D(2026, 5, 2), D(2026, 5, 8))),  # and Saturday starts the next one
		(D(2026, 5, 1), SUNDAY, (D(2026, 4, 26), D(2026, 5, 2))),
		(D(2026, 4, 27), MONDAY, (D(2026, 4, 27), D(2026, 5, 3))),
		(D(2026, 5, 3), MONDAY, (D(2026, 4, 27), D(2026, 5, 3))),
		(D(2025, 12, 31), MONDAY, (D(2025, 12, 29), D(2026, 1, 4))),  # across the year end
	],
)
def test_week_windows_follow_the_week_start(on, week_start, window):
	assert period_window(on, "Week", week_start) == window


def test_the_week_starts_on_monday_unless_told():
	assert period_window(D(2026, 5, 1), "Week") == period_window(D(2026, 5, 1), "Week", MONDAY)


@pytest.mark.parametrize(
	"on, window",
	[
		(D(2026, 5, 1), (D(2026, 5, 1), D(2026, 5, 31))),
		(D(2026, 4, 30), (D(2026, 4, 1), D(2026, 4, 30))),
		(D(2024, 2, 10), (D(2024, 2, 1), D(2024, 2, 29))),  # leap year
		(D(2026, 2, 28), (D(2026, 2, 1), D(2026, 2, 28))),
		(D(2025, 12, 31), (D(2025, 12, 1), D(2025, 12, 31))),  # December rolls into next year
		(D(2026, 1, 31), (D(2026, 1, 1), D(2026, 1, 31))),  # +32 days from 1 Jan must not skip February
	],
)
def test_month_windows(on, window):
	assert period_window(on, "Month") == window


@pytest.mark.parametrize(
	"on, window",
	[
		# 1 .. 30 Mehr 1403
		(D(2024, 10, 15), (D(2024, 9, 22), D(2024, 10, 21))),
		(D(2024, 9, 22), (D(2024, 9, 22), D(2024, 10, 21))),
		(D(2024, 9, 21), (D(2024, 8, 22), D(2024, 9, 21))),  # 31 Shahrivar 1403
		# Farvardin 1404 (31 days) starts at Nowruz
		(D(2025, 3, 21), (D(2025, 3, 21), D(2025, 4, 20))),
		# Esfand 1403 is in a leap year: 30 days; Esfand 1404 has 29
		(D(2025, 3, 20), (D(2025, 2, 19), D(2025, 3, 20))),
		(D(2026, 3, 1), (D(2026, 2, 20), D(2026, 3, 20))),
		# Dey 1404 straddles the Gregorian year end
		(D(2026, 1, 1), (D(2025, 12, 22), D(2026, 1, 20))),
	],
)
def test_jalali_month_windows(on, window):
	assert period_window(on, "Jalali Month") == window


@pytest.mark.parametrize("period", ["Year", "", None, "month", "Quarter"])
def test_an_unknown_period_is_refused(period):
	with pytest.raises(RuleError) as e:
		period_window(D(2026, 5, 1), period)
	assert e.value.template == "Unknown quota period {0}"
	assert e.value.params == (period,)


@given(dates, st.sampled_from(PERIODS), st.integers(0, 6))
def test_a_window_contains_its_date(on, period, week_start):
	start, end = period_window(on, period, week_start)
	assert start <= on <= end


@given(dates, st.sampled_from(PERIODS), st.integers(0, 6))
def test_windows_of_consecutive_days_are_the_same_or_back_to_back(on, period, week_start):
	today = period_window(on, period, week_start)
	tomorrow = period_window(on + timedelta(days=1), period, week_start)
	assert today == tomorrow or today[1] + timedelta(days=1) == tomorrow[0]
	# every day of a window gives that same window
	start, end = today
	for day in (start, end, start + (end - start) / 2):
		assert period_window(day, period, week_start) == today


@given(dates, st.integers(0, 6))
def test_weeks_are_seven_days_from_the_week_start(on, week_start):
	start, end = period_window(on, "Week", week_start)
	assert (end - start).days == 6
	assert start.weekday() == week_start


@given(dates)
def test_gregorian_months_run_from_the_first_to_the_last_day(on):
	start, end = period_window(on, "Month")
	assert start == on.replace(day=1)
	assert (start.year, start.month) == (end.year, end.month)
	assert (end + timedelta(days=1)).day == 1
	assert 28 <= (end - start).days + 1 <= 31


@given(dates)
def test_jalali_months_are_29_to_31_days_from_day_1(on):
	start, end = period_window(on, "Jalali Month")
	j_on = jdatetime.date.fromgregorian(date=on)
	j_start = jdatetime.date.fromgregorian(date=start)
	j_end = jdatetime.date.fromgregorian(date=end)
	assert j_start.day == 1
	assert (j_start.year, j_start.month) == (j_end.year, j_end.month) == (j_on.year, j_on.month)
	assert jdatetime.date.fromgregorian(date=end + timedelta(days=1)).day == 1
	length = (end - start).days + 1
	assert 29 <= length <= 31
	# the first six Jalali months have 31 days, the next five 30, Esfand 29 or 30
	assert length == (31 if j_on.month <= 6 else 30 if j_on.month <= 11 else 30 if j_on.isleap() else 29)


# --- windows_overlap --------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"a, b, overlap",
	[
		((D(2026, 1, 1), D(2026, 1, 31)), (D(2026, 2, 1), None), False),  # back to back
		((D(2026, 1, 1), D(2026, 1, 31)), (D(2026, 1, 31), D(2026, 3, 1)), True),  # share one day
		((None, None), (D(2026, 1, 1), D(2026, 1, 1)), True),
		((None, D(2025, 12, 31)), (D(2026, 1, 1), None), False),
		((None, D(2026, 1, 1)), (D(2026, 1, 1), None), True),
		((D(2026, 1, 1), None), (None, D(2025, 12, 31)), False),
		((D(2026, 3, 1), D(2026, 3, 5)), (D(2026, 3, 2), D(2026, 3, 3)), True),  # one inside the other
	],
)
def test_windows_overlap(a, b, overlap):
	assert windows_overlap(a, b) is overlap
	assert windows_overlap(b, a) is overlap


end = st.none() | st.dates(D(2025, 1, 1), D(2025, 3, 1))


@given(end, end, end, end)
def test_windows_overlap_iff_they_share_a_day(a_from, a_upto, b_from, b_upto):
	# a window ending before it starts is refused where it is entered (rules.intervals.Window)
	assume(None in (a_from, a_upto) or a_from <= a_upto)
	assume(None in (b_from, b_upto) or b_from <= b_upto)
	lo, hi = D(2024, 12, 31), D(2025, 3, 2)  # just outside every drawn date: stand-ins for "open"

	def days(f, u):
		f, u = f or lo, u or hi
		return {f + timedelta(days=i) for i in range((u - f).days + 1)}

	shared = bool(days(a_from, a_upto) & days(b_from, b_upto))
	assert windows_overlap((a_from, a_upto), (b_from, b_upto)) is shared


# --- validate_quota ---------------------------------------------------------------------------------


@pytest.mark.parametrize("scope, party", [(None, "C-1"), ("", "C-1"), ("customer", None), ("customer", "")])
def test_a_quota_needs_a_scope_and_a_party(scope, party):
	with pytest.raises(RuleError) as e:
		validate_quota(10, "Day", scope, party)
	assert e.value.template == "A quota needs a scope: a customer, a customer group or a salesperson"


@pytest.mark.parametrize("period, shown", [(None, ""), ("", ""), ("Fortnight", "Fortnight")])
def test_a_quota_needs_a_known_period(period, shown):
	with pytest.raises(RuleError) as e:
		validate_quota(10, period, "customer", "C-1")
	assert e.value.template == "Unknown quota period {0}"
	assert e.value.params == (shown,)


@pytest.mark.parametrize("max_qty", [None, 0, 0.0, -1, -0.5])
def test_a_quota_needs_a_positive_maximum(max_qty):
	with pytest.raises(RuleError) as e:
		validate_quota(max_qty, "Month", "sales_person", "SP-1")
	assert e.value.template == "The maximum quantity of a quota must be greater than zero"


@pytest.mark.parametrize("period", PERIODS)
def test_a_complete_quota_is_accepted(period):
	assert validate_quota(0.5, period, "customer_group", "Retail") is None


# --- check_quotas -----------------------------------------------------------------------------------

WINDOW = (D(2026, 5, 1), D(2026, 5, 31))


def quota(name="Q", max_qty=100.0, action="block", target="item: DAI-001", period="Month"):
	return Quota(name, target, max_qty, period, action, WINDOW)


def test_up_to_the_maximum_is_fine():
	result = check_quotas([quota()], {"Q": 60}, {"Q": 40})
	assert result.breaches == [] and result.action == "ok"


def test_over_the_maximum_is_a_breach_that_explains_itself():
	result = check_quotas([quota(target="group: Dairy")], {"Q": 60}, {"Q": 41})
	assert result.action == "block"
	assert result.breaches == [QuotaBreach("Q", "group: Dairy", "block", "Month", WINDOW, 60, 41, 100.0)]
	assert result.breaches[0].total == 101


def test_nothing_sold_before_counts_as_zero():
	assert check_quotas([quota()], {}, {"Q": 100}).action == "ok"
	(breach,) = check_quotas([quota()], {}, {"Q": 100.5}).breaches
	assert (breach.already, breach.this_document) == (0.0, 100.5)


def test_a_document_that_adds_nothing_is_never_held_up_by_a_used_up_quota():
	# already over (e.g. the quota was lowered): a return or a line of another item must still pass
	assert check_quotas([quota()], {"Q": 500}, {}).breaches == []
	assert check_quotas([quota()], {"Q": 500}, {"Q": 0}).breaches == []
	assert check_quotas([quota()], {"Q": 500}, {"Q": -20}).breaches == []


def test_block_beats_warn():
	quotas = [quota("W", 10, "warn"), quota("B", 10, "block"), quota("OK", 1000, "block")]
	result = check_quotas(quotas, {}, {"W": 11, "B": 11, "OK": 11})
	assert [b.quota for b in result.breaches] == ["W", "B"]
	assert result.action == "block"
	assert check_quotas(quotas[:1], {}, {"W": 11}).action == "warn"
	assert QuotaResult().action == "ok"


def test_float_noise_at_the_maximum_is_not_a_breach():
	assert check_quotas([quota(max_qty=0.3)], {"Q": 0.1}, {"Q": 0.2}).action == "ok"


def test_inputs_are_left_unchanged():
	already, this = {"Q": 90}, {"Q": 20}
	check_quotas([quota()], already, this)
	assert already == {"Q": 90} and this == {"Q": 20}


qty = st.integers(-5, 200).map(float)


@given(
	st.lists(st.tuples(st.integers(1, 150).map(float), st.sampled_from(["warn", "block"])), max_size=6),
	st.data(),
)
def test_a_quota_is_breached_iff_the_document_adds_and_the_sum_exceeds_it(specs, data):
	quotas = [quota(f"Q{i}", m, action) for i, (m, action) in enumerate(specs)]
	already = {q.name: data.draw(qty) for q in quotas if data.draw(st.booleans())}
	adds = {q.name: data.draw(qty) for q in quotas if data.draw(st.booleans())}
	result = check_quotas(quotas, already, adds)
	expected = [
		q.name
		for q in quotas
		if adds.get(q.name, 0) > 0 and already.get(q.name, 0) + adds[q.name] > q.max_qty
	]
	assert [b.quota for b in result.breaches] == expected
	actions = {b.action for b in result.breaches}
	assert result.action == ("block" if "block" in actions else "warn" if actions else "ok")
