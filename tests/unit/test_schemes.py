"""PRC-2, PRC-5: promotion schemes — tiers, measures, layers, budgets, free goods (pure, no frappe)."""

import math
import random
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from distribution_sales.rules import RuleError
from distribution_sales.rules.schemes import (
	Applied,
	Context,
	FreeLine,
	Line,
	LineResult,
	Scheme,
	Tier,
	apply_schemes,
	validate_scheme,
)

ON = date(2026, 5, 1)
CTX = Context(on=ON)


def line(key="L1", item="TEA", qty=1.0, rate=100.0, uom="Nos", **kw) -> Line:
	kw.setdefault("stock_uom", "Nos")
	return Line(key, item, qty, rate, uom, **kw)


def carton(key="L1", item="TEA", qty=5.0, **kw) -> Line:
	"""``qty`` cartons of 12 at 120 a carton (10 a unit): 5 cartons = 60 units = 5 packs = 600."""
	kw.setdefault("rate", 120.0)
	return line(key, item, qty, uom="Carton", conversion_factor=12.0, pack_factor=12.0, **kw)


def scheme(*tiers: Tier, name="S", **kw) -> Scheme:
	return Scheme(name, tuple(tiers) or (Tier(0, discount_percent=10),), **kw)


def run(lines, schemes, ctx=CTX):
	return apply_schemes(list(lines), list(schemes), ctx)


def rows(result, line_key=None):
	return [(a.scheme, a.line) for a in result.applied if line_key in (None, a.line)]


# --- tier type × measure ----------------------------------------------------------------------------

TABLE = [
	# slab: the highest tier reached applies to the whole value
	("slab", "stock", (Tier(24, discount_percent=5), Tier(48, discount_percent=10)), 1, 108.0, 0),
	("slab", "pack", (Tier(2, discount_percent=5), Tier(5, discount_percent=10)), 1, 108.0, 0),
	("slab", "amount", (Tier(500, discount_percent=5), Tier(1000, discount_percent=10)), 0, 114.0, 0),
	("slab", "stock", (Tier(61, discount_percent=5),), None, 120.0, 0),  # below the first tier
	("slab", "pack", (Tier(5, free_qty=2),), 0, 120.0, 2),
	# stepped: each band its own tier, a tier from N from the N-th unit on; units 24..47 at 0.5 a unit,
	# units 48..60 at 1 a unit = 12 + 13 money
	(
		"stepped",
		"stock",
		(Tier(0), Tier(24, discount_amount=0.5), Tier(48, discount_amount=1)),
		2,
		120 - 25 / 5,
		0,
	),
	# packs 2 and 3 at 10 %, packs 4 and 5 at 20 % of 120 a pack = 24 + 48
	("stepped", "pack", (Tier(0), Tier(2, discount_percent=10), Tier(4, discount_percent=20)), 2, 105.6, 0),
	# amount 500..600 at 10 % = 10 money
	(
		"stepped",
		"amount",
		(Tier(0), Tier(500, discount_percent=10), Tier(1000, discount_percent=20)),
		1,
		118.0,
		0,
	),
	# the units before the first tier get nothing: units 50..60 = 11 units at 1
	("stepped", "stock", (Tier(50, discount_amount=1),), 0, 117.8, 0),
	# recurring: 60 units, every 7 -> 8 free; 5 packs every 2 -> 2 free
	("recurring", "stock", (Tier(0, every=7, free_qty=1),), 0, 120.0, 8),
	("recurring", "pack", (Tier(0, every=2, free_qty=1),), 0, 120.0, 2),
	# 10 off every 250 of amount (0.04 per unit of amount): 600 -> 2 blocks -> 20 money
	("recurring", "amount", (Tier(0, every=250, discount_amount=0.04),), 0, 116.0, 0),
	("recurring", "amount", (Tier(0, every=250, free_qty=1),), 0, 120.0, 2),
	("recurring", "stock", (Tier(61, every=7, free_qty=1),), None, 120.0, 0),  # below min_value
]


@pytest.mark.parametrize("tier_type, measure, tiers, tier, net_rate, free", TABLE)
def test_tier_types_and_measures(tier_type, measure, tiers, tier, net_rate, free):
	result = run([carton()], [scheme(*tiers, tier_type=tier_type, measure=measure)])
	assert result.lines["L1"].net_rate == pytest.approx(net_rate)
	assert result.lines["L1"].discount_amount == pytest.approx((120 - net_rate) * 5)
	assert sum(f.qty for f in result.free_lines) == free
	assert [a.tier for a in result.applied] == ([] if tier is None else [tier])


def test_measured_value_and_highest_band_are_reported():
	tiers = (Tier(0), Tier(24, discount_amount=0.5), Tier(100, discount_amount=1))
	(applied,) = run([carton()], [scheme(*tiers, tier_type="stepped")]).applied
	assert (applied.tier, applied.measured) == (1, 60.0)
	assert applied.discount_amount == pytest.approx(18.5)  # units 24..60: 37 units at 0.5


# --- stepped tiers start where the tier says: "From 10" is the 10th unit on -------------------------

PRICE_BREAK = (Tier(10, discount_percent=5), Tier(50, discount_percent=8))  # "10-49: -5 %, 50+: -8 %"


