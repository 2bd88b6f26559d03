"""SEC-3..9: reconciliation, forecasts, suggested orders, growth points, target progress, pivots."""

from collections import defaultdict

import pytest
from hypothesis import given
from hypothesis import strategies as st

from distribution_sales.rules import RuleError
from distribution_sales.rules.sellout_analysis import (
	FORECAST_METHODS,
	LINEAR_TREND,
	MOVING_AVERAGE,
	SEASONAL_NAIVE,
	ReconRow,
	forecast,
	forecast_with_method,
	growth_points,
	pivot,
	reconcile,
	suggested_order,
	target_progress,
)


def test_reconcile_carries_stock_across_months_and_gaps():
	rows = reconcile(
		[("MILK", "2024-07", 100), ("MILK", "2024-09", 50)],
		[("MILK", "2024-07", 31), ("MILK", "2024-08", 20), ("TEA", "2024-08", 5)],
		opening={"MILK": 10},
	)
	assert rows == [
		ReconRow("MILK", "2024-07", 100.0, 31.0, 79.0, 79.0),  # 31 sold in 31 days: 1 a day, 79 days
		ReconRow("MILK", "2024-08", 0.0, 20.0, 59.0, round(59 / (20 / 31), 1)),
		ReconRow("MILK", "2024-09", 50.0, 0.0, 109.0, None),  # nothing sold: no days of cover
		ReconRow("TEA", "2024-08", 0.0, 5.0, -5.0, 0.0),  # sold more than delivered: data is missing
	]


def test_reconcile_refuses_a_bad_month():
	with pytest.raises(RuleError, match="is not a month"):
		reconcile([("A", "July", 1)], [])
	with pytest.raises(RuleError, match="is not a month"):
		reconcile([("A", "2024-13", 1)], [])


months = st.sampled_from([f"2024-{m:02d}" for m in range(1, 13)] + ["2025-01", "2025-03"])
flows = st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), months, st.integers(0, 500)), max_size=40)


@given(flows, flows, st.dictionaries(st.sampled_from(["A", "B", "C"]), st.integers(0, 1000)))
def test_stock_identity_opening_plus_in_minus_out_is_closing(sell_in, sell_out, opening):
	rows = reconcile(sell_in, sell_out, opening)
	by_item = defaultdict(list)
	for row in rows:
		by_item[row.item].append(row)
	for item, item_rows in by_item.items():
		stock = opening.get(item, 0)
		for row in item_rows:
			assert row.est_stock == pytest.approx(stock + row.sell_in - row.sell_out)
			stock = row.est_stock
		total_in = sum(q for i, _m, q in sell_in if i == item)
		total_out = sum(q for i, _m, q in sell_out if i == item)
		assert item_rows[-1].est_stock == pytest.approx(opening.get(item, 0) + total_in - total_out)
		assert sum(r.sell_in for r in item_rows) == total_in
		assert [r.month for r in item_rows] == sorted(r.month for r in item_rows)


def test_forecast_methods():
	assert forecast([10, 20, 30, 40]) == 30.0
	assert forecast([10, 20, 30, 40], LINEAR_TREND) == pytest.approx(50.0)
	assert forecast([40, 30, 20, 10, 0], LINEAR_TREND) == 0.0  # never below zero
	history = [float(m) for m in range(1, 13)] + [50.0]
	assert forecast(history, SEASONAL_NAIVE) == 2.0  # next month = the same month a year earlier
	assert forecast_with_method([5, 7], SEASONAL_NAIVE) == (6.0, MOVING_AVERAGE)  # too short: says so
	assert forecast([], MOVING_AVERAGE) == 0.0
	assert FORECAST_METHODS == ("Moving Average (3)", "Linear Trend", "Seasonal Naive")
	with pytest.raises(RuleError, match="Unknown forecast method"):
		forecast([1], "Crystal Ball")


@given(st.lists(st.floats(0, 1e6), min_size=1, max_size=24), st.sampled_from(FORECAST_METHODS))
def test_forecasts_are_never_negative_and_constant_history_forecasts_itself(history, method):
	assert forecast(history, method) >= 0
	assert forecast([history[0]] * len(history), method) == pytest.approx(history[0])


