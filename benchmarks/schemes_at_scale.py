"""PRC-3 at scale: a 50-line Sales Order insert with 0, 500 and 5,000 active trade schemes, and the
same order priced by ERPNext with 5,000 equivalent Pricing Rules (our pricing skipped for it).

The schemes are shaped like a distributor's: over a range of 1,000 item codes (the demo's items and
phantom codes of items not in this order), one in ten on an item group; each also limited to one of
five customer groups, so an order's lines meet a handful of them, as in real life. They are written in
bulk, committed under the prefix BENCHSCALE- and deleted at the end. Prints per insert: the median time
of N inserts (each rolled back) and the number of SQL queries, and the ratios.

    cd $BENCH/sites && ../env/bin/python /path/to/benchmarks/schemes_at_scale.py
"""

import os
import random
import statistics
import time

from pricing_e2e import order  # the same 50-line order (this folder is on the path when run as a script)

import frappe
from frappe.utils import now

SITE = os.environ.get("DS_SITE", "test.localhost")
RUNS = int(os.environ.get("DS_BENCH_RUNS", "9"))
COMPANY = "Alborz Pakhsh"
PREFIX = "BENCHSCALE-"
GROUPS = ["Dairy", "Beverages", "Snacks", "Confectionery", "Canned Food", "Detergents"]
CUSTOMER_GROUPS = ["Wholesaler", "Supermarket", "Grocery", "Chain Store", "Kiosk"]


class QueryCounter:
	def __init__(self):
		self.count = 0
		self._sql = frappe.db.sql

	def __enter__(self):
		def counted(*args, **kwargs):
			self.count += 1
			return self._sql(*args, **kwargs)

		frappe.db.sql = counted
		return self

	def __exit__(self, *exc):
		frappe.db.sql = self._sql


def add_schemes(start: int, count: int, items: list[str]) -> None:
	rng = random.Random(start)
	codes = items + [f"PHANTOM-{i:04d}" for i in range(1000 - len(items))]
	stamp, heads, tiers, conditions = now(), [], [], []
	for n in range(start, start + count):
		name = f"{PREFIX}{n:05d}"
		heads.append((name, name, COMPANY, 0, "Slab", "Stock Units", rng.randint(1, 99), 0, 1, "Amount", stamp, stamp, "Administrator", "Administrator"))  # fmt: skip
		tiers.append((frappe.generate_hash(length=12), name, "tiers", "Trade Scheme", 1, rng.choice((6, 12, 24)), rng.choice((1, 2, 3)), stamp, stamp))  # fmt: skip
		on = ("Item Group", rng.choice(GROUPS)) if n % 10 == 0 else ("Item", rng.choice(codes))
		for idx, (kind, value) in enumerate((on, ("Customer Group", rng.choice(CUSTOMER_GROUPS))), start=1):
			conditions.append((frappe.generate_hash(length=12), name, "conditions", "Trade Scheme", idx, kind, value, stamp, stamp))  # fmt: skip
	frappe.db.bulk_insert("Trade Scheme", ["name", "scheme_name", "company", "disabled", "tier_type", "measure", "priority", "exclusive", "compound", "budget_basis", "creation", "modified", "owner", "modified_by"], heads)  # fmt: skip
	frappe.db.bulk_insert("Trade Scheme Tier", ["name", "parent", "parentfield", "parenttype", "idx", "min_value", "discount_percent", "creation", "modified"], tiers)  # fmt: skip
	frappe.db.bulk_insert("Trade Scheme Condition", ["name", "parent", "parentfield", "parenttype", "idx", "condition_type", "value", "creation", "modified"], conditions)  # fmt: skip
	frappe.db.commit()


