"""The sell-out import job (SEC-1, SEC-5, SEC-9): a distributor's file into the ledger as one unit.

Steps, all in one database transaction that commits or rolls back as a whole:
  1. lock the distributor's Customer row, so imports of one distributor run one after another (the
     duplicate-file and overlap checks below then see every committed import);
  2. open the file with the profile (the parsing package): file-level problems fail the import at once;
  3. refuse a file whose SHA-256 was already committed for this distributor (also a unique index);
  4. read it in batches: map items and outlets (mapping.Resolver), write ledger rows with multi-row
     INSERTs, collect row errors with their row numbers;
  5. more unreadable rows than the profile's tolerance -> fail, nothing kept;
  6. rows of other imports in the file's period: "Replace Period" deletes them, "Reject" fails;
  7. record counts, period, hash and the first row errors on the import and commit.
"""

import os
import queue
import threading

import frappe
from frappe import _
from frappe.utils import cint, flt, now_datetime

from distribution_sales.rules import RuleError
from distribution_sales.secondary_sales import ledger
from distribution_sales.secondary_sales.mapping import Resolver

BATCH_ROWS = 10_000
MAX_LISTED_ERRORS = 1000
PROGRESS_EVENT = "sell_out_import_progress"
NOWHERE = (None, None, None)


class ImportFailed(Exception):
	"""The import cannot be committed; ``message`` is already translated."""

	def __init__(self, message: str):
		self.message = message
		super().__init__(message)


def prefetched(batches, depth: int = 6):
	"""Yield ``batches`` while a thread reads the next ones ahead.

	The reader is plain Python over the file (no frappe, no database), so it can run in a thread: while
	this thread waits for MariaDB to take a multi-row INSERT (the GIL is released during socket I/O),
	the next batch is parsed. The import then costs about max(parsing, writing), not their sum."""
	ready: queue.Queue = queue.Queue(maxsize=depth)
	stop = threading.Event()
	done = object()

	def produce():
		try:
			for batch in batches:
				while not stop.is_set():
					try:
						ready.put(batch, timeout=0.5)
						break
					except queue.Full:
						continue
				if stop.is_set():
					return
		except BaseException as e:  # handed to the consumer, raised there
			ready.put(e)
			return
		ready.put(done)

	thread = threading.Thread(target=produce, name="sell-out-reader", daemon=True)
	thread.start()
	try:
		while (item := ready.get()) is not done:
			if isinstance(item, BaseException):
				raise item
			yield item
	finally:
		stop.set()
		thread.join(timeout=5)


def rule_message(error: RuleError) -> str:
	params = [_(p) if isinstance(p, str) else p for p in error.params]
	return _(error.template).format(*params)


def file_path(file_url: str) -> str:
	name = frappe.db.get_value("File", {"file_url": file_url}, "name")
	if not name:
		raise ImportFailed(_("The attached file {0} was not found").format(file_url))
	return frappe.get_doc("File", name).get_full_path()


def progress_key(name: str) -> str:
	return f"ds_sell_out_import_progress:{name}"


def publish_progress(name: str, rows: int, total: int | None, stage: str) -> None:
	percent = min(99.0, 100.0 * rows / total) if total else None
	data = {"name": name, "rows": rows, "total": total, "percent": percent, "stage": stage}
	frappe.cache.set_value(progress_key(name), data, expires_in_sec=6 * 3600)
	frappe.publish_realtime(PROGRESS_EVENT, data, doctype="Sell Out Import", docname=name, after_commit=False)


def count_lines(path: str) -> int:
	"""Line breaks in a text file (fast, chunked): the row estimate for a CSV's progress bar."""
	lines = 0
	with open(path, "rb") as f:
		while chunk := f.read(1 << 22):
			lines += chunk.count(b"\n")
	return lines


def estimate_rows(reader, path: str, spec) -> int | None:
	"""About how many data rows the file has, for the progress bar only."""
	if spec.file_type == "csv":
		return max(0, count_lines(path) - (spec.header_row or 1))
	height = getattr(getattr(reader, "sheet", None), "height", None)
	return max(0, height - (spec.header_row or 1)) if height else None


def enqueue_import(name: str) -> None:
	frappe.enqueue(
		"distribution_sales.secondary_sales.importer.run_import",
		queue="long",
		timeout=4 * 3600,
		job_id=f"sell_out_import::{name}",
		deduplicate=True,
		enqueue_after_commit=True,
		now=bool(frappe.flags.in_test or frappe.flags.ds_run_imports_now),
		name=name,
	)