@pytest.mark.parametrize(
	"qty, at_5, at_8",
	[
		(9, 0, 0),
		(10, 1, 0),  # the 10th unit is the first at 5 %
		(11, 2, 0),
		(49, 40, 0),
		(50, 40, 1),  # the 50th unit is the first at 8 %
		(60, 40, 11),
		(9.5, 0, 0),  # below the first tier
		(10.5, 1.5, 0),
		(49.5, 40.5, 0),  # a fraction short of the 50th unit stays at 5 %
	],
)
def test_a_stepped_tier_from_n_starts_at_the_n_th_unit(qty, at_5, at_8):
	result = run([line(qty=qty, rate=10.0)], [scheme(*PRICE_BREAK, tier_type="stepped")])
	assert result.lines["L1"].discount_amount == pytest.approx(at_5 * 10 * 0.05 + at_8 * 10 * 0.08)


@pytest.mark.parametrize("start", [0, 1])
def test_a_stepped_tier_from_0_or_1_covers_every_unit(start):
	result = run([line(qty=7, rate=10.0)], [scheme(Tier(start, discount_amount=1), tier_type="stepped")])
	assert result.lines["L1"].discount_amount == pytest.approx(7.0)


@given(st.integers(1, 200), st.integers(0, 200))
def test_stepped_and_slab_tiers_start_at_the_same_unit(start, qty):
	tier = Tier(start, discount_percent=10)
	slab = run([line(qty=qty)], [scheme(tier)]).lines["L1"].discount_amount
	stepped = run([line(qty=qty)], [scheme(tier, tier_type="stepped")]).lines["L1"].discount_amount
	assert (slab > 0) == (stepped > 0) == (qty >= start)
	# the slab takes 10 % off every unit once reached, the stepped tier off the start-th unit on
	assert stepped == pytest.approx(slab * (qty - start + 1) / qty if qty >= start else 0.0)


stepped_tiers = st.lists(
	st.tuples(st.sampled_from([0.0, 5.0, 10.0, 12.5]), st.sampled_from([0.0, 0.5, 1.0])),
	min_size=1,
	max_size=4,
)


@given(
	st.lists(st.integers(0, 120), min_size=1, max_size=4, unique=True),
	stepped_tiers,
	st.integers(0, 150),
	st.sampled_from(["stock", "pack"]),
)
def test_stepped_units_match_a_unit_by_unit_count(starts, benefits, units, measure):
	"""Counted units, one by one: the k-th unit gets the tier with the highest From <= k."""
	starts = sorted(starts)[: len(benefits)]
	tiers = tuple(
		Tier(start, discount_percent=percent, discount_amount=amount)
		for start, (percent, amount) in zip(starts, benefits, strict=False)
	)
	# 10 a unit; as packs: cartons of 12 at 10 a carton, measured one pack each
	bought = line(qty=units, rate=10.0) if measure == "stock" else carton(qty=units, rate=10.0)
	expected = 0.0
	for k in range(1, units + 1):
		reached = [tier for tier in tiers if tier.min_value <= k]
		if reached:
			expected += 10.0 * reached[-1].discount_percent / 100 + reached[-1].discount_amount
	result = run([bought], [scheme(*tiers, tier_type="stepped", measure=measure)])
	assert result.lines["L1"].discount_amount == pytest.approx(expected, abs=1e-9)


@given(
	st.lists(st.integers(0, 2000), min_size=1, max_size=4, unique=True),
	stepped_tiers,
	st.integers(0, 150),
)
def test_stepped_amount_bands_start_at_the_amount_itself(starts, benefits, qty):
	"""Money is continuous: a tier's band is [From, next From), measured on the line amount."""
	starts = sorted(starts)[: len(benefits)]
	rate = 12.5
	value = qty * rate
	expected = 0.0
	for i, (start, (percent, amount)) in enumerate(zip(starts, benefits, strict=False)):
		upper = starts[i + 1] if i + 1 < len(starts) else math.inf
		covered = max(0.0, min(value, upper) - start)
		expected += covered * (percent / 100 + amount / 20)  # 0.05 money per 1 of amount at most
	tiers = tuple(
		Tier(start, discount_percent=percent, discount_amount=amount / 20)
		for start, (percent, amount) in zip(starts, benefits, strict=False)
	)
	result = run([line(qty=qty, rate=rate)], [scheme(*tiers, tier_type="stepped", measure="amount")])
	assert result.lines["L1"].discount_amount == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("amount, covered", [(999.0, 0.0), (1000.0, 0.0), (1500.0, 500.0), (2500.0, 1500.0)])
def test_an_amount_tier_from_1000_covers_the_amount_above_1000(amount, covered):
	tiers = (Tier(1000, discount_percent=10), Tier(2000, discount_percent=20))
	result = run([line(qty=1, rate=amount)], [scheme(*tiers, tier_type="stepped", measure="amount")])
	expected = 0.1 * min(covered, 1000.0) + 0.2 * max(0.0, covered - 1000.0)
	assert result.lines["L1"].discount_amount == pytest.approx(expected)


@pytest.mark.parametrize("qty, free", [(41, 5), (42, 6), (84, 12), (6, 0), (7, 1)])
def test_every_seven_gives_one(qty, free):
	result = run([line(qty=qty)], [scheme(Tier(0, every=7, free_qty=1), tier_type="recurring")])
	assert [f.qty for f in result.free_lines] == ([free] if free else [])


