"""What sell-out data tells (SEC-3..9): reconciliation with sell-in, forecasts, suggested orders,
growth points, target progress and pivots. Plain Python over plain rows; reports call these.

Months are "YYYY-MM" strings. The labels users see (forecast methods, statuses) are English strings
marked with ``_()`` and translated by the Frappe layer.
"""

import calendar
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from distribution_sales.rules import RuleError, _

MOVING_AVERAGE = _("Moving Average (3)")
LINEAR_TREND = _("Linear Trend")
SEASONAL_NAIVE = _("Seasonal Naive")
FORECAST_METHODS = (MOVING_AVERAGE, LINEAR_TREND, SEASONAL_NAIVE)
FORECAST_METHOD_HELP = {
	MOVING_AVERAGE: _("Next month = the average of the last three months"),
	LINEAR_TREND: _("Next month = the least-squares line through all months, carried one month on"),
	SEASONAL_NAIVE: _("Next month = the same month a year earlier (needs 12 months of history)"),
}
AGGREGATES = ("sum", "count", "avg", "min", "max")


class ReconRow(NamedTuple):
	item: str
	month: str
	sell_in: float
	sell_out: float
	est_stock: float
	days_of_cover: float | None


def _month_index(month: str) -> int:
	try:
		year, mon = month.split("-")
		year, mon = int(year), int(mon)
	except (ValueError, AttributeError):
		raise RuleError(_("{0} is not a month (YYYY-MM)"), str(month))
	if not 1 <= mon <= 12:
		raise RuleError(_("{0} is not a month (YYYY-MM)"), month)
	return year * 12 + mon - 1


def _month_name(index: int) -> str:
	return f"{index // 12:04d}-{index % 12 + 1:02d}"


def days_in_month(month: str) -> int:
	index = _month_index(month)
	return calendar.monthrange(index // 12, index % 12 + 1)[1]


def reconcile(
	sell_in: Iterable[tuple[str, str, float]],
	sell_out: Iterable[tuple[str, str, float]],
	opening: dict[str, float] | None = None,
) -> list[ReconRow]:
	"""Sell-in (our deliveries to the distributor) against sell-out (its sales to outlets) per item and
	month, with the distributor's estimated stock at each month's end and its days of cover.

	est_stock = opening stock + all sell-in - all sell-out up to that month (every month between an
	item's first and last appears, so the stock carries over); days_of_cover = est_stock / the month's
	sell-out per day, None when nothing was sold out that month (negative stock shows missing data and
	gives 0 days). Rows are sorted by item, then month.
	"""
	opening = opening or {}
	flows: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
	for side, rows in ((0, sell_in), (1, sell_out)):
		for item, month, qty in rows:
			flows[item][_month_index(month)][side] += float(qty or 0)
	out = []
	for item in sorted(flows):
		months = flows[item]
		stock = float(opening.get(item) or 0)
		for index in range(min(months), max(months) + 1):
			qty_in, qty_out = months.get(index, (0.0, 0.0))
			stock += qty_in - qty_out
			name = _month_name(index)
			cover = None
			if qty_out > 0:
				cover = round(max(stock, 0.0) / (qty_out / days_in_month(name)), 1)
			out.append(ReconRow(item, name, qty_in, qty_out, round(stock, 6), cover))
	return out


def forecast_with_method(monthly: Sequence[float], method: str = MOVING_AVERAGE) -> tuple[float, str]:
	"""(next month's quantity, the method actually used). ``monthly``: oldest first, 0 for empty months.
	Seasonal Naive with less than 12 months of history uses the moving average and says so."""
	if method not in FORECAST_METHODS:
		raise RuleError(_("Unknown forecast method {0}; use one of {1}"), method, ", ".join(FORECAST_METHODS))
	values = [float(v or 0) for v in monthly]
	if not values:
		return 0.0, method
	if method == SEASONAL_NAIVE:
		if len(values) >= 12:
			return max(values[-12], 0.0), method
		method = MOVING_AVERAGE
	if method == LINEAR_TREND and len(values) >= 2:
		n = len(values)
		mean_x, mean_y = (n - 1) / 2, sum(values) / n
		sxx = sum((x - mean_x) ** 2 for x in range(n))
		slope = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values)) / sxx
		return max(mean_y + slope * (n - mean_x), 0.0), method
	last = values[-3:]
	return max(sum(last) / len(last), 0.0), MOVING_AVERAGE


def forecast(monthly: Sequence[float], method: str = MOVING_AVERAGE) -> float:
	"""Next month's quantity by ``method`` (one of FORECAST_METHODS); see forecast_with_method."""
	return forecast_with_method(monthly, method)[0]