def run_import(name: str) -> None:
	"""The background job: run one queued import and record the outcome."""
	doc = frappe.get_doc("Sell Out Import", name)
	if doc.status != "Queued":
		return
	bulk_load = bulk_load_allowed() and ledger.use_local_infile()  # before the transaction starts
	doc.db_set({"status": "Running", "started_at": now_datetime(), "message": None})
	frappe.db.commit()
	publish_progress(name, 0, None, "Running")
	try:
		import_file(doc, bulk_load)
	except ImportFailed as e:
		frappe.db.rollback()
		fail(name, e.message)
	except Exception:
		frappe.db.rollback()
		log = frappe.log_error(title=f"Sell Out Import {name}")
		fail(name, _("The import stopped on an unexpected error (see Error Log {0})").format(log.name))
	else:
		frappe.db.commit()
	publish_progress(name, 0, None, frappe.db.get_value("Sell Out Import", name, "status"))


def fail(name: str, message: str) -> None:
	frappe.db.set_value(
		"Sell Out Import",
		name,
		{"status": "Failed", "message": message, "finished_at": now_datetime()},
	)
	frappe.db.commit()


def bulk_load_allowed() -> bool:
	"""LOAD DATA LOCAL INFILE unless the site config says ``"ds_sell_out_load_data": 0`` (or a test
	asks for the INSERT path)."""
	return (
		bool(cint(frappe.conf.get("ds_sell_out_load_data", 1))) and not frappe.flags.ds_sell_out_insert_only
	)


def import_file(doc, bulk_load: bool = False) -> None:
	profile = frappe.get_doc("Sell Out Import Profile", doc.profile)
	distributor = profile.distributor
	frappe.db.get_value(
		"Customer", distributor, "name", for_update=True
	)  # one import per distributor at a time
	from distribution_sales import parsing as sellout

	spec = profile.spec()
	path = file_path(doc.import_file)
	try:
		digest = sellout.file_hash(path)
		reader = sellout.open_source(path, spec)
	except RuleError as e:
		raise ImportFailed(rule_message(e))
	committed_key = f"{distributor}:{digest}"
	earlier = frappe.db.get_value(
		"Sell Out Import", {"committed_key": committed_key, "name": ("!=", doc.name)}, "name"
	)
	if earlier:
		raise ImportFailed(
			_("This file was already imported for {0} as {1}; it is not counted twice").format(
				distributor, earlier
			)
		)
	total_estimate = estimate_rows(reader, path, spec)
	resolver = Resolver(distributor, threshold(profile))
	writer = ledger.LedgerWriter(
		distributor, doc.name, profile.company, chunk=50_000 if bulk_load else 10_000, bulk_load=bulk_load
	)
	errors, error_count, good = [], 0, 0
	first = last = None
	unmapped_items = unmapped_outlets = 0
	try:
		item_columns: dict[tuple, tuple[str, str | None]] = {}  # (code, name) -> (escaped columns, item)
		outlet_columns: dict[tuple, tuple[str, bool]] = {}  # (code, name, city) -> (columns, mapped)
		for batch in prefetched(reader.batches(size=BATCH_ROWS)):
			rows = batch.rows
			resolver.resolve(rows)
			for row in rows:
				item_part = item_columns.get((row.item_code, row.item_name))
				if item_part is None:
					ikey = resolver.item_key_of(row.item_code, row.item_name)
					item = resolver.items.get(ikey)
					item_part = item_columns[(row.item_code, row.item_name)] = (
						writer.item_text(item, ikey, row.item_code, row.item_name),
						item,
					)
				outlet_part = outlet_columns.get((row.outlet_code, row.outlet_name, row.outlet_city))
				if outlet_part is None:
					okey = resolver.outlet_key_of(row.outlet_code, row.outlet_name)
					where = resolver.outlets.get(okey)
					outlet_part = outlet_columns[(row.outlet_code, row.outlet_name, row.outlet_city)] = (
						writer.outlet_text(
							*(where or NOWHERE), okey, row.outlet_code, row.outlet_name, row.outlet_city
						),
						where is not None,
					)
				item = item_part[1]
				if item is None:
					unmapped_items += 1
				if not outlet_part[1]:
					unmapped_outlets += 1
				writer.add(row, item_part[0], outlet_part[0], row.qty * resolver.factor(item, row.uom))
			if rows:
				low, high = min(r.date for r in rows), max(r.date for r in rows)
				first = low if first is None or low < first else first
				last = high if last is None or high > last else last
			good += len(batch.rows)
			error_count += len({e.row_no for e in batch.errors})  # rows, not problems
			room = MAX_LISTED_ERRORS - len(errors)
			if room > 0:
				errors.extend(batch.errors[:room])
			publish_progress(doc.name, good + error_count, total_estimate, "Running")
		writer.flush()
	except RuleError as e:
		raise ImportFailed(rule_message(e))
	encoding = getattr(reader, "encoding", None)
	check_errors(profile, good, error_count, errors)
	replaced = replace_or_reject(profile, doc.name, first, last)
	doc.reload()
	doc.update(
		{
			"status": "Completed",
			"file_hash": digest,
			"committed_key": committed_key,
			"encoding": encoding,
			"period_from": first,
			"period_to": last,
			"total_rows": good + error_count,
			"imported_rows": good,
			"error_rows": error_count,
			"replaced_rows": sum(replaced.values()),
			"unmapped_item_rows": unmapped_items,
			"unmapped_outlet_rows": unmapped_outlets,
			"finished_at": now_datetime(),
			"errors_note": _("The first {0} of {1} row errors are listed").format(len(errors), error_count)
			if error_count > len(errors)
			else None,
			"message": summary(good, error_count, replaced, unmapped_items, unmapped_outlets),
		}
	)
	doc.set("row_errors", [error_row(e) for e in errors])
	doc.flags.ignore_permissions = True
	doc.save()