def test_recurring_free_quantity_is_rounded_down():
	result = run([line(qty=35)], [scheme(Tier(0, every=7, free_qty=1.5), tier_type="recurring")])
	assert result.free_lines[0].qty == 7  # 5 x 1.5 = 7.5


def test_float_error_does_not_lose_a_unit():
	# 0.3 / 0.1 is 2.9999999999999996 in floats: still 3 blocks
	result = run([line(qty=0.3)], [scheme(Tier(0, every=0.1, free_qty=1), tier_type="recurring")])
	assert result.free_lines[0].qty == 3
	# 3 x 0.7 = 2.0999999999999996 reaches a tier from 2.1
	result = run([line(qty=3, rate=0.7)], [scheme(Tier(2.1, discount_percent=10), measure="amount")])
	assert result.lines["L1"].net_rate == pytest.approx(0.63)


def test_recurring_percent_covers_complete_blocks_only():
	# 10 units, every 4 -> 8 units covered at 10 % = 80 of 1000
	result = run([line(qty=10)], [scheme(Tier(0, every=4, discount_percent=10), tier_type="recurring")])
	assert result.lines["L1"].discount_amount == pytest.approx(80.0)


# --- pack units ---------------------------------------------------------------------------------------


def test_five_cartons_of_twelve_meet_a_from_five_packs_tier():
	result = run([carton(qty=5)], [scheme(Tier(5, discount_percent=10), measure="pack")])
	assert result.lines["L1"].net_rate == pytest.approx(108.0)
	assert result.applied[0].measured == 5


def test_packs_are_counted_from_stock_units_whatever_the_line_uom():
	units = line(qty=60, rate=10, pack_factor=12.0)  # 60 single units = 5 packs
	result = run([units], [scheme(Tier(5, discount_percent=10), measure="pack")])
	assert result.lines["L1"].net_rate == pytest.approx(9.0)
	assert run([carton(qty=4)], [scheme(Tier(5, discount_percent=10), measure="pack")]).applied == []


def test_a_line_without_pack_factor_counts_no_packs():
	result = run([line(qty=1000)], [scheme(Tier(0, discount_percent=10), measure="pack")])
	assert result.applied == []
	assert result.lines["L1"].net_rate == 100.0


def test_discount_amount_per_pack_and_per_unit_of_amount():
	per_pack = run([carton()], [scheme(Tier(1, discount_amount=6), measure="pack")])
	assert per_pack.lines["L1"].discount_amount == pytest.approx(30.0)  # 5 packs x 6
	per_amount = run([carton()], [scheme(Tier(0, discount_amount=0.05), measure="amount")])
	assert per_amount.applied[0].discount_percent == pytest.approx(5.0)
	assert per_amount.lines["L1"].net_rate == pytest.approx(114.0)


# --- aggregate vs per line ----------------------------------------------------------------------------


def group_lines():
	return [
		line("L1", "TEA", 4, 10.0, item_groups=("Beverages",)),
		line("L2", "COFFEE", 4, 20.0, item_groups=("Beverages",)),
		line("L3", "SOAP", 50, 1.0, item_groups=("Household",)),
	]


@pytest.mark.parametrize("aggregate, discounted", [(False, []), (True, ["L1", "L2"])])
def test_aggregate_counts_a_mix_of_items_towards_one_tier(aggregate, discounted):
	beverages = scheme(
		Tier(6, discount_percent=10), aggregate=aggregate, item_groups=frozenset({"Beverages"})
	)
	result = run(group_lines(), [beverages])
	assert [a.line for a in result.applied] == discounted
	for key in discounted:
		assert result.lines[key].net_rate == pytest.approx(result.lines[key].original_rate * 0.9)
	assert result.lines["L3"] == LineResult("L3", 1.0, 1.0, 0.0)


def test_aggregate_amount_is_shared_in_proportion_to_what_each_line_measured():
	lines = [line("L1", "TEA", 2, 10.0), line("L2", "COFFEE", 6, 10.0)]
	result = run(lines, [scheme(Tier(0, discount_amount=1), aggregate=True)])
	assert [a.discount_amount for a in result.applied] == pytest.approx([2.0, 6.0])
	capped = run(lines, [scheme(Tier(0, discount_amount=1), aggregate=True, max_value=4)])
	assert [a.discount_amount for a in capped.applied] == pytest.approx([1.0, 3.0])
	assert {a.measured for a in capped.applied} == {4.0}


def test_max_value_caps_the_tier_choice_and_the_benefit():
	tiers = (Tier(0, discount_percent=5), Tier(10, discount_percent=10))
	result = run([line(qty=20)], [scheme(*tiers, max_value=8)])
	(applied,) = result.applied
	assert (applied.tier, applied.measured) == (0, 8)
	assert applied.discount_amount == pytest.approx(0.05 * 100 * 8)


def test_aggregate_free_goods_of_own_item_go_to_the_line_that_measured_most():
	lines = [line("L1", "TEA", 4, stock_uom="Box"), line("L2", "COFFEE", 6, stock_uom="Jar")]
	result = run(lines, [scheme(Tier(10, free_qty=1), aggregate=True)])
	assert result.free_lines == [FreeLine("COFFEE", 1.0, "Jar", "S", "L2")]
	assert [(a.line, a.free_qty, a.discount_amount) for a in result.applied] == [("L1", 0, 0), ("L2", 1, 0)]