def add_pricing_rules(count: int, items: list[str]) -> None:
	"""ERPNext's equivalent: one Pricing Rule per scheme (item or item group, customer group, a discount
	from a minimum quantity), written in bulk like the schemes."""
	rng = random.Random(7)
	codes = items + [f"PHANTOM-{i:04d}" for i in range(1000 - len(items))]
	stamp, rules, children = now(), [], []
	for n in range(count):
		name = f"{PREFIX}PR-{n:05d}"
		by_group = n % 10 == 0
		rules.append((name, name, "Item Group" if by_group else "Item Code", 1, COMPANY, "Customer Group", rng.choice(CUSTOMER_GROUPS), rng.choice((6, 12, 24)), "Price", "Discount Percentage", rng.choice((1, 2, 3)), "IRR", rng.randint(1, 20), 1, 0, stamp, stamp, "Administrator", "Administrator"))  # fmt: skip
		table, field = (
			("Pricing Rule Item Group", "item_group") if by_group else ("Pricing Rule Item Code", "item_code")
		)
		children.append((table, (frappe.generate_hash(length=12), name, "item_groups" if by_group else "items", "Pricing Rule", 1, rng.choice(GROUPS) if by_group else rng.choice(codes), stamp, stamp), field))  # fmt: skip
	frappe.db.bulk_insert("Pricing Rule", ["name", "title", "apply_on", "selling", "company", "applicable_for", "customer_group", "min_qty", "price_or_product_discount", "rate_or_discount", "discount_percentage", "currency", "priority", "apply_multiple_pricing_rules", "disable", "creation", "modified", "owner", "modified_by"], rules)  # fmt: skip
	for table, field in (("Pricing Rule Item Group", "item_group"), ("Pricing Rule Item Code", "item_code")):
		rows = [values for t, values, _f in children if t == table]
		frappe.db.bulk_insert(table, ["name", "parent", "parentfield", "parenttype", "idx", field, "creation", "modified"], rows)  # fmt: skip
	frappe.db.commit()
	frappe.cache.delete_value("pricing_rule_cache")  # harmless where ERPNext keeps none


def cleanup() -> None:
	for table, field in (
		("Trade Scheme Tier", "parent"), ("Trade Scheme Condition", "parent"), ("Trade Scheme", "name"),
		("Pricing Rule Item Group", "parent"), ("Pricing Rule Item Code", "parent"), ("Pricing Rule", "name"),
	):  # fmt: skip
		frappe.db.sql(f"delete from `tab{table}` where `{field}` like %s", f"{PREFIX}%")
	frappe.db.commit()


def measure(customer: str, items: list[str], ours: bool) -> tuple[float, int, int]:
	times, queries, rows = [], 0, 0
	for run in range(RUNS + 1):
		doc = order(customer, items, ours)
		with QueryCounter() as counter:
			start = time.perf_counter()
			doc.insert()
			elapsed = (time.perf_counter() - start) * 1000
		rows = len(doc.get("ds_scheme_applications") or []) if ours else len(doc.get("pricing_rules") or [])
		frappe.db.rollback()
		if run:  # the first round warms caches
			times.append(elapsed)
			queries = counter.count
	return statistics.median(times), queries, rows


def main():
	frappe.init(site=SITE, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	frappe.flags.mute_messages = True
	if not frappe.db.exists("Trade Scheme", {"company": COMPANY}):
		print("skipped: run distribution_sales.demo.make on the site first")
		return
	customer = frappe.get_all(
		"Customer", {"customer_group": "Wholesaler", "ds_company": COMPANY}, pluck="name", limit=1
	)[0]
	items = frappe.get_all("Item", {"item_group": ("in", GROUPS)}, pluck="name", order_by="name")[:50]
	cleanup()
	try:
		figures = {}
		for total in (0, 500, 5000):
			have = frappe.db.count("Trade Scheme", {"name": ("like", f"{PREFIX}%")})
			if total > have:
				add_schemes(have, total - have, items)
			figures[total] = measure(customer, items, ours=True)
			ms, queries, rows = figures[total]
			print(
				f"{total:>5} extra schemes: insert {ms:.0f} ms, {queries} queries, {rows} scheme applications"
			)
		add_pricing_rules(5000, items)
		theirs = measure(customer, items, ours=False)
		print(
			f"ERPNext, 5,000 Pricing Rules (our pricing skipped): insert {theirs[0]:.0f} ms, {theirs[1]} queries, {theirs[2]} pricing rule rows"
		)
		base = figures[0][0]
		print(
			f"ratios: 500 / none {figures[500][0] / base:.2f}, 5,000 / none {figures[5000][0] / base:.2f} "
			f"(target <= 1.10); ours with 5,000 / ERPNext with 5,000 {figures[5000][0] / theirs[0]:.2f} (target <= 0.5); "
			f"queries per insert {figures[0][1]} -> {figures[500][1]} -> {figures[5000][1]}"
		)
	finally:
		cleanup()
		frappe.destroy()


if __name__ == "__main__":
	main()
