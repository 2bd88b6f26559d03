"""PRC-1: the documented order of precedence of price records."""

import random
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from distribution_sales.rules.pricing import PriceBook, PriceQuery, PriceRecord, resolve_price

ON = date(2026, 11, 23)
Q = PriceQuery(
	item_code="MILK",
	price_list="Retail",
	uom="Carton",
	on=ON,
	item_groups=("Dairy", "Food", "All"),
	customer="Shop 1",
	customer_groups=("Supermarket", "Retail", "All Customers"),
	batch_no="B-OLD",
	stock_uom="Unit",
	conversion_factor=12,
)


def rec(name, rate=100.0, uom="Unit", **kw):
	return PriceRecord(
		name=name,
		rate=rate,
		uom=uom,
		price_list=kw.pop("price_list", "Retail"),
		**{"item_code": "MILK", **kw},
	)


def test_precedence_table():
	records = [
		rec("list"),
		rec("group-of-item", item_code=None, item_group="Dairy"),
		rec("far-group-of-item", item_code=None, item_group="Food"),
		rec("customer-group-far", customer_group="Retail"),
		rec("customer-group-near", customer_group="Supermarket"),
		rec("customer", customer="Shop 1"),
		rec("batch", batch_no="B-OLD"),
		rec("batch-customer", batch_no="B-OLD", customer="Shop 1"),
	]
	order = [
		"batch-customer",
		"batch",
		"customer",
		"customer-group-near",
		"customer-group-far",
		"list",
		"group-of-item",
		"far-group-of-item",
	]
	for expected in order:
		assert resolve_price(Q, records).record == expected
		records = [r for r in records if r.name != expected]
	assert resolve_price(Q, records) is None


def test_unit_conversion_and_exact_uom():
	assert resolve_price(Q, [rec("unit", rate=10)]).rate == 120  # 12 units in a carton
	assert resolve_price(Q, [rec("unit", rate=10), rec("carton", rate=110, uom="Carton")]).record == "carton"
	assert resolve_price(Q, [rec("box", uom="Box")]) is None


def test_validity_and_price_list():
	old = rec("old", valid_from=date(2025, 1, 1))
	new = rec("new", valid_from=date(2026, 6, 1))
	future = rec("future", valid_from=date(2027, 1, 1))
	expired = rec("expired", valid_upto=date(2026, 1, 1))
	other_list = rec("wholesale", price_list="Wholesale")
	assert resolve_price(Q, [old, new, future, expired, other_list]).record == "new"
	assert resolve_price(Q, [future, expired, other_list]) is None


def test_other_batch_or_customer_never_applies():
	assert (
		resolve_price(
			Q, [rec("b", batch_no="B-NEW"), rec("c", customer="Shop 2"), rec("g", customer_group="Wholesale")]
		)
		is None
	)


def test_basis_explains_the_choice():
	assert (
		resolve_price(Q, [rec("x", batch_no="B-OLD", customer_group="Retail")]).basis
		== "batch, customer group, item"
	)


@given(st.permutations(list(range(8))), st.integers(0, 10**6))
def test_result_does_not_depend_on_record_order(order, seed):
	rng = random.Random(seed)
	pool = [
		rec(f"r{i}", rate=rng.choice([1, 2, 3]), customer=rng.choice([None, "Shop 1"]), batch_no=rng.choice([None, "B-OLD"]),
			valid_from=rng.choice([None, date(2026, 1, 1), date(2026, 2, 1)]))
		for i in range(8)
	]  # fmt: skip
	shuffled = [pool[i] for i in order]
	assert resolve_price(Q, shuffled) == resolve_price(Q, pool)


@pytest.mark.parametrize(
	"query", [Q, replace(Q, customer=None, customer_groups=()), replace(Q, batch_no=None)]
)
def test_price_book_matches_a_full_scan(query):
	rng = random.Random(7)
	records = [
		rec(
			f"r{i}",
			item_code=rng.choice(["MILK", "TEA", None]) or None,
			item_group=None,
			customer=rng.choice([None, "Shop 1"]),
		)
		for i in range(300)
	] + [rec(f"g{i}", item_code=None, item_group=rng.choice(["Dairy", "Food", "Tools"])) for i in range(50)]
	records = [r for r in records if r.item_code or r.item_group]
	assert PriceBook(records).resolve(query) == resolve_price(query, records)