def test_aggregate_free_goods_tie_goes_to_the_smallest_key():
	lines = [line("L2", "COFFEE", 5), line("L1", "TEA", 5)]
	result = run(lines, [scheme(Tier(10, free_qty=1), aggregate=True)])
	assert result.free_lines == [FreeLine("TEA", 1.0, "Nos", "S", "L1")]


def test_per_line_slab_free_goods_once_per_line_and_aggregate_once():
	lines = [line("L1", "TEA", 5), line("L2", "TEA", 5)]
	per_line = run(lines, [scheme(Tier(5, free_qty=2, free_item="CUP"))])
	assert [(a.line, a.free_qty) for a in per_line.applied] == [("L1", 2), ("L2", 2)]
	assert per_line.free_lines == [FreeLine("CUP", 4.0, None, "S", "L1")]  # one line per item and UOM
	aggregate = run(lines, [scheme(Tier(5, free_qty=2, free_item="CUP"), aggregate=True)])
	assert [(f.source_line, f.qty) for f in aggregate.free_lines] == [("L1", 2)]


# --- free goods ----------------------------------------------------------------------------------------


def test_free_goods_of_the_same_item_in_its_stock_uom():
	result = run([carton()], [scheme(Tier(5, free_qty=1), measure="pack")])
	assert result.free_lines == [FreeLine("TEA", 1.0, "Nos", "S", "L1")]
	(applied,) = result.applied
	assert (applied.free_item, applied.free_qty, applied.free_uom) == ("TEA", 1.0, "Nos")
	assert result.lines["L1"].net_rate == 120.0


def test_free_goods_of_another_item():
	result = run([line(qty=10)], [scheme(Tier(10, free_qty=1, free_item="CUP", free_uom="Box"))])
	assert result.free_lines == [FreeLine("CUP", 1.0, "Box", "S", "L1")]
	no_uom = run([line(qty=10)], [scheme(Tier(10, free_qty=1, free_item="CUP"))])
	assert no_uom.free_lines[0].uom is None  # unknown here: the caller fills in the stock UOM


def test_free_lines_never_match_and_are_not_in_the_result():
	lines = [line("L1", qty=3), line("F1", qty=100, rate=0.0, is_free=True)]
	result = run(lines, [scheme(Tier(5, discount_percent=10))])
	assert result.applied == []
	assert list(result.lines) == ["L1"]


def test_fractional_slab_free_quantity_is_rounded_down_and_zero_is_not_emitted():
	result = run([line(qty=10)], [scheme(Tier(1, free_qty=0.5))])
	assert result.free_lines == [] and result.applied == []


# --- layers -------------------------------------------------------------------------------------------


def test_compound_percents_multiply():
	result = run([line(qty=10)], [scheme(name="A"), scheme(Tier(0, discount_percent=5), name="B")])
	assert result.lines["L1"].net_rate == pytest.approx(85.5)  # 14.5 %
	assert result.lines["L1"].discount_amount == pytest.approx(145.0)
	assert [a.discount_percent for a in result.applied] == pytest.approx([10.0, 4.5])


def test_non_compound_percents_add_up():
	b = scheme(Tier(0, discount_percent=5), name="B", compound=False)
	result = run([line(qty=10)], [scheme(name="A"), b])
	assert result.lines["L1"].net_rate == pytest.approx(85.0)  # 15 %
	assert [a.discount_percent for a in result.applied] == pytest.approx([10.0, 5.0])


def test_exclusive_closes_the_line_to_later_schemes():
	a = scheme(name="A", exclusive=True, priority=1)
	b = scheme(Tier(0, discount_percent=5), name="B", priority=2)
	result = run([line()], [b, a])
	assert rows(result) == [("A", "L1")]
	assert result.lines["L1"].net_rate == pytest.approx(90.0)


def test_an_exclusive_scheme_that_gives_nothing_closes_nothing():
	a = scheme(Tier(100, discount_percent=50), name="A", exclusive=True, priority=1)
	b = scheme(Tier(0, discount_percent=5), name="B", priority=2)
	assert rows(run([line(qty=1)], [a, b])) == [("B", "L1")]


def test_exclusive_closes_only_the_lines_it_gave_something():
	a = scheme(name="A", exclusive=True, priority=1, items=frozenset({"TEA"}))
	b = scheme(Tier(0, discount_percent=5), name="B", priority=2)
	result = run([line("L1", "TEA"), line("L2", "SOAP")], [a, b])
	assert rows(result) == [("A", "L1"), ("B", "L2")]


def test_exclusive_free_goods_close_the_line():
	a = scheme(Tier(1, free_qty=1), name="A", exclusive=True, priority=1)
	result = run([line()], [a, scheme(name="B", priority=2)])
	assert rows(result) == [("A", "L1")]


def test_schemes_apply_by_priority_then_name():
	fixed = scheme(Tier(0, fixed_rate=80), name="A-fixed")
	percent = scheme(Tier(0, discount_percent=10), name="B-percent")
	assert run([line()], [percent, fixed]).lines["L1"].net_rate == pytest.approx(72.0)  # 80 then -10 %
	assert run([line()], [replace(percent, priority=1), fixed]).lines["L1"].net_rate == pytest.approx(80.0)
	assert [a.scheme for a in run([line()], [percent, fixed]).applied] == ["A-fixed", "B-percent"]