def test_suggested_order_rounds_up_to_packs():
	assert suggested_order(3.2, 10, 30, 12) == 96.0  # 96 - 10 = 86 -> 8 packs of 12
	assert suggested_order(2, 100, 30) == 0.0  # enough stock
	assert suggested_order(1, 0, 10, 0.5) == 10.0
	with pytest.raises(RuleError, match="pack size"):
		suggested_order(1, 0, 10, 0)
	with pytest.raises(RuleError, match="must not be negative"):
		suggested_order(-1, 0, 10)


@given(st.floats(0, 1e4), st.floats(-1e4, 1e5), st.integers(0, 120), st.sampled_from([1, 6, 12, 24]))
def test_suggested_order_covers_the_target(daily, stock, days, pack):
	order = suggested_order(daily, stock, days, pack)
	assert order >= 0 and order % pack == 0
	assert stock + order >= daily * days - 1e-6
	assert order == 0 or stock + order - pack < daily * days + 1e-6  # not a pack more than needed


def test_growth_points():
	points = growth_points(
		{"A": 50, "B": 95, "D": 10}, {"A": 100, "B": 100, "C": 30, "E": 0}, min_drop_pct=20
	)
	assert points == [
		{"key": "A", "previous": 100.0, "current": 50.0, "change_pct": -50.0, "status": "Declining"},
		{"key": "C", "previous": 30.0, "current": 0.0, "change_pct": -100.0, "status": "Lost"},
	]


def test_target_progress():
	assert target_progress(100, 40, 10, 30) == {
		"percent": 40.0,
		"expected": pytest.approx(33.333333),
		"projected": 120.0,
		"status": "Ahead",
	}
	assert target_progress(100, 33, 10, 30)["status"] == "On Track"
	assert target_progress(100, 20, 10, 30)["status"] == "Behind"
	assert target_progress(100, 120, 10, 30)["status"] == "Achieved"
	assert target_progress(0, 5, 1, 30)["percent"] is None
	with pytest.raises(RuleError, match="Days elapsed"):
		target_progress(100, 1, 31, 30)


def test_pivot_by_item_and_month():
	rows = [
		{"item": "MILK", "month": "2024-07", "qty": 2},
		{"item": "MILK", "month": "2024-08", "qty": 3},
		{"item": "TEA", "month": "2024-07", "qty": 1},
		{"item": "MILK", "month": "2024-07", "qty": 4},
	]
	header, body = pivot(rows, ["item"], "month", "qty")
	assert header == ["item", "2024-07", "2024-08", "Total"]
	assert body == [["MILK", 6, 3, 9], ["TEA", 1, None, 1]]
	assert pivot(rows, ["item"], None, "qty") == (["item", "qty"], [["MILK", 9], ["TEA", 1]])
	assert pivot(rows, ["item"], "month", "qty", "count")[1] == [["MILK", 2, 1, 3], ["TEA", 1, None, 1]]
	assert pivot(rows, ["item"], "month", "qty", "avg")[1][0] == ["MILK", 3.0, 3.0, 3.0]
	with pytest.raises(RuleError, match="Unknown aggregate"):
		pivot(rows, ["item"], "month", "qty", "median")
	with pytest.raises(RuleError, match="at least one row field"):
		pivot(rows, [], "month", "qty")


records = st.lists(
	st.fixed_dictionaries(
		{
			"outlet": st.sampled_from(["O1", "O2", "O3"]),
			"item": st.sampled_from(["A", "B"]),
			"month": months,
			"qty": st.integers(-50, 500),
		}
	),
	max_size=60,
)


@given(records)
def test_pivot_totals_equal_input_totals(rows):
	header, body = pivot(rows, ["outlet", "item"], "month", "qty")
	assert header[:2] == ["outlet", "item"] and header[-1] == "Total"
	assert sum(line[-1] for line in body) == sum(r["qty"] for r in rows)
	for line in body:
		assert sum(v for v in line[2:-1] if v is not None) == line[-1]
	for n, month in enumerate(header[2:-1], start=2):
		assert sum(line[n] or 0 for line in body) == sum(r["qty"] for r in rows if r["month"] == month)