def suggested_order(daily_forecast: float, stock: float, target_days: float, pack: float = 1) -> float:
	"""What to ship so the distributor holds ``target_days`` of forecast sales: daily forecast x target
	days - stock, never below 0, rounded up to whole packs."""
	if pack is None or pack <= 0:
		raise RuleError(_("The pack size must be more than 0"))
	if target_days < 0 or daily_forecast < 0:
		raise RuleError(_("Target days and forecast must not be negative"))
	need = daily_forecast * target_days - (stock or 0)
	if need <= 0:
		return 0.0
	packs = math.ceil(round(need / pack, 9))
	return float(packs * pack)


def growth_points(current: dict, previous: dict, min_drop_pct: float = 20) -> list[dict]:
	"""Outlets (or items) that bought in the previous period and bought at least ``min_drop_pct``
	percent less (status "Declining") or nothing (status "Lost") in the current one; biggest loss first.
	Each point: key, previous, current, change_pct (negative; -100 for lost), status."""
	points = []
	for key, before in previous.items():
		before = float(before or 0)
		if before <= 0:
			continue
		now = float(current.get(key) or 0)
		if now <= 0:
			points.append(
				{"key": key, "previous": before, "current": now, "change_pct": -100.0, "status": _("Lost")}
			)
			continue
		change = (now - before) / before * 100
		if change <= -min_drop_pct:
			points.append(
				{
					"key": key,
					"previous": before,
					"current": now,
					"change_pct": round(change, 2),
					"status": _("Declining"),
				}
			)
	points.sort(key=lambda p: (-(p["previous"] - p["current"]), str(p["key"])))
	return points


def target_progress(target: float, actual: float, days_elapsed: int, days_total: int) -> dict:
	"""Progress against a period's target: percent reached, what should be reached by now (pro rata),
	the month-end projection at the current pace, and a status (Achieved, Ahead, On Track, Behind)."""
	if days_total <= 0 or not 0 <= days_elapsed <= days_total:
		raise RuleError(_("Days elapsed must be between 0 and the days of the period ({0})"), days_total)
	target, actual = float(target or 0), float(actual or 0)
	expected = target * days_elapsed / days_total
	projected = actual / days_elapsed * days_total if days_elapsed else actual
	if target and actual >= target:
		status = _("Achieved")
	elif projected >= target * 1.05:
		status = _("Ahead")
	elif projected >= target * 0.95:
		status = _("On Track")
	else:
		status = _("Behind")
	return {
		"percent": round(actual / target * 100, 2) if target else None,
		"expected": round(expected, 6),
		"projected": round(projected, 6),
		"status": status,
	}


def _aggregate(values: list, agg: str):
	if not values:
		return None
	if agg == "sum":
		return sum(values)
	if agg == "count":
		return len(values)
	if agg == "avg":
		return sum(values) / len(values)
	return min(values) if agg == "min" else max(values)


def _sort_key(value):
	return (
		value is None,
		str(type(value).__name__) if not isinstance(value, int | float) else "",
		value if value is not None else 0,
	)


def pivot(
	rows: list[dict], index: list[str], columns: str | None, value: str, agg: str = "sum"
) -> tuple[list[str], list[list]]:
	"""A pivot table of ``rows`` (dicts): one line per distinct ``index`` values, one column per distinct
	``columns`` value (sorted) plus "Total", each cell ``agg`` (sum, count, avg, min, max) of ``value``.

	header = index field names, then the column values as text, then "Total" (without ``columns``: index
	names and ``value``). Lines are sorted by their index values; a missing combination is None.
	"""
	if agg not in AGGREGATES:
		raise RuleError(_("Unknown aggregate {0}; use one of {1}"), agg, ", ".join(AGGREGATES))
	if not index:
		raise RuleError(_("A pivot needs at least one row field"))
	cells: dict[tuple, dict] = defaultdict(lambda: defaultdict(list))
	totals: dict[tuple, list] = defaultdict(list)
	column_values = set()
	for row in rows:
		key = tuple(row.get(f) for f in index)
		number = row.get(value)
		number = 0 if number is None else number
		col = row.get(columns) if columns else None
		column_values.add(col)
		cells[key][col].append(number)
		totals[key].append(number)
	ordered_keys = sorted(cells, key=lambda k: tuple(_sort_key(v) for v in k))
	if not columns:
		return [*index, value], [[*key, _aggregate(totals[key], agg)] for key in ordered_keys]
	ordered_cols = sorted(column_values, key=_sort_key)
	header = [*index, *("" if c is None else str(c) for c in ordered_cols), _("Total")]
	body = [
		[*key, *(_aggregate(cells[key].get(c, []), agg) for c in ordered_cols), _aggregate(totals[key], agg)]
		for key in ordered_keys
	]
	return header, body