def test_amount_measure_uses_the_rate_left_by_earlier_layers():
	first = scheme(Tier(0, discount_percent=10), name="A")  # 1000 -> 900
	second = scheme(Tier(950, discount_percent=5), name="B", measure="amount")
	result = run([line(qty=10)], [first, second])
	assert rows(result) == [("A", "L1")]
	third = scheme(Tier(900, discount_amount=0.1), name="B", measure="amount")  # 10 % of 900
	assert run([line(qty=10)], [first, third]).lines["L1"].net_rate == pytest.approx(81.0)


def test_net_rate_never_below_zero():
	a = scheme(Tier(0, discount_percent=60), name="A", compound=False)
	b = scheme(Tier(0, discount_percent=60), name="B", compound=False)
	c = scheme(Tier(0, discount_amount=1000), name="C")
	result = run([line(qty=2)], [a, b, c])
	assert result.lines["L1"] == LineResult("L1", 100.0, 0.0, 200.0)
	assert [a.discount_amount for a in result.applied] == pytest.approx([120.0, 80.0])


def test_untouched_lines_keep_their_rate():
	result = run([line("L2", rate=12.3456789), line("L1")], [])
	assert list(result.lines) == ["L1", "L2"]
	assert result.lines["L2"] == LineResult("L2", 12.3456789, 12.3456789, 0.0)


def test_net_rate_is_rounded_to_six_decimals():
	result = run([line(qty=3, rate=1.0)], [scheme(Tier(0, discount_amount=1 / 3 / 7))])
	assert result.lines["L1"].net_rate == round(1 - 1 / 21, 6)


# --- fixed rate ---------------------------------------------------------------------------------------


def test_fixed_rate_is_per_stock_unit():
	result = run([carton()], [scheme(Tier(0, fixed_rate=9))])
	assert result.lines["L1"].net_rate == pytest.approx(108.0)  # 9 x 12 a carton
	assert result.applied[0].discount_amount == pytest.approx(60.0)


def test_fixed_rate_never_raises_the_rate():
	result = run([carton()], [scheme(Tier(0, fixed_rate=11))])
	assert result.applied == []
	assert result.lines["L1"].net_rate == 120.0


def test_fixed_rate_after_a_percent_in_the_same_tier():
	result = run([line()], [scheme(Tier(0, discount_percent=10, fixed_rate=85))])
	assert result.lines["L1"].net_rate == pytest.approx(85.0)
	result = run([line()], [scheme(Tier(0, discount_percent=20, fixed_rate=85))])
	assert result.lines["L1"].net_rate == pytest.approx(80.0)


# --- budgets ------------------------------------------------------------------------------------------


def test_amount_budget_caps_the_discount():
	result = run([line(qty=10)], [scheme(budget_left=60)])
	(applied,) = result.applied
	assert applied.discount_amount == pytest.approx(60.0)
	assert applied.note == "capped by budget"
	assert result.lines["L1"].net_rate == pytest.approx(94.0)


def test_amount_budget_is_shared_proportionally_over_the_lines():
	lines = [line("L1", qty=10), line("L2", qty=30)]  # 100 + 300 asked
	result = run(lines, [scheme(budget_left=200)])
	assert [a.discount_amount for a in result.applied] == pytest.approx([50.0, 150.0])


def test_budget_not_reached_is_not_noted():
	(applied,) = run([line(qty=10)], [scheme(budget_left=100)]).applied
	assert applied.note == ""


def test_customer_budget_is_the_tighter_cap():
	result = run([line(qty=10)], [scheme(budget_left=100, customer_budget_left=30)])
	assert result.applied[0].discount_amount == pytest.approx(30.0)
	result = run([line(qty=10)], [scheme(customer_budget_left=30)])
	assert result.applied[0].discount_amount == pytest.approx(30.0)


def test_qty_budget_caps_free_goods():
	recurring = scheme(Tier(0, every=7, free_qty=1), tier_type="recurring", budget_basis="qty", budget_left=5)
	result = run([line(qty=84)], [recurring])
	assert [f.qty for f in result.free_lines] == [5]
	assert result.applied[0].note == "capped by budget"


def test_qty_budget_scales_each_line_down_to_whole_units():
	two = scheme(Tier(0, every=1, free_qty=1), tier_type="recurring", budget_basis="qty", budget_left=5)
	result = run([line("L1", qty=3), line("L2", "SOAP", qty=3)], [two])
	assert [f.qty for f in result.free_lines] == [2, 2]  # 6 asked, 5 allowed: 2.5 each, rounded down


def test_qty_budget_does_not_cap_money_and_amount_budget_does_not_cap_goods():
	both = Tier(1, discount_percent=10, free_qty=3)
	by_qty = run([line(qty=10)], [scheme(both, budget_basis="qty", budget_left=1)])
	assert by_qty.applied[0].discount_amount == pytest.approx(100.0)
	assert by_qty.free_lines[0].qty == 1
	by_amount = run([line(qty=10)], [scheme(both, budget_left=10)])
	assert by_amount.applied[0].discount_amount == pytest.approx(10.0)
	assert by_amount.free_lines[0].qty == 3


