from datetime import date

import pytest

from distribution_sales.rules import RuleError
from distribution_sales.rules.routes import (
	WEEKDAY_FIELDS,
	RouteStop,
	check_area_in_region,
	check_stops,
	visits_on,
)


def test_area_of_another_region_is_refused():
	check_area_in_region("North", "Karaj", "North")
	with pytest.raises(RuleError, match="belongs to region South"):
		check_area_in_region("North", "Shiraz", "South")


def test_duplicate_visit_order_names_both_rows():
	stops = [RouteStop("C1", 1, 1), RouteStop("C2", 2, 2), RouteStop("C3", 2, 3)]
	with pytest.raises(RuleError) as e:
		check_stops(stops)
	assert str(e.value) == "Row 3: visit order 2 is already used in row 2"


def test_customer_twice_on_one_route_is_refused():
	with pytest.raises(RuleError, match="already on this route in row 1"):
		check_stops([RouteStop("C1", 1, 1), RouteStop("C1", 2, 2)])


@pytest.mark.parametrize("order", [0, -3])
def test_visit_order_must_be_positive(order):
	with pytest.raises(RuleError, match="positive"):
		check_stops([RouteStop("C1", order, 1)])


def test_visits_on_a_weekday_in_visit_order():
	saturday = WEEKDAY_FIELDS.index("saturday")
	stops = [
		RouteStop("late", 5, 1, frozenset({saturday})),
		RouteStop("every-day", 9, 2),
		RouteStop("monday-only", 1, 3, frozenset({WEEKDAY_FIELDS.index("monday")})),
		RouteStop("early", 2, 4, frozenset({saturday})),
	]
	day = date(2026, 11, 21)  # a Saturday
	assert day.weekday() == saturday
	assert [s.customer for s in visits_on(stops, day)] == ["early", "late", "every-day"]
