"""PRC end to end: saving a 50-line Sales Order with our trade schemes vs the same order with the
equivalent ERPNext Pricing Rules, on the same site in the same run (target ratio <= 1.0).

Ours: the demo's 10 trade schemes (distribution prices, slabs in packs, recurring free goods,
stepped, customer-group layer). ERPNext's path: our hooks skipped for the document
(flags.ds_skip_pricing) and Pricing Rules giving the same kinds of benefit: per item group a 5% rule
from 10 and an 8% rule from 50, a recurring buy-12-get-1 product rule on a brand, and 2% for the
customer group. Each save is rolled back; the two paths alternate to share any drift.
"""

import os
import statistics
import time

import frappe
from frappe.utils import today

SITE = os.environ.get("DS_SITE", "test.localhost")
RUNS = int(os.environ.get("DS_BENCH_RUNS", "15"))


def pricing_rules(company: str) -> list[str]:
	names = []
	groups = ["Dairy", "Beverages", "Snacks", "Confectionery", "Canned Food", "Detergents"]
	for group in groups:
		for min_qty, pct in ((10, 5), (50, 8)):
			names.append(
				frappe.get_doc(
					{
						"doctype": "Pricing Rule", "title": f"bench {group} {pct}", "apply_on": "Item Group",
						"item_groups": [{"item_group": group}], "selling": 1, "company": company, "min_qty": min_qty,
						"price_or_product_discount": "Price", "rate_or_discount": "Discount Percentage",
						"discount_percentage": pct, "currency": "IRR", "priority": 1 if pct == 8 else 2,
					}
				).insert().name
			)  # fmt: skip
	names.append(
		frappe.get_doc(
			{
				"doctype": "Pricing Rule", "title": "bench kaveh 12+1", "apply_on": "Brand",
				"brands": [{"brand": "Kaveh Foods"}], "selling": 1, "company": company, "min_qty": 12,
				"price_or_product_discount": "Product", "same_item": 1, "free_qty": 1, "is_recursive": 1,
				"recurse_for": 12, "currency": "IRR", "apply_multiple_pricing_rules": 1,
			}
		).insert().name
	)  # fmt: skip
	names.append(
		frappe.get_doc(
			{
				"doctype": "Pricing Rule", "title": "bench wholesale 2", "apply_on": "Item Group",
				"item_groups": [{"item_group": "Products for Distribution"}], "applicable_for": "Customer Group",
				"customer_group": "Wholesale", "selling": 1, "company": company, "price_or_product_discount": "Price",
				"rate_or_discount": "Discount Percentage", "discount_percentage": 2, "currency": "IRR",
				"apply_multiple_pricing_rules": 1,
			}
		).insert().name
	)  # fmt: skip
	return names


def order(customer: str, items: list[str], ours: bool):
	doc = frappe.get_doc(
		{
			"doctype": "Sales Order", "company": "Alborz Pakhsh", "customer": customer, "transaction_date": today(),
			"delivery_date": today(), "selling_price_list": "Standard Selling", "set_warehouse": "Central Warehouse - AP",
			"items": [{"item_code": item, "qty": 24 + 12 * (i % 5), "uom": "Unit"} for i, item in enumerate(items)],
		}
	)  # fmt: skip
	if not ours:
		doc.flags.ds_skip_pricing = True
		doc.ignore_pricing_rule = 0
	return doc


def main():
	frappe.init(site=SITE, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	frappe.flags.mute_messages = True
	company = "Alborz Pakhsh"
	if not frappe.db.exists("Trade Scheme", {"company": company}):
		print("skipped: run distribution_sales.demo.make on the site first")
		return
	customer = frappe.get_all(
		"Customer", {"customer_group": "Wholesaler", "ds_company": company}, pluck="name", limit=1
	)[0]
	items = frappe.get_all(
		"Item",
		{
			"item_group": (
				"in",
				["Dairy", "Beverages", "Snacks", "Confectionery", "Canned Food", "Detergents"],
			)
		},
		pluck="name",
		order_by="name",
	)[:50]
	times = {True: [], False: []}
	lines = {}
	for run in range(RUNS + 1):
		for ours in (True, False) if run % 2 else (False, True):
			if not ours:
				pricing_rules(company)  # inside the transaction that the rollback below undoes
			doc = order(customer, items, ours)
			start = time.perf_counter()
			doc.insert()
			elapsed = (time.perf_counter() - start) * 1000
			lines[ours] = len(doc.items)
			frappe.db.rollback()
			if run:  # the first round warms caches
				times[ours].append(elapsed)
	ours, theirs = statistics.median(times[True]), statistics.median(times[False])
	print(
		f"Sales Order save, 50 lines: trade schemes {ours:.0f} ms ({lines[True]} rows with free goods), "
		f"ERPNext Pricing Rules {theirs:.0f} ms ({lines[False]} rows); ratio {ours / theirs:.2f} (target <= 1.0); "
		f"median of {RUNS} saves each"
	)
	frappe.destroy()


if __name__ == "__main__":
	main()