@pytest.mark.parametrize(
	"budgets",
	[{"budget_left": 0}, {"customer_budget_left": 0}, {"budget_left": 50, "customer_budget_left": -1}],
)
def test_spent_budget_gives_nothing_and_says_so(budgets):
	spent = scheme(name="A", exclusive=True, **budgets)
	later = scheme(Tier(0, discount_percent=5), name="B")
	result = run([line(qty=10)], [spent, later])
	assert result.skipped == [("A", "budget spent")]
	assert rows(result) == [("B", "L1")]  # a spent exclusive scheme closes nothing


def test_spent_budget_of_a_scheme_that_would_give_nothing_is_not_reported():
	spent = scheme(Tier(1000, discount_percent=10), budget_left=0)
	assert run([line()], [spent]).skipped == []


def test_a_cap_that_leaves_nothing_is_reported():
	tiny = scheme(Tier(1, free_qty=1), budget_basis="qty", budget_left=0.5)
	result = run([line()], [tiny])
	assert (result.applied, result.free_lines) == ([], [])
	assert result.skipped == [("S", "capped by budget")]


# --- conditions ---------------------------------------------------------------------------------------


def test_coupon_gates_the_scheme():
	coupon = scheme(coupon="SPRING")
	assert run([line()], [coupon]).applied == []
	assert run([line()], [coupon], Context(ON, coupons=frozenset({"OTHER"}))).applied == []
	assert len(run([line()], [coupon], Context(ON, coupons=frozenset({"SPRING", "OTHER"}))).applied) == 1


@pytest.mark.parametrize(
	"valid_from, valid_upto, applies",
	[
		(date(2026, 5, 1), date(2026, 5, 1), True),  # both ends inclusive
		(date(2026, 4, 1), None, True),
		(None, date(2026, 5, 31), True),
		(date(2026, 5, 2), None, False),
		(None, date(2026, 4, 30), False),
	],
)
def test_date_window(valid_from, valid_upto, applies):
	result = run([line()], [scheme(valid_from=valid_from, valid_upto=valid_upto)])
	assert bool(result.applied) is applies


DOC = Context(
	on=ON,
	customer="CUST-1",
	customer_groups=("Retail", "All Customer Groups"),
	territories=("Tehran", "Iran"),
	province="Tehran Province",
)


@pytest.mark.parametrize(
	"condition, applies",
	[
		({"customers": frozenset({"CUST-1"})}, True),
		({"customers": frozenset({"CUST-2"})}, False),
		({"customer_groups": frozenset({"All Customer Groups"})}, True),
		({"customer_groups": frozenset({"Wholesale"})}, False),
		({"territories": frozenset({"Iran"})}, True),
		({"territories": frozenset({"Isfahan"})}, False),
		({"provinces": frozenset({"Tehran Province"})}, True),
		({"provinces": frozenset({"Fars"})}, False),
		({"customers": frozenset({"CUST-1"}), "provinces": frozenset({"Fars"})}, False),  # all must hold
	],
)
def test_document_conditions(condition, applies):
	assert bool(run([line()], [scheme(**condition)], DOC).applied) is applies


def test_document_conditions_fail_on_a_document_without_that_data():
	assert run([line()], [scheme(customers=frozenset({"CUST-1"}))]).applied == []
	assert run([line()], [scheme(provinces=frozenset({"Fars"}))]).applied == []


@pytest.mark.parametrize(
	"condition, matched",
	[
		({}, ["L1", "L2", "L3"]),
		({"items": frozenset({"TEA"})}, ["L1"]),
		({"item_groups": frozenset({"Beverages"})}, ["L1", "L2"]),  # a parent group matches too
		({"brands": frozenset({"Acme"})}, ["L2"]),
		({"items": frozenset({"TEA"}), "brands": frozenset({"Shine"})}, []),  # every kind must hold
		(
			{"item_groups": frozenset({"Beverages"}), "brands": frozenset({"Acme"})},
			["L2"],
		),  # Acme's beverages
		({"items": frozenset({"TEA", "SOAP"})}, ["L1", "L3"]),  # values of one kind are alternatives
	],
)
def test_line_conditions(condition, matched):
	lines = [
		line("L1", "TEA", item_groups=("Black Tea", "Beverages")),
		line("L2", "COFFEE", item_groups=("Coffee", "Beverages"), brand="Acme"),
		line("L3", "SOAP", item_groups=("Household",), brand="Shine"),
	]
	assert [a.line for a in run(lines, [scheme(**condition)]).applied] == matched


# --- validation ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"kwargs, message",
	[
		({"tiers": ()}, "has no tiers"),
		({"tiers": (Tier(5), Tier(5))}, "must start above"),
		({"tiers": (Tier(10), Tier(5))}, "must start above"),
		({"tiers": (Tier(-1),)}, "From must be a number of at least 0"),
		({"tiers": (Tier(0, discount_percent=-5),)}, "Discount % must be"),
		({"tiers": (Tier(0, discount_amount=-0.01),)}, "Discount per Unit must be"),
		({"tiers": (Tier(0, fixed_rate=-1),)}, "Fixed Rate per Stock Unit must be"),
		({"tiers": (Tier(0, free_qty=-1),)}, "Free Qty must be"),
		({"tiers": (Tier(0, every=-7),)}, "For Every must be"),
		({"tiers": (Tier(0, discount_percent=float("nan")),)}, "Discount % must be"),
		({"max_value": -1}, "Count At Most must be"),
		({"tiers": (Tier(0, discount_percent=100.5),)}, "more than 100%"),
		({"tier_type": "recurring", "tiers": (Tier(0, every=7), Tier(10, every=7))}, "exactly one tier"),
		({"tier_type": "recurring", "tiers": (Tier(0),)}, "needs an 'every' above 0"),
		({"tier_type": "recurring", "tiers": (Tier(0, every=0),)}, "needs an 'every' above 0"),
		({"tier_type": "stepped", "tiers": (Tier(0), Tier(5, free_qty=1))}, "cannot give free goods"),
		({"tier_type": "tiered"}, "unknown tier type tiered"),
		({"measure": "weight"}, "unknown measure weight"),
		({"budget_basis": "count"}, "unknown budget basis count"),
	],
)
def test_validate_scheme_refuses(kwargs, message):
	broken = replace(scheme(name="SCH-1"), **kwargs)
	with pytest.raises(RuleError, match=message) as error:
		validate_scheme(broken)
	assert error.value.params[0] == "SCH-1"
	assert error.value.template.startswith("Scheme {0}")
	with pytest.raises(RuleError):
		run([line()], [broken])


