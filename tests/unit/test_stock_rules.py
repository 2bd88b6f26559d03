"""CRD-6, CRD-7: saleable stock, requested quantities, shortages with production due, reservations,
batches first-expired-first-out."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from distribution_sales.rules import RuleError
from distribution_sales.rules.stock import (
	BatchAllocation,
	BatchStock,
	LineStock,
	Shortage,
	StockPosition,
	allocate_fefo,
	due_in_time,
	is_expired,
	line_stock,
	requested,
	reservation_expiry,
	shortages,
)

D = date
CW, SW = "Central Warehouse - AP", "Shiraz Warehouse - AP"


# --- StockPosition ----------------------------------------------------------------------------------


def test_saleable_is_on_hand_minus_what_orders_and_proformas_hold():
	assert StockPosition(100).saleable == 100
	assert StockPosition(100, reserved_orders=30, reserved_proformas=25).saleable == 45
	assert StockPosition(10, reserved_orders=8, reserved_proformas=5).saleable == -3  # over-reserved


def test_invoices_not_yet_delivered_hold_stock_like_orders():
	position = StockPosition(100, reserved_orders=30, reserved_proformas=25, reserved_invoices=15)
	assert position.reserved == 70
	assert position.saleable == 30


# --- requested --------------------------------------------------------------------------------------


def test_requested_adds_up_lines_of_the_same_item_and_warehouse():
	lines = [("DAI-001", CW, 12), ("DAI-001", SW, 5), ("DAI-001", CW, 6.5), ("BEV-002", CW, 1)]
	assert requested(lines) == {("DAI-001", CW): 18.5, ("DAI-001", SW): 5, ("BEV-002", CW): 1}


def test_requested_of_nothing_is_nothing():
	assert requested([]) == {}


@pytest.mark.parametrize("bad", [0, 0.0, -1, -0.01, None])
def test_a_zero_or_negative_quantity_is_an_error_not_a_release(bad):
	lines = [("DAI-001", CW, 5), ("BEV-002", CW, bad)]
	with pytest.raises(RuleError) as e:
		requested(lines)
	assert e.value.template == "Quantity of {0} must be greater than zero"
	assert e.value.params == ("BEV-002",)
	assert lines == [("DAI-001", CW, 5), ("BEV-002", CW, bad)]  # the lines are left as they were


@pytest.mark.parametrize("warehouse", [None, ""])
def test_a_line_without_warehouse_is_refused(warehouse):
	with pytest.raises(RuleError) as e:
		requested([("SNA-003", warehouse, 2)])
	assert e.value.template == "Choose the warehouse that {0} is reserved in"
	assert e.value.params == ("SNA-003",)


@given(
	st.lists(
		st.tuples(
			st.sampled_from(["A", "B", "C"]), st.sampled_from([CW, SW]), st.integers(1, 1000).map(float)
		),
		max_size=12,
	)
)
def test_requested_keeps_the_total_per_item_and_warehouse(lines):
	wanted = requested(lines)
	assert sum(wanted.values()) == sum(q for _, _, q in lines)
	for (item, warehouse), total in wanted.items():
		assert total == sum(q for i, w, q in lines if (i, w) == (item, warehouse))
	assert set(wanted) == {(i, w) for i, w, _ in lines}


# --- shortages --------------------------------------------------------------------------------------


def test_enough_stock_no_shortage_and_exactly_enough_too():
	wanted = {("A", CW): 10.0}
	assert shortages(wanted, {("A", CW): StockPosition(15, 5)}) == []


def test_a_shortage_reports_what_was_wanted_and_what_can_be_promised():
	wanted = {("A", CW): 10.0}
	positions = {("A", CW): StockPosition(15, reserved_orders=4, reserved_proformas=3)}
	assert shortages(wanted, positions) == [Shortage("A", CW, 10.0, 8.0, 0.0)]


def test_no_position_means_nothing_on_hand():
	assert shortages({("A", SW): 1.0}, {("A", CW): StockPosition(100)}) == [Shortage("A", SW, 1.0, 0.0, 0.0)]


def test_production_due_in_time_covers_a_shortage():
	wanted = {("A", CW): 10.0}
	positions = {("A", CW): StockPosition(6)}
	assert shortages(wanted, positions, {("A", CW): 4.0}) == []
	assert shortages(wanted, positions, {("A", CW): 3.0}) == [Shortage("A", CW, 10.0, 6.0, 3.0)]
	# production for another warehouse does not help
	assert shortages(wanted, positions, {("A", SW): 100.0}) == [Shortage("A", CW, 10.0, 6.0, 0.0)]


def test_shortages_are_listed_by_item_and_warehouse():
	wanted = {("B", CW): 1.0, ("A", SW): 1.0, ("A", CW): 1.0}
	assert [(s.item_code, s.warehouse) for s in shortages(wanted, {})] == [("A", CW), ("A", SW), ("B", CW)]


def test_float_noise_is_not_a_shortage():
	assert shortages({("A", CW): 0.3}, {("A", CW): StockPosition(0.1)}, {("A", CW): 0.2}) == []


def test_shortages_leave_their_inputs_unchanged():
	wanted, positions, incoming = {("A", CW): 5.0}, {("A", CW): StockPosition(1)}, {("A", CW): 1.0}
	shortages(wanted, positions, incoming)
	assert (
		wanted == {("A", CW): 5.0}
		and positions == {("A", CW): StockPosition(1)}
		and incoming == {("A", CW): 1.0}
	)


keys = st.tuples(st.sampled_from(["A", "B", "C"]), st.sampled_from([CW, SW]))
amounts = st.integers(0, 100).map(float)


@given(
	st.dictionaries(keys, st.integers(1, 100).map(float)),
	st.dictionaries(keys, st.builds(StockPosition, amounts, amounts, amounts)),
	st.dictionaries(keys, amounts),
)
def test_no_shortage_iff_every_wanted_fits_saleable_plus_incoming(wanted, positions, incoming):
	found = shortages(wanted, positions, incoming)
	short = {
		k
		for k, q in wanted.items()
		if q > (positions[k].saleable if k in positions else 0) + incoming.get(k, 0)
	}
	assert {(s.item_code, s.warehouse) for s in found} == short
	assert (found == []) is all(
		q <= (positions[k].saleable if k in positions else 0) + incoming.get(k, 0) for k, q in wanted.items()
	)
	for s in found:
		assert s.wanted == wanted[(s.item_code, s.warehouse)]
		assert s.incoming == incoming.get((s.item_code, s.warehouse), 0)


# --- line_stock: what each line of a document is short of -------------------------------------------


def test_each_line_is_judged_by_its_documents_demand_for_the_item_in_the_warehouse():
	lines = [("A", CW, 4.0), ("B", CW, 2.0), ("A", CW, 3.0), ("A", SW, 1.0)]
	positions = {
		("A", CW): StockPosition(10, reserved_orders=4),
		("B", CW): StockPosition(5),
		("A", SW): StockPosition(1),
	}
	first, b, second, shiraz = line_stock(lines, positions)
	# 4 + 3 of A in Central against 6 saleable: both lines of A are short by 1, B and Shiraz are not
	assert (first.wanted, first.saleable, first.short, first.shortage) == (7.0, 6.0, True, 1.0)
	assert (second.qty, second.wanted, second.short, second.shortage) == (3.0, 7.0, True, 1.0)
	assert (b.short, b.shortage, b.saleable) == (False, 0.0, 5.0)
	assert (shiraz.short, shiraz.wanted, shiraz.saleable) == (False, 1.0, 1.0)


def test_a_line_is_short_exactly_when_shortages_refuse_its_item_and_warehouse():
	lines = [("A", CW, 5.0)]
	assert line_stock(lines, {("A", CW): StockPosition(5)})[0].short is False  # exactly enough
	short = line_stock(lines, {})[0]  # nothing on hand
	assert (short.short, short.saleable, short.shortage) == (True, 0.0, 5.0)


def test_production_due_counts_for_the_line_as_for_the_submit():
	lines = [("A", CW, 10.0)]
	covered = line_stock(lines, {("A", CW): StockPosition(6)}, {("A", CW): 4.0})[0]
	assert (covered.short, covered.incoming, covered.shortage) == (False, 4.0, 0.0)
	partly = line_stock(lines, {("A", CW): StockPosition(6)}, {("A", CW): 3.0})[0]
	assert (partly.short, partly.shortage) == (True, 1.0)


def test_lines_the_submit_would_refuse_get_no_status_and_do_not_count():
	lines = [("A", CW, 0.0), ("A", None, 3.0), ("A", CW, None), ("A", CW, 2.0), ("A", "", 1.0)]
	out = line_stock(lines, {("A", CW): StockPosition(2)})
	assert [s is None for s in out] == [True, True, True, False, True]
	assert (out[3].wanted, out[3].short) == (2.0, False)


def test_line_stock_of_nothing_is_nothing():
	assert line_stock([], {}) == []


def test_line_stock_is_a_plain_value():
	s = line_stock([("A", CW, 1.0)], {("A", CW): StockPosition(3, 1)})[0]
	assert s == LineStock("A", CW, 1.0, 1.0, StockPosition(3, 1), 0.0, False)


@given(
	st.lists(
		st.tuples(st.sampled_from(["A", "B"]), st.sampled_from([CW, SW]), st.integers(1, 50).map(float)),
		max_size=10,
	),
	st.dictionaries(keys, st.builds(StockPosition, amounts, amounts, amounts, amounts)),
	st.dictionaries(keys, amounts),
)
def test_line_flags_agree_with_shortages(lines, positions, incoming):
	out = line_stock(lines, positions, incoming)
	refused = {(s.item_code, s.warehouse): s for s in shortages(requested(lines), positions, incoming)}
	assert len(out) == len(lines)
	for (item, warehouse, qty), s in zip(lines, out, strict=True):
		assert (s.item_code, s.warehouse, s.qty) == (item, warehouse, qty)
		assert s.short is ((item, warehouse) in refused)
		if s.short:
			gap = refused[(item, warehouse)]
			assert abs(s.shortage - (gap.wanted - gap.saleable - gap.incoming)) < 1e-9 and s.shortage > 0
		else:
			assert s.shortage == 0


# --- due_in_time ------------------------------------------------------------------------------------


def test_only_production_finished_by_the_delivery_date_counts():
	supply = [
		(D(2026, 5, 1), 10),
		(D(2026, 5, 5), 20),  # on the delivery date: in time
		(D(2026, 5, 6), 40),  # a day late
		(None, 80),  # no date: cannot be promised
		(D(2026, 5, 2), 0),  # finished already
		(D(2026, 5, 2), -5),  # over-produced work order: does not take anything away
	]
	assert due_in_time(supply, D(2026, 5, 5)) == 30
	assert due_in_time(supply, D(2026, 4, 30)) == 0
	assert due_in_time([], D(2026, 5, 5)) == 0


@given(
	st.lists(st.tuples(st.none() | st.dates(D(2026, 1, 1), D(2026, 12, 31)), st.integers(-10, 100))),
	st.dates(D(2026, 1, 1), D(2026, 12, 31)),
)
def test_due_in_time_grows_with_the_delivery_date(supply, delivery):
	now = due_in_time(supply, delivery)
	assert 0 <= now <= due_in_time(supply, delivery + timedelta(days=1))
	assert now <= sum(q for _, q in supply if q > 0)


# --- reservation_expiry -----------------------------------------------------------------------------

TODAY = D(2026, 5, 1)


def test_a_proforma_reserves_until_its_validity_date():
	assert reservation_expiry(D(2026, 5, 20), TODAY, 7) == D(2026, 5, 20)
	assert reservation_expiry(TODAY, TODAY, 7) == TODAY  # valid through today


def test_a_proforma_without_validity_reserves_for_the_default_days():
	assert reservation_expiry(None, TODAY, 7) == D(2026, 5, 8)
	assert reservation_expiry(None, TODAY, 0) == TODAY
	assert reservation_expiry(None, TODAY, -3) == TODAY  # a bad setting does not expire it in the past


def test_an_expired_proforma_reserves_nothing():
	with pytest.raises(RuleError) as e:
		reservation_expiry(D(2026, 4, 30), TODAY, 7)
	assert e.value.template == "The proforma expired on {0}"
	assert e.value.params == ("2026-04-30",)
	assert str(e.value) == "The proforma expired on 2026-04-30"


@given(st.none() | st.dates(D(2026, 5, 1), D(2027, 5, 1)), st.integers(-30, 365))
def test_a_reservation_never_lapses_before_today(valid_till, days):
	assert reservation_expiry(valid_till, TODAY, days) >= TODAY


# --- allocate_fefo ----------------------------------------------------------------------------------


def test_a_line_is_split_across_batches_earliest_expiry_first_and_expired_ones_skipped():
	batches = [
		BatchStock("B1", 144, D(2027, 5, 21)),
		BatchStock("OLD", 500, D(2026, 4, 30)),  # expired yesterday
		BatchStock("A1", 141, D(2027, 4, 21)),
	]
	assert allocate_fefo(batches, 180, TODAY) == BatchAllocation((("A1", 141), ("B1", 39)))


def test_one_batch_that_covers_the_quantity_is_enough():
	batches = [BatchStock("LATE", 100, D(2027, 1, 1)), BatchStock("SOON", 100, D(2026, 6, 1))]
	assert allocate_fefo(batches, 100, TODAY) == BatchAllocation((("SOON", 100),))


def test_a_batch_is_saleable_through_its_expiry_date():
	assert not is_expired(TODAY, TODAY) and is_expired(TODAY - timedelta(days=1), TODAY)
	assert not is_expired(None, TODAY)
	assert allocate_fefo([BatchStock("LAST-DAY", 5, TODAY)], 5, TODAY).taken == (("LAST-DAY", 5),)


def test_batches_without_expiry_come_last_and_ties_keep_their_order():
	batches = [
		BatchStock("FOREVER", 10),
		BatchStock("SAME-2", 3, D(2026, 9, 1)),
		BatchStock("SAME-1", 3, D(2026, 9, 1)),
	]
	assert allocate_fefo(batches, 8, TODAY).taken == (("SAME-2", 3), ("SAME-1", 3), ("FOREVER", 2))


def test_not_enough_unexpired_stock_is_a_shortfall_after_taking_everything():
	batches = [BatchStock("A", 4, D(2026, 6, 1)), BatchStock("GONE", 50, D(2026, 1, 1)), BatchStock("E", 0)]
	allocation = allocate_fefo(batches, 10, TODAY)
	assert allocation == BatchAllocation((("A", 4),), shortfall=6)
	assert allocation.qty == 4
	assert allocate_fefo([], 3, TODAY) == BatchAllocation((), shortfall=3)


@pytest.mark.parametrize("qty", [0, 0.0, -5])
def test_nothing_wanted_takes_nothing(qty):
	assert allocate_fefo([BatchStock("A", 4, D(2026, 6, 1))], qty, TODAY) == BatchAllocation(())


def test_allocation_leaves_the_batches_unchanged():
	batches = [BatchStock("A", 4, D(2026, 6, 1)), BatchStock("B", 4, D(2026, 7, 1))]
	allocate_fefo(batches, 6, TODAY)
	assert batches == [BatchStock("A", 4, D(2026, 6, 1)), BatchStock("B", 4, D(2026, 7, 1))]


batch_lists = st.lists(
	st.builds(
		BatchStock,
		st.text("ABCDEFGH", min_size=1, max_size=3),
		st.integers(0, 200).map(float) | st.floats(0, 200, allow_nan=False),
		st.none() | st.dates(D(2026, 3, 1), D(2026, 9, 1)),
	),
	max_size=10,
	unique_by=lambda b: b.batch_no,
)


@given(batch_lists, st.floats(0.001, 1000, allow_nan=False), st.dates(D(2026, 3, 1), D(2026, 9, 1)))
def test_fefo_properties(batches, qty, on):
	allocation = allocate_fefo(batches, qty, on)
	by_name = {b.batch_no: b for b in batches}
	unexpired = sum(b.qty for b in batches if not is_expired(b.expiry, on) and b.qty > 1e-9)
	# enough stock: the allocation sums to the quantity; not enough: it takes it all, the rest is short
	if unexpired >= qty:
		assert allocation.shortfall == 0
		assert allocation.qty == pytest.approx(qty, abs=1e-9)
	else:
		assert allocation.shortfall == pytest.approx(qty - unexpired, abs=1e-9)
		assert allocation.qty == pytest.approx(unexpired, abs=1e-9)
	names = [name for name, _ in allocation.taken]
	assert len(names) == len(set(names))
	for name, part in allocation.taken:
		assert 0 < part <= by_name[name].qty  # never over a batch's quantity
		assert not is_expired(by_name[name].expiry, on)  # never an expired batch
	# earliest expiry first: a batch is touched only when every batch expiring earlier is used up
	order = [(by_name[n].expiry is None, by_name[n].expiry or on) for n in names]
	assert order == sorted(order)
	for name, _part in allocation.taken:
		used = by_name[name]
		for other in batches:
			if other.qty > 1e-9 and not is_expired(other.expiry, on) and other.expiry is not None:
				if used.expiry is None or other.expiry < used.expiry:
					assert dict(allocation.taken).get(other.batch_no) == pytest.approx(other.qty)
