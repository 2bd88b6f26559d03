"""SEC-1 end to end: a 1,000,000-row distributor CSV through the import job into the MariaDB ledger
(targets: >= 50,000 rows/s and peak memory <= 500 MB), against 10,000 rows inserted as one Frappe
document each (frappe.get_doc(...).insert()), in the same run on the same site; prints the ratio.

The file is generated on disk by the samples module (streamed, never held in memory), attached as a
private file and imported by the same code the background job runs (importer.run_import), with item
and outlet mapping, row checks, the overlap check and one commit at the end. Peak memory is the
process's maximum resident set size (resource.getrusage), measured after the file was written.
Everything the benchmark adds is removed afterwards.

    DS_SITE=sellout.localhost python benchmarks/sellout_e2e.py    (from the bench's sites folder)
    DS_BENCH_ROWS=200000 ...                                     (a smaller run)
"""

import os
import resource
import sys
import time
from pathlib import Path

import frappe

SITE = os.environ.get("DS_SITE", "test.localhost")
ROWS = int(os.environ.get("DS_BENCH_ROWS", "1000000"))
DOC_ROWS = int(os.environ.get("DS_BENCH_DOC_ROWS", "10000"))
LANG = os.environ.get("DS_BENCH_LANG", "fa")  # the demo's shops have Persian names
DISTRIBUTOR = "Benchmark Distributor"


def rss_mb() -> float:
	return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup() -> tuple[str, list, list]:
	from distribution_sales.demo import COMPANY

	if not frappe.db.exists("Customer", {"customer_name": DISTRIBUTOR}):
		frappe.get_doc(
			{
				"doctype": "Customer", "customer_name": DISTRIBUTOR, "customer_group": "Wholesaler",
				"territory": frappe.db.get_value("Territory", {"is_group": 0}, "name"), "ds_company": COMPANY,
				"ds_is_distributor": 1,
			}
		).insert(ignore_permissions=True)  # fmt: skip
	distributor = frappe.db.get_value("Customer", {"customer_name": DISTRIBUTOR})
	items = [(i.name, i.item_name) for i in frappe.get_all("Item", {"disabled": 0, "is_sales_item": 1},
		["name", "item_name"], limit=60, order_by="name")]  # fmt: skip
	outlets = [
		(f"B{n:05d}", c.customer_name, c.ds_city or "")
		for n, c in enumerate(
			frappe.get_all("Customer", {"ds_is_distributor": 0}, ["customer_name", "ds_city"], limit=300, order_by="name")
		)
	]  # fmt: skip
	frappe.db.commit()
	return distributor, items, outlets


def cleanup(distributor: str) -> None:
	frappe.db.delete("Sell Out Entry", {"distributor": distributor})
	for doctype, child in (
		("Distributor Item Mapping", "Distributor Item Suggestion"),
		("Distributor Outlet Mapping", "Distributor Outlet Suggestion"),
	):
		names = frappe.get_all(doctype, {"distributor": distributor}, pluck="name")
		if names:
			frappe.db.delete(child, {"parent": ("in", names)})
			frappe.db.delete(doctype, {"name": ("in", names)})
	for name in frappe.get_all("Sell Out Import", {"distributor": distributor}, pluck="name"):
		frappe.db.delete("Sell Out Import Error", {"parent": name})
		frappe.db.delete("Sell Out Import", {"name": name})
	for name in frappe.get_all("Sell Out Import Profile", {"distributor": distributor}, pluck="name"):
		frappe.delete_doc("Sell Out Import Profile", name, force=True, ignore_permissions=True)
	for name in frappe.get_all("File", {"file_name": ("like", "sellout-bench-%")}, pluck="name"):
		frappe.delete_doc("File", name, force=True, ignore_permissions=True)
	frappe.db.commit()


def bulk_import(distributor: str, items, outlets) -> dict:
	from distribution_sales.demo import COMPANY
	from distribution_sales.secondary_sales import importer
	from distribution_sales.secondary_sales.doctype.sell_out_import_profile.sell_out_import_profile import (
		profile_values,
	)
	from distribution_sales.secondary_sales.samples import write_sellout_csv

	folder = Path(frappe.get_site_path("private", "files"))
	path = folder / f"sellout-bench-{ROWS}.csv"
	t = time.perf_counter()
	spec_kwargs = write_sellout_csv(path, ROWS, LANG, seed=7, items=items, outlets=outlets).spec_kwargs
	written = time.perf_counter() - t
	size_mb = path.stat().st_size / 1e6
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": path.name,
			"file_url": f"/private/files/{path.name}",
			"is_private": 1,
		}
	).insert(ignore_permissions=True)
	profile = frappe.get_doc(
		{
			"doctype": "Sell Out Import Profile", "profile_name": "Benchmark Profile", "distributor": distributor,
			"company": COMPANY, "match_threshold": 90, "max_error_percent": 5, **profile_values(spec_kwargs),
		}
	).insert(ignore_permissions=True)  # fmt: skip
	doc = frappe.get_doc(
		{"doctype": "Sell Out Import", "profile": profile.name, "import_file": file.file_url}
	).insert(ignore_permissions=True)
	doc.db_set("status", "Queued")
	frappe.db.commit()
	before = rss_mb()
	t = time.perf_counter()
	importer.run_import(doc.name)
	seconds = time.perf_counter() - t
	doc.reload()
	if doc.status != "Completed":
		sys.exit(f"import failed: {doc.message}")
	rows = frappe.db.count("Sell Out Entry", {"sell_out_import": doc.name})
	path.unlink(missing_ok=True)
	return {
		"rows": rows, "errors": doc.error_rows, "seconds": seconds, "rate": rows / seconds, "file_mb": size_mb,
		"write_seconds": written, "rss_before": before, "rss_peak": rss_mb(), "import": doc.name,
	}  # fmt: skip