def test_validate_scheme_accepts_a_full_scheme():
	validate_scheme(scheme(Tier(0, discount_percent=100), Tier(5, fixed_rate=0, free_qty=1, every=0)))
	validate_scheme(scheme(Tier(0, every=7, free_qty=1), tier_type="recurring", budget_basis="qty"))


def test_duplicate_line_keys_are_refused():
	with pytest.raises(RuleError, match="appears more than once"):
		run([line("L1"), line("L1", "SOAP")], [])


# --- properties ---------------------------------------------------------------------------------------
# Hypothesis draws from prebuilt pools (a few coarse draws per example), so each property test of 200
# examples stays around a second even on a slow machine; the pools themselves are broad and seeded.

LINE_TEMPLATES = [  # (item, groups, brand, uom, conversion_factor, pack_factor, is_free)
	(item, groups, brand, *unit, is_free)
	for item in ("A", "B", "C")
	for groups in ((), ("G1",), ("G2", "G1"))
	for brand in (None, "X", "Y")
	for unit in (("Nos", 1.0, None), ("Nos", 1.0, 6.0), ("Box", 12.0, 12.0), ("Box", 6.0, 12.0))
	for is_free in (False, False, False, True)
]
QUANTITIES = [0.0, 0.3, 1.0, 2.5, 5.0, 6.0, 7.0, 12.0, 1 / 3, 41.0, 42.0, 59.999999999, 60.0, 84.0]
RATES = [0.0, 0.1, 0.7, 1.0, 9.99, 10.0, 12.345678, 100.0, 120.0, 199.99]


@st.composite
def lines_st(draw):
	templates = draw(st.lists(st.sampled_from(LINE_TEMPLATES), min_size=1, max_size=6))
	return [
		Line(
			f"L{i}",
			item,
			draw(st.sampled_from(QUANTITIES)),
			draw(st.sampled_from(RATES)),
			uom,
			*rest[:2],
			groups,
			brand,
			"Nos",
			rest[2],
		)
		for i, (item, groups, brand, uom, *rest) in enumerate(templates)
	]


def _random_tier(rng, min_value, free_allowed, every=None):
	free_qty, free_item, free_uom = rng.choice(
		[(0.0, None, None), (1.0, None, None), (1.5, "A", "Nos"), (2.0, "FREEBIE", None)]
	)
	return Tier(
		min_value=min_value,
		discount_percent=rng.choice([0.0, 5.0, 10.0, 12.5, 50.0, 100.0]),
		discount_amount=rng.choice([0.0, 0.0, 0.05, 1.0, 7.5]),
		fixed_rate=rng.choice([None, None, 0.0, 3.0, 50.0]),
		free_qty=free_qty if free_allowed else 0.0,
		free_item=free_item if free_allowed else None,
		free_uom=free_uom if free_allowed else None,
		every=every,
	)


def _random_scheme(rng, name):
	tier_type = rng.choice(["slab", "stepped", "recurring"])
	if tier_type == "recurring":
		every = rng.choice([0.1, 1.0, 2.0, 7.0, 50.0])
		tiers = (_random_tier(rng, rng.choice([0.0, 0.0, 5.0]), True, every),)
	else:
		mins = sorted(rng.sample(range(0, rng.choice([12, 60, 300]), 2), rng.randint(1, 3)))
		tiers = tuple(_random_tier(rng, float(m), tier_type == "slab") for m in mins)
	return Scheme(
		name=name,
		tiers=tiers,
		tier_type=tier_type,
		measure=rng.choice(["stock", "pack", "amount"]),
		aggregate=rng.random() < 0.5,
		exclusive=rng.random() < 0.3,
		compound=rng.random() < 0.5,
		priority=rng.randint(0, 3),
		max_value=rng.choice([None, None, 10.0, 300.0]),
		coupon=rng.choice([None, None, None, "C1"]),
		budget_basis=rng.choice(["amount", "qty"]),
		**rng.choice(
			[
				{},
				{},
				{"items": frozenset({"A"})},
				{"items": frozenset({"A", "B"})},
				{"item_groups": frozenset({"G1"})},
				{"brands": frozenset({"X"})},
				{"items": frozenset({"C"}), "brands": frozenset({"Y"})},
			]
		),
		**rng.choice(
			[
				{},
				{},
				{"budget_left": 0.0},
				{"budget_left": 3.0},
				{"budget_left": 100.0},
				{"customer_budget_left": 50.0},
				{"budget_left": 100.0, "customer_budget_left": 0.0},
			]
		),
	)


