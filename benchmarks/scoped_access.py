"""ORG-4 cost: listing customers and sales orders as a scoped supervisor vs as a Sales Manager
(ERPNext's own path, no condition added), on the same site in the same run. Prints medians and the ratio."""

import os
import statistics
import time

import frappe

SITE = os.environ.get("DS_SITE", "test.localhost")


def median_ms(fn, repeat=30):
	fn()  # warm caches
	runs = []
	for _ in range(repeat):
		frappe.local.cache.clear()
		start = time.perf_counter()
		fn()
		runs.append((time.perf_counter() - start) * 1000)
	return statistics.median(runs)


def main():
	frappe.init(site=SITE, sites_path=".")
	frappe.connect()
	supervisor = frappe.db.get_value("Sales Person", "Supervisor North", "ds_user")
	manager = frappe.db.get_value(
		"Has Role",
		{"role": "Sales Manager", "parenttype": "User", "parent": ("not in", ["Administrator"])},
		"parent",
	)
	if not supervisor or not manager:
		print("skipped: run distribution_sales.demo.make on the site first (and have a Sales Manager user)")
		return
	for doctype in ("Customer", "Sales Order"):
		results = {}
		for label, user in (("supervisor (scoped)", supervisor), ("sales manager (ERPNext path)", manager)):
			frappe.set_user(user)
			rows = len(frappe.get_list(doctype, fields=["name"], limit_page_length=0))
			results[label] = (
				median_ms(
					lambda dt=doctype: frappe.get_list(dt, fields=["name", "modified"], limit_page_length=0)
				),
				rows,
			)
		scoped, plain = results["supervisor (scoped)"], results["sales manager (ERPNext path)"]
		print(
			f"{doctype} list: scoped {scoped[0]:.1f} ms for {scoped[1]} rows, ERPNext path {plain[0]:.1f} ms for {plain[1]} rows,"
			f" ratio {scoped[0] / plain[0]:.2f}"
		)
	frappe.destroy()


if __name__ == "__main__":
	main()