def threshold(profile) -> float:
	"""The score from which a suggestion is accepted without a person (never, with Review Every New Mapping)."""
	return float("inf") if profile.review_all else flt(profile.match_threshold)


def error_row(error) -> dict:
	from distribution_sales.parsing import FIELD_LABELS

	params = [_(p) if isinstance(p, str) else p for p in error.params]
	return {
		"row_no": error.row_no,
		"column": _(FIELD_LABELS.get(error.column, error.column)) if error.column else None,
		"message": _(error.template).format(*params),
	}


def check_errors(profile, good: int, error_count: int, errors: list) -> None:
	total = good + error_count
	if not total:
		raise ImportFailed(_("The file has no data rows below the header; nothing was imported"))
	if not good or 100.0 * error_count / total > flt(profile.max_error_percent):
		first = "; ".join(_("row {0}: {1}").format(e.row_no, error_row(e)["message"]) for e in errors[:3])
		raise ImportFailed(
			_(
				"{0} of {1} rows could not be read, more than the profile's tolerance of {2}%; nothing was imported. First problems: {3}"
			).format(error_count, total, flt(profile.max_error_percent), first)
		)


def replace_or_reject(profile, name: str, first, last) -> dict[str, int]:
	"""SEC-5: rows of other imports dated inside this file's period are replaced, or the file refused."""
	overlapping = ledger.rows_in_period(profile.distributor, first, last, name)
	if not overlapping:
		return {}
	if profile.overlap_rule == "Reject":
		raise ImportFailed(
			_(
				"The file covers {0} to {1}, which overlaps the imports {2} of this distributor; the profile rejects overlapping periods (roll them back first, or set the profile to Replace Period)"
			).format(
				frappe.format(first, "Date"), frappe.format(last, "Date"), ", ".join(sorted(overlapping))
			)
		)
	ledger.delete_period(profile.distributor, first, last, name)
	for other, count in overlapping.items():
		left = cint(frappe.db.get_value("Sell Out Import", other, "imported_rows")) - count
		values = {"imported_rows": max(0, left)}
		if left <= 0:
			values.update({"status": "Replaced", "committed_key": None})
		values["message"] = _("{0} rows replaced by {1}").format(count, name)
		frappe.db.set_value("Sell Out Import", other, values)
	return overlapping


def summary(good: int, error_count: int, replaced: dict, unmapped_items: int, unmapped_outlets: int) -> str:
	parts = [_("{0} rows imported, {1} rows with errors").format(good, error_count)]
	if replaced:
		parts.append(
			_("{0} earlier rows of {1} replaced").format(sum(replaced.values()), ", ".join(sorted(replaced)))
		)
	if unmapped_items or unmapped_outlets:
		parts.append(
			_("{0} rows wait for item review and {1} for outlet review").format(
				unmapped_items, unmapped_outlets
			)
		)
	return "; ".join(parts)


def preview(doc, limit: int = 20) -> dict:
	"""The first rows as read with the profile, and what each maps to; nothing is written."""
	from distribution_sales import parsing as sellout

	profile = frappe.get_doc("Sell Out Import Profile", doc.profile)
	spec = profile.spec()
	path = file_path(doc.import_file)
	try:
		parsed = sellout.preview(path, spec, limit=limit)
	except RuleError as e:
		raise ImportFailed(rule_message(e))
	resolver = Resolver(profile.distributor, threshold(profile), dry_run=True)
	resolver.resolve(parsed.rows)
	rows = []
	for row in parsed.rows:
		ikey = resolver.item_key_of(row.item_code, row.item_name)
		okey = resolver.outlet_key_of(row.outlet_code, row.outlet_name)
		where = resolver.outlets.get(okey)
		rows.append(
			{
				"row_no": row.row_no,
				"date": str(row.date),
				"outlet": row.outlet_name or row.outlet_code,
				"item": row.item_name or row.item_code,
				"qty": row.qty,
				"uom": row.uom,
				"amount": row.amount,
				"mapped_item": resolver.items.get(ikey),
				"item_score": resolver.scores.get(ikey, (None, None))[1],
				"mapped_outlet": where[0] if where else None,
				"outlet_score": resolver.scores.get(okey, (None, None))[1],
			}
		)
	return {
		"encoding": getattr(parsed, "encoding", None),
		"rows": rows,
		"errors": [error_row(e) for e in parsed.errors],
		"file_size": os.path.getsize(path),
	}