_rng = random.Random(20260501)
SCHEME_POOL = [_random_scheme(_rng, f"S{i:03}") for i in range(300)]
schemes_st = st.lists(st.sampled_from(SCHEME_POOL), min_size=1, max_size=4, unique_by=lambda s: s.name)


contexts = st.builds(
	Context, on=st.just(ON), coupons=st.sampled_from([frozenset(), frozenset({"C1"}), frozenset({"C2"})])
)
FAST = settings(max_examples=200)


@FAST
@given(lines_st(), schemes_st, contexts, st.integers(0, 2**32))
def test_order_of_schemes_and_lines_does_not_matter(lines, schemes, ctx, seed):
	expected = apply_schemes(lines, schemes, ctx)
	rng = random.Random(seed)
	lines, schemes = rng.sample(lines, len(lines)), rng.sample(schemes, len(schemes))
	shuffled = apply_schemes(lines, schemes, ctx)
	assert shuffled == expected
	assert list(shuffled.lines) == list(expected.lines) == sorted(expected.lines)


@FAST
@given(lines_st(), schemes_st, contexts)
def test_rates_and_discounts_stay_within_bounds(lines, schemes, ctx):
	result = apply_schemes(lines, schemes, ctx)
	paid = {li.key: li for li in lines if not li.is_free}
	assert set(result.lines) == set(paid)
	for key, res in result.lines.items():
		amount = paid[key].rate * paid[key].qty
		assert res.net_rate >= 0
		assert 0 <= res.discount_amount <= amount + 1e-9 * max(1, amount)
		given_here = sum(a.discount_amount for a in result.applied if a.line == key)
		assert given_here == pytest.approx(res.discount_amount, rel=1e-9, abs=1e-9)
		assert res.net_rate == pytest.approx(
			res.original_rate - res.discount_amount / (paid[key].qty or 1), abs=1e-6
		)
	for applied in result.applied:
		assert applied.discount_amount >= 0 and 0 <= applied.discount_percent <= 100 + 1e-9


@FAST
@given(lines_st(), schemes_st, contexts)
def test_free_quantities_are_whole_units(lines, schemes, ctx):
	result = apply_schemes(lines, schemes, ctx)
	for free in result.free_lines:
		assert free.qty > 0 and free.qty == int(free.qty)
	for applied in result.applied:
		assert applied.free_qty >= 0 and applied.free_qty == int(applied.free_qty)
	assert sum(f.qty for f in result.free_lines) == sum(a.free_qty for a in result.applied)


NOTHING_MATCHES = st.sampled_from(
	[
		{"items": frozenset({"NO-SUCH-ITEM"}), "item_groups": frozenset(), "brands": frozenset()},
		{"coupon": "NO-SUCH-COUPON"},
		{"customers": frozenset({"NO-SUCH-CUSTOMER"})},
		{"valid_upto": date(2000, 1, 1)},
	]
)


@FAST
@given(lines_st(), schemes_st, contexts, st.sampled_from(SCHEME_POOL), NOTHING_MATCHES)
def test_a_scheme_that_matches_nothing_changes_nothing(lines, schemes, ctx, extra, condition):
	extra = replace(extra, name="S-extra", **condition)
	assert apply_schemes(lines, [*schemes, extra], ctx) == apply_schemes(lines, schemes, ctx)


@FAST
@given(lines_st(), schemes_st, contexts, st.sampled_from(SCHEME_POOL))
def test_an_exclusive_top_scheme_that_applies_leaves_the_line_to_itself(lines, schemes, ctx, top):
	top = replace(top, name="S-top", exclusive=True, priority=-1)
	result = apply_schemes(lines, [*schemes, top], ctx)
	for key in {a.line for a in result.applied if a.scheme == "S-top"}:
		assert [a.scheme for a in result.applied if a.line == key] == ["S-top"]


def test_applied_and_free_lines_are_ordered_by_scheme_then_line():
	lines = [line("L2", "COFFEE", qty=10), line("L1", "TEA", qty=10)]
	schemes = [
		scheme(Tier(1, free_qty=1), name="B", priority=5),
		scheme(Tier(1, discount_percent=1, free_qty=1, free_item="CUP"), name="A", priority=5),
	]
	result = run(lines, schemes)
	assert rows(result) == [("A", "L1"), ("A", "L2"), ("B", "L1"), ("B", "L2")]
	assert [(f.scheme, f.item_code, f.qty, f.source_line) for f in result.free_lines] == [
		("A", "CUP", 2, "L1"),  # both lines earned a cup: one free line, on the first
		("B", "TEA", 1, "L1"),
		("B", "COFFEE", 1, "L2"),
	]
	assert isinstance(result.applied[0], Applied)


@FAST
@given(lines_st(), st.lists(st.sampled_from(SCHEME_POOL), max_size=8, unique_by=lambda s: s.name), contexts)
def test_scheme_index_gives_the_same_result_as_all_schemes(lines, schemes, ctx):
	from distribution_sales.rules.schemes import SchemeIndex

	index = SchemeIndex(schemes)
	assert apply_schemes(lines, index.candidates(lines), ctx) == apply_schemes(lines, schemes, ctx)
