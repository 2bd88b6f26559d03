"""Rules of the visit routing: Region > Area > Route and customers placed on routes."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from distribution_sales.rules import RuleError, _

# Python's date.weekday(): Monday is 0. Field names of the weekday check boxes on a route line.
WEEKDAY_FIELDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class RouteStop:
	customer: str
	visit_order: int
	row: int  # 1-based row number shown to the user
	weekdays: frozenset[int] = frozenset()


def check_area_in_region(route_region: str, area: str, area_region: str) -> None:
	if route_region != area_region:
		raise RuleError(
			_("Area {0} belongs to region {1}, not to region {2}"), area, area_region, route_region
		)


def check_stops(stops: Iterable[RouteStop]) -> None:
	"""A customer appears once on a route; visit orders are positive and unique."""
	seen_customer: dict[str, int] = {}
	seen_order: dict[int, int] = {}
	for stop in stops:
		if stop.visit_order <= 0:
			raise RuleError(_("Row {0}: visit order must be a positive number"), stop.row)
		if stop.customer in seen_customer:
			raise RuleError(
				_("Row {0}: customer {1} is already on this route in row {2}"),
				stop.row,
				stop.customer,
				seen_customer[stop.customer],
			)
		if stop.visit_order in seen_order:
			raise RuleError(
				_("Row {0}: visit order {1} is already used in row {2}"),
				stop.row,
				stop.visit_order,
				seen_order[stop.visit_order],
			)
		seen_customer[stop.customer] = stop.row
		seen_order[stop.visit_order] = stop.row


def visits_on(stops: Iterable[RouteStop], day: date) -> list[RouteStop]:
	"""The stops due on ``day`` in visit order; a stop with no weekday ticked is visited every day."""
	due = [s for s in stops if not s.weekdays or day.weekday() in s.weekdays]
	return sorted(due, key=lambda s: s.visit_order)
