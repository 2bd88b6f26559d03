"""SEC-1 end to end: a 1,000,000-row distributor CSV through the import job into the MariaDB ledger
(targets: >= 50,000 rows/s and peak memory <= 500 MB), against 10,000 rows inserted as one Frappe
document each (frappe.get_doc(...).insert()), in the same run on the same site; prints the ratio.

The file is generated on disk by the samples module (streamed, never held in memory), attached as a
private file and imported by the same code the background job runs (importer.run_import), with item
and outlet mapping, row checks, the overlap check and one commit at the end. Peak memory is the
peak resident set size (VmHWM; resource.getrusage where /proc is missing) of a fresh process that runs
the job, as a worker does.
Everything the benchmark adds is removed afterwards.

    DS_SITE=sellout.localhost python benchmarks/sellout_e2e.py    (from the bench's sites folder)
    DS_BENCH_ROWS=200000 ...                                     (a smaller run)
"""

import json
import os
import resource
import subprocess
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
	"""Peak resident memory of this process so far, in MB.

	Linux keeps getrusage's ru_maxrss across execve, so a process started by a big parent reports the
	parent's size; /proc/self/status VmHWM belongs to this program's own memory map. getrusage is the
	fallback elsewhere."""
	try:
		with open("/proc/self/status", encoding="ascii") as f:
			for line in f:
				if line.startswith("VmHWM:"):
					return int(line.split()[1]) / 1024
	except OSError:
		pass
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
	from distribution_sales.secondary_sales.doctype.sell_out_import_profile.sell_out_import_profile import (
		profile_values,
	)
	from tests.sellout_samples import write_sellout_csv

	folder = Path(frappe.get_site_path("private", "files"))
	path = folder / f"sellout-bench-{ROWS}.csv"
	t = time.perf_counter()
	spec_kwargs = write_sellout_csv(path, ROWS, LANG, seed=7, items=items, outlets=outlets).spec_kwargs
	written = time.perf_counter() - t
	size_mb = path.stat().st_size / 1e6
	frappe.local.conf.max_file_size = 1 << 31  # this process only; users raise it in System Settings
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
	runs = {}
	for path_name in ("INSERT", "LOAD DATA"):  # the same file through both ways of writing the ledger
		doc = frappe.get_doc(
			{"doctype": "Sell Out Import", "profile": profile.name, "import_file": file.file_url}
		).insert(ignore_permissions=True)
		doc.db_set("status", "Queued")
		frappe.db.commit()
		job = run_job_in_child(doc.name, insert_only=path_name == "INSERT")
		doc.reload()
		if doc.status != "Completed":
			sys.exit(f"import failed: {doc.message}")
		rows = frappe.db.count("Sell Out Entry", {"sell_out_import": doc.name})
		runs[path_name] = {
			"rows": rows, "errors": doc.error_rows, "seconds": job["seconds"], "rate": rows / job["seconds"],
			"rss_before": job["rss_before"], "rss_peak": job["rss_peak"], "import": doc.name,
		}  # fmt: skip
		if path_name == "INSERT":
			doc.roll_back()
			frappe.db.commit()
	path.unlink(missing_ok=True)
	return {"file_mb": size_mb, "write_seconds": written, "runs": runs}


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


def run_job_in_child(name: str, insert_only: bool = False) -> dict:
	"""The job in a fresh process, as a worker runs it: its time and its own peak memory (this
	process has held the generated file's pages and a File record's content check)."""
	env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
	env["DS_SELL_OUT_INSERT_ONLY"] = "1" if insert_only else ""
	env["DS_SITE"] = SITE
	out = subprocess.run(
		[sys.executable, __file__, "--job", name], env=env, capture_output=True, text=True, check=False
	)
	if out.returncode:
		sys.exit(f"the import job failed:\n{out.stdout}\n{out.stderr}")
	return json.loads(out.stdout.strip().splitlines()[-1])


def child_job(name: str) -> None:
	from distribution_sales.secondary_sales import importer

	frappe.init(site=SITE, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	frappe.flags.ds_sell_out_insert_only = bool(os.environ.get("DS_SELL_OUT_INSERT_ONLY"))
	# imported before measuring, as in a worker that has run jobs before
	import distribution_sales.parsing
	import distribution_sales.rules.matching  # noqa: F401

	before = rss_mb()
	t = time.perf_counter()
	importer.run_import(name)
	seconds = time.perf_counter() - t
	frappe.destroy()
	print(json.dumps({"seconds": seconds, "rss_before": before, "rss_peak": rss_mb()}))


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
		loaded = bulk["runs"]["LOAD DATA"]
		ceiling = database_ceiling(distributor, loaded["import"])
		docs = per_document(distributor, loaded["import"])
	finally:
		cleanup(distributor)
		frappe.destroy()
	rows = loaded["rows"] + loaded["errors"]
	print(f"file: {rows:,} rows, {bulk['file_mb']:.0f} MB ({LANG}), written in {bulk['write_seconds']:.1f} s")
	for name, run in bulk["runs"].items():
		way = "multi-row INSERT" if name == "INSERT" else "LOAD DATA LOCAL INFILE"
		print(
			f"import job, ledger by {way} (parse, map, check, write, one commit): {run['rows']:,} rows in"
			f" {run['seconds']:.1f} s = {run['rate']:,.0f} rows/s (target >= 50,000); peak RSS of the job's"
			f" process {run['rss_peak']:.0f} MB (Frappe loaded, before: {run['rss_before']:.0f} MB; target <= 500 MB)"
		)
	print(
		f"database alone (INSERT ... SELECT of the same rows, same indexes): {ceiling['rows']:,} rows in"
		f" {ceiling['seconds']:.1f} s = {ceiling['rate']:,.0f} rows/s"
	)
	print(
		f"per-row frappe documents: {docs['rows']:,} rows in {docs['seconds']:.1f} s = {docs['rate']:,.0f} rows/s"
	)
	print(f"ratio import job (LOAD DATA) / per-row documents: {loaded['rate'] / docs['rate']:.0f}x")
	print(
		f"ratio import job (INSERT) / per-row documents: {bulk['runs']['INSERT']['rate'] / docs['rate']:.0f}x"
	)


if __name__ == "__main__":
	if len(sys.argv) == 3 and sys.argv[1] == "--job":
		child_job(sys.argv[2])
	else:
		main()