def database_ceiling(distributor: str, sell_out_import: str) -> dict:
	"""The same rows copied inside MariaDB (INSERT ... SELECT): no Python, no network, no parsing, so no
	client-side method (multi-row INSERT, LOAD DATA LOCAL INFILE) can be faster on this server; it is
	the cost of the table's primary key and its three indexes alone."""
	from distribution_sales.secondary_sales.ledger import COLUMNS, reserve_names

	count = frappe.db.count("Sell Out Entry", {"sell_out_import": sell_out_import})
	low = frappe.db.sql(
		"select min(name) from `tabSell Out Entry` where sell_out_import=%s", sell_out_import
	)[0][0]
	first = reserve_names(count + 1)
	columns = ", ".join(f"`{c}`" for c in COLUMNS[1:] if c != "sell_out_import")
	t = time.perf_counter()
	frappe.db.sql(
		f"""insert into `tabSell Out Entry` (`name`, `sell_out_import`, {columns})
		select name - %(low)s + %(first)s, 'ceiling', {columns} from `tabSell Out Entry`
		where sell_out_import = %(import)s""",
		{"low": low, "first": first, "import": sell_out_import},
	)
	frappe.db.commit()
	seconds = time.perf_counter() - t
	frappe.db.delete("Sell Out Entry", {"distributor": distributor, "sell_out_import": "ceiling"})
	frappe.db.commit()
	return {"rows": count, "seconds": seconds, "rate": count / seconds}


def per_document(distributor: str, sell_out_import: str) -> dict:
	"""The same kind of row, one Frappe document each (validation, naming, hooks, one INSERT per row)."""
	sample = frappe.get_all(
		"Sell Out Entry",
		{"sell_out_import": sell_out_import},
		["company", "posting_date", "month", "item", "item_key", "item_code_raw", "item_name_raw", "outlet",
		"territory", "sales_route", "outlet_key", "outlet_code_raw", "outlet_name_raw", "qty", "uom", "stock_qty",
		"amount"],
		limit=DOC_ROWS,
	)  # fmt: skip
	t = time.perf_counter()
	for n, row in enumerate(sample, start=1):
		frappe.get_doc({"doctype": "Sell Out Entry", "distributor": distributor, "row_no": n, **row}).insert(
			ignore_permissions=True
		)
	frappe.db.commit()
	seconds = time.perf_counter() - t
	frappe.db.delete("Sell Out Entry", {"distributor": distributor, "sell_out_import": ("is", "not set")})
	frappe.db.commit()
	return {"rows": len(sample), "seconds": seconds, "rate": len(sample) / seconds}


def main():
	frappe.init(site=SITE, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	frappe.flags.mute_messages = True
	distributor, items, outlets = setup()
	cleanup(distributor)
	try:
		bulk = bulk_import(distributor, items, outlets)
		ceiling = database_ceiling(distributor, bulk["import"])
		docs = per_document(distributor, bulk["import"])
	finally:
		cleanup(distributor)
		frappe.destroy()
	print(
		f"file: {bulk['rows'] + bulk['errors']:,} rows, {bulk['file_mb']:.0f} MB ({LANG}), written in {bulk['write_seconds']:.1f} s"
	)
	print(
		f"import job (parse, map, check, multi-row INSERT, one commit): {bulk['rows']:,} rows in {bulk['seconds']:.1f} s"
		f" = {bulk['rate']:,.0f} rows/s (target >= 50,000)"
	)
	print(
		f"peak RSS: {bulk['rss_peak']:.0f} MB (before the import: {bulk['rss_before']:.0f} MB; target <= 500 MB)"
	)
	print(
		f"database alone (INSERT ... SELECT of the same rows, same indexes): {ceiling['rows']:,} rows in"
		f" {ceiling['seconds']:.1f} s = {ceiling['rate']:,.0f} rows/s"
	)
	print(
		f"per-row frappe documents: {docs['rows']:,} rows in {docs['seconds']:.1f} s = {docs['rate']:,.0f} rows/s"
	)
	print(f"ratio bulk / per-row documents: {bulk['rate'] / docs['rate']:.0f}x")


if __name__ == "__main__":
	main()
