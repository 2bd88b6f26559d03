"""SEC-1..9 in a real site: distributors' sell-out files generated in Persian, Russian and Chinese layouts
(CSV and XLSX) through an import profile, preview, the background import job and the ledger; mappings with
review; re-imports, overlaps and roll back; bad files; reconciliation with real Sales Invoices; pivot and
exports; targets, growth points, suggested orders; client base transfer; a year's bulk load.

Imports commit (they run as the background job would), so every class builds its own distributor and
removes what it made afterwards.
"""

import csv
import io
import os
import subprocess

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import flt, getdate

from distribution_sales.demo import COMPANY
from tests.integration.conftest import BENCH, CHECKOUT
from tests.integration.secondary_sales_helpers import (
	cleanup,
	invoice,
	ledger_count,
	ledger_qty,
	make_distributor,
	make_profile,
	mapping_count,
	new_import,
	our_items,
	our_outlets,
	run_import,
	sample,
	truth_totals,
)

LANGS = ("fa", "ru", "zh")


class SecondarySalesCase(FrappeTestCase):
	distributor_name = "Test Distributor"

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.distributor = make_distributor(cls.distributor_name)
		cleanup(cls.distributor)

	@classmethod
	def tearDownClass(cls):
		cleanup(cls.distributor)
		super().tearDownClass()

	def assertLedgerMatchesTruth(self, imp, s):
		count, qty = truth_totals(s.truth)
		self.assertEqual(imp.status, "Completed", imp.message)
		self.assertEqual(imp.imported_rows, count)
		self.assertEqual(imp.error_rows, len(s.bad_rows))
		self.assertEqual(ledger_count(sell_out_import=imp.name), count)
		self.assertAlmostEqual(ledger_qty(sell_out_import=imp.name), qty, places=4)
		rows = frappe.get_all(
			"Sell Out Entry",
			{"sell_out_import": imp.name},
			["posting_date", "outlet_code_raw", "item_code_raw", "qty"],
		)
		got = sorted(
			(getdate(r.posting_date), r.outlet_code_raw, r.item_code_raw, round(r.qty, 4)) for r in rows
		)
		want = sorted((getdate(d), o, i, round(q, 4)) for d, o, i, q in s.truth)
		self.assertEqual(got, want)


class TestImportLanguages(SecondarySalesCase):
	"""SEC-1: generated fa/ru/zh files, CSV and XLSX, through profile -> preview -> import -> ledger."""

	distributor_name = "Test Distributor Languages"

	def check_language(self, lang: str, file_type: str):
		s = sample(lang, rows=400, file_type=file_type, seed=hash((lang, file_type)) % 1000)
		profile = make_profile(self.distributor, s.spec_kwargs)
		imp = new_import(profile, s.content, f"{lang}.{file_type}")
		shown = imp.preview()
		self.assertTrue(shown["rows"], shown)
		self.assertTrue(all(r["date"] and r["qty"] is not None for r in shown["rows"]))
		if file_type == "csv":
			self.assertTrue(shown["encoding"])
		self.assertEqual(ledger_count(sell_out_import=imp.name), 0)  # preview writes nothing
		imp.start_import()
		imp.reload()
		self.assertLedgerMatchesTruth(imp, s)
		self.assertEqual(sorted({e.row_no for e in imp.row_errors}), sorted(s.bad_rows))
		self.assertTrue(all(e.message for e in imp.row_errors))
		self.assertEqual(imp.file_hash and len(imp.file_hash), 64)
		self.assertEqual(str(imp.period_from), str(min(getdate(t[0]) for t in s.truth)))
		self.assertEqual(str(imp.period_to), str(max(getdate(t[0]) for t in s.truth)))
		imp.roll_back()  # the next language reuses the period

	def test_persian_csv(self):
		self.check_language("fa", "csv")

	def test_persian_xlsx(self):
		self.check_language("fa", "xlsx")

	def test_russian_csv(self):
		self.check_language("ru", "csv")

	def test_russian_xlsx(self):
		self.check_language("ru", "xlsx")

	def test_chinese_csv(self):
		self.check_language("zh", "csv")

	def test_chinese_xlsx(self):
		self.check_language("zh", "xlsx")

	def test_insert_path_writes_the_same_rows(self):
		"""Without LOAD DATA LOCAL INFILE (server or site config off) the job writes multi-row INSERTs."""
		s = sample("zh", rows=300, seed=9)
		profile = make_profile(self.distributor, s.spec_kwargs)
		frappe.flags.ds_sell_out_insert_only = True
		try:
			imp = run_import(profile, s.content, "zh-insert.csv")
		finally:
			frappe.flags.ds_sell_out_insert_only = False
		self.assertLedgerMatchesTruth(imp, s)
		texts = frappe.get_all(
			"Sell Out Entry", {"sell_out_import": imp.name}, ["outlet_name_raw", "item_name_raw", "doc_no"]
		)
		self.assertTrue(all(t.outlet_name_raw and t.item_name_raw for t in texts))
		imp.roll_back()

	def test_quotes_backslashes_and_tabs_survive_both_paths(self):
		s = sample("ru", rows=20, seed=10, messy=False)
		odd = 'Магазин "O\'Brien" \\ склад\t2 \\N'
		content = rewrite_cell(s, "outlet_name", 0, odd)
		for insert_only in (False, True):
			profile = make_profile(self.distributor, s.spec_kwargs)
			frappe.flags.ds_sell_out_insert_only = insert_only
			try:
				imp = run_import(profile, content, "odd.csv")
			finally:
				frappe.flags.ds_sell_out_insert_only = False
			self.assertEqual(imp.status, "Completed", imp.message)
			names = frappe.get_all("Sell Out Entry", {"sell_out_import": imp.name}, pluck="outlet_name_raw")
			self.assertIn(odd.replace("\t", " "), [n.replace("\t", " ") for n in names])
			imp.roll_back()

	def test_ledger_indexes_exist(self):
		"""SEC-4: the composite indexes for period x distributor x item x territory queries."""
		indexes = {row[2] for row in frappe.db.sql("show index from `tabSell Out Entry`")}
		for index in (
			"distributor_posting_date_index",
			"item_posting_date_index",
			"territory_posting_date_index",
		):
			self.assertIn(index, indexes)


class TestReimportAndRollback(SecondarySalesCase):
	"""SEC-5: the same file twice, overlapping periods (replace or reject), roll back, concurrency."""

	distributor_name = "Test Distributor Reimport"

	def setUp(self):
		frappe.db.delete("Sell Out Entry", {"distributor": self.distributor})
		frappe.db.sql(
			"update `tabSell Out Import` set committed_key=null, status='Rolled Back' where distributor=%s",
			self.distributor,
		)
		frappe.db.commit()

	def test_same_file_twice_is_refused(self):
		s = sample("ru", rows=200)
		profile = make_profile(self.distributor, s.spec_kwargs)
		first = run_import(profile, s.content, "ru.csv")
		self.assertEqual(first.status, "Completed", first.message)
		before = ledger_count(distributor=self.distributor)
		second = run_import(profile, s.content, "ru-again.csv")
		self.assertEqual(second.status, "Failed")
		self.assertIn(first.name, second.message)
		self.assertEqual(ledger_count(distributor=self.distributor), before)
		self.assertEqual(ledger_count(sell_out_import=second.name), 0)

	def test_overlapping_period_replaces_earlier_rows(self):
		july = sample("fa", rows=300, start="2026-07-01", end="2026-07-31", seed=1)
		late_july = sample("fa", rows=120, start="2026-07-16", end="2026-08-10", seed=3)  # same encoding
		profile = make_profile(self.distributor, july.spec_kwargs, overlap_rule="Replace Period")
		first = run_import(profile, july.content, "july.csv")
		second = run_import(profile, late_july.content, "late-july.csv")
		self.assertEqual(second.status, "Completed", second.message)
		start = second.period_from
		kept = [t for t in july.truth if getdate(t[0]) < getdate(start)]
		self.assertEqual(ledger_count(sell_out_import=first.name), len(kept))
		self.assertEqual(ledger_count(sell_out_import=second.name), len(late_july.truth))
		self.assertEqual(ledger_count(distributor=self.distributor), len(kept) + len(late_july.truth))
		self.assertEqual(second.replaced_rows, len(july.truth) - len(kept))
		self.assertEqual(frappe.db.get_value("Sell Out Import", first.name, "imported_rows"), len(kept))

	def test_overlapping_period_rejected_by_profile(self):
		july = sample("zh", rows=200, seed=3)
		again = sample("zh", rows=150, seed=4, start="2026-07-20", end="2026-08-05")
		profile = make_profile(self.distributor, july.spec_kwargs, overlap_rule="Reject")
		first = run_import(profile, july.content, "july.csv")
		maps = mapping_count(self.distributor)
		second = run_import(profile, again.content, "overlap.csv")
		self.assertEqual(second.status, "Failed")
		self.assertIn(first.name, second.message)
		self.assertEqual(ledger_count(distributor=self.distributor), len(july.truth))
		self.assertEqual(ledger_count(sell_out_import=second.name), 0)
		self.assertEqual(mapping_count(self.distributor), maps)  # nothing of the refused file stays

	def test_roll_back_removes_the_import_as_a_unit(self):
		s = sample("ru", rows=250, seed=5)
		profile = make_profile(self.distributor, s.spec_kwargs)
		imp = run_import(profile, s.content, "ru.csv")
		self.assertEqual(ledger_count(sell_out_import=imp.name), len(s.truth))
		removed = imp.roll_back()
		imp.reload()
		self.assertEqual(removed, len(s.truth))
		self.assertEqual(imp.status, "Rolled Back")
		self.assertEqual(ledger_count(sell_out_import=imp.name), 0)
		again = run_import(profile, s.content, "ru.csv")  # a rolled back file can come in again
		self.assertEqual(again.status, "Completed", again.message)
		self.assertEqual(ledger_count(distributor=self.distributor), len(s.truth))
		with self.assertRaises(frappe.ValidationError):
			imp.roll_back()  # twice: refused

	def test_concurrent_imports_of_one_file_count_once(self):
		"""Two workers run two imports of the same file at once: one completes, one is refused."""
		s = sample("fa", rows=2000, seed=6)
		profile = make_profile(self.distributor, s.spec_kwargs)
		a = new_import(profile, s.content, "a.csv")
		b = new_import(profile, s.content, "b.csv")
		for doc in (a, b):
			doc.db_set("status", "Queued")
		frappe.db.commit()
		env = {**os.environ, "PYTHONPATH": str(CHECKOUT)}
		cmd = [
			str(BENCH / "env" / "bin" / "python"), "-m", "frappe.utils.bench_helper", "frappe", "--site", frappe.local.site,
			"execute", "distribution_sales.secondary_sales.importer.run_import", "--kwargs",
		]  # fmt: skip
		procs = [
			subprocess.Popen(
				[*cmd, f"{{'name': '{doc.name}'}}"],
				cwd=BENCH / "sites",
				env=env,
				stdout=subprocess.PIPE,
				stderr=subprocess.STDOUT,
			)
			for doc in (a, b)
		]
		for p in procs:
			out, _err = p.communicate(timeout=300)
			self.assertEqual(p.returncode, 0, out.decode(errors="replace")[-2000:])
		statuses = sorted(frappe.db.get_value("Sell Out Import", d.name, "status") for d in (a, b))
		self.assertEqual(statuses, ["Completed", "Failed"])
		self.assertEqual(ledger_count(distributor=self.distributor), len(s.truth))


class TestRowErrors(SecondarySalesCase):
	"""SEC-1: unreadable rows listed with row number and reason, good rows kept; above the tolerance the
	whole import fails."""

	distributor_name = "Test Distributor Row Errors"

	def test_bad_rows_listed_and_good_rows_imported(self):
		s = sample("ru", rows=500, seed=11, messy=True)
		self.assertTrue(s.bad_rows, "the messy sample should contain bad rows")
		profile = make_profile(self.distributor, s.spec_kwargs, max_error_percent=20)
		imp = run_import(profile, s.content, "ru.csv")
		self.assertLedgerMatchesTruth(imp, s)
		self.assertEqual(sorted({e.row_no for e in imp.row_errors}), sorted(s.bad_rows))
		self.assertEqual(imp.total_rows, len(s.truth) + len(s.bad_rows))
		self.assertIn(str(len(s.truth)), imp.message)

	def test_negative_quantity_when_returns_are_forbidden(self):
		s = sample("fa", rows=60, seed=12, messy=False)
		content = returns_file(s)
		profile = make_profile(self.distributor, s.spec_kwargs, allow_returns=0, max_error_percent=0)
		before = ledger_count(distributor=self.distributor)
		imp = run_import(profile, content, "returns.csv")
		self.assertEqual(imp.status, "Failed")
		self.assertIn("returns", imp.message)
		self.assertEqual(ledger_count(distributor=self.distributor), before)
		self.assertEqual(ledger_count(sell_out_import=imp.name), 0)
		self.assertIn("1", imp.message)
		allowed = make_profile(self.distributor, s.spec_kwargs, allow_returns=1, max_error_percent=0)
		imp = run_import(allowed, content, "returns.csv")
		self.assertEqual(imp.status, "Completed", imp.message)
		self.assertEqual(ledger_count(sell_out_import=imp.name), len(s.truth))
		self.assertLess(ledger_qty(sell_out_import=imp.name), sum(t[3] for t in s.truth))
		imp.roll_back()


def rewrite_cell(s, field: str, data_row: int, value: str | None = None, prefix: str = "") -> bytes:
	"""The sample CSV with one cell of a data row replaced (or prefixed), in the file's own encoding."""
	from distribution_sales.parsing import ImportSpec, open_source

	spec = ImportSpec(**s.spec_kwargs)
	reader = open_source(s.content, spec)
	encoding = reader.encoding
	text = s.content.decode(encoding.replace("-sig", "") if encoding else "utf-8")
	delimiter = reader.delimiter or ","
	rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter))
	col = [h.strip() for h in rows[spec.header_row - 1]].index(spec.columns[field])
	row = rows[spec.header_row + data_row]
	row[col] = value if value is not None else prefix + row[col].strip()
	out = io.StringIO()
	csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
	return out.getvalue().encode(encoding or "utf-8")


def returns_file(s) -> bytes:
	"""The sample CSV with the first data row's quantity made negative (a return)."""
	return rewrite_cell(s, "qty", 0, prefix="-")


class TestBadInput(SecondarySalesCase):
	"""Bad files: a clear, translated message, nothing partially committed (ledger, mappings, status)."""

	distributor_name = "Test Distributor Bad Input"

	def assertRefused(self, profile, content, file_name, *fragments):
		ledger_before, maps_before = (
			ledger_count(distributor=self.distributor),
			mapping_count(self.distributor),
		)
		imp = run_import(profile, content, file_name)
		self.assertEqual(imp.status, "Failed")
		for fragment in fragments:
			self.assertIn(fragment, imp.message)
		self.assertEqual(ledger_count(distributor=self.distributor), ledger_before)
		self.assertEqual(ledger_count(sell_out_import=imp.name), 0)
		self.assertEqual(mapping_count(self.distributor), maps_before)
		self.assertFalse(imp.committed_key)
		return imp

	def test_wrong_sheet(self):
		from distribution_sales.secondary_sales.doctype.sell_out_import.sell_out_import import (
			SellOutImportError,
		)

		s = sample("zh", rows=50, file_type="xlsx")
		profile = make_profile(self.distributor, s.spec_kwargs, sheet="No Such Sheet")
		with self.assertRaises(SellOutImportError) as refused:  # the preview says so before any import
			new_import(profile, s.content, "zh.xlsx").preview()
		self.assertIn(s.spec_kwargs["sheet"], str(refused.exception))  # it names the sheets there are
		self.assertRefused(profile, s.content, "zh.xlsx", "No Such Sheet")

	def test_missing_mapped_columns(self):
		s = sample("fa", rows=50)
		values = dict(s.spec_kwargs)
		values["columns"] = {**values["columns"], "amount": "Column That Is Not There"}
		profile = make_profile(self.distributor, values)
		self.assertRefused(profile, s.content, "fa.csv", "Column That Is Not There")

	def test_empty_file(self):
		s = sample("ru", rows=10)
		profile = make_profile(self.distributor, s.spec_kwargs)
		self.assertRefused(profile, b"", "empty.csv")

	def test_not_a_spreadsheet(self):
		s = sample("ru", rows=10, file_type="xlsx")
		profile = make_profile(self.distributor, s.spec_kwargs)
		self.assertRefused(
			profile, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" * 20, "report.xlsx"
		)
		csv_profile = make_profile(self.distributor, sample("ru", rows=10).spec_kwargs)
		self.assertRefused(csv_profile, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "photo.csv")

	def test_mixed_encodings(self):
		s = sample("ru", rows=200, messy=False)
		utf8 = s.content.decode("cp1251").encode("utf-8")
		mixed = (
			utf8[: len(utf8) // 2].rsplit(b"\n", 1)[0]
			+ b"\n"
			+ s.content[len(s.content) // 2 :].split(b"\n", 1)[1]
		)
		values = {**s.spec_kwargs, "encoding": None}
		profile = make_profile(self.distributor, values)
		self.assertRefused(profile, mixed, "mixed.csv")

	def test_dates_that_do_not_parse(self):
		s = sample("ru", rows=80, messy=False)
		profile = make_profile(self.distributor, {**s.spec_kwargs, "date_format": "chinese"})
		imp = self.assertRefused(profile, s.content, "ru.csv", "80")
		self.assertTrue(imp.message)

	def test_message_is_translated(self):
		s = sample("ru", rows=10)
		profile = make_profile(self.distributor, s.spec_kwargs)
		frappe.local.lang = "ru"
		try:
			imp = run_import(profile, b"", "empty.csv")
		finally:
			frappe.local.lang = "en"
		self.assertEqual(imp.status, "Failed")
		from frappe.translate import get_all_translations

		translated = get_all_translations("ru").get("The file is empty")
		self.assertTrue(translated and translated != "The file is empty")
		self.assertIn(translated, imp.message)


class TestMapping(SecondarySalesCase):
	"""SEC-2, SEC-3: suggestions with confidence, auto-accept over the threshold, review queue, reuse."""

	distributor_name = "Test Distributor Mapping"

	def test_exact_codes_are_accepted_automatically(self):
		s = sample("fa", rows=200, seed=21)
		profile = make_profile(self.distributor, s.spec_kwargs, match_threshold=90)
		imp = run_import(profile, s.content, "fa.csv")
		self.assertEqual(imp.status, "Completed", imp.message)
		items = frappe.get_all(
			"Distributor Item Mapping", {"distributor": self.distributor}, ["external_code", "item", "status"]
		)
		self.assertTrue(items)
		for m in items:
			self.assertEqual(m.status, "Auto")
			self.assertEqual(m.item, m.external_code)  # the distributor uses our codes
		self.assertEqual(imp.unmapped_item_rows, 0)
		self.assertEqual(
			frappe.db.count("Sell Out Entry", {"sell_out_import": imp.name, "item": ("is", "not set")}), 0
		)
		imp.roll_back()

	def test_review_queue_and_reuse_on_the_next_import(self):
		# the distributor has its own item codes: names only lead to our items
		theirs = [(f"X{n:03d}", name) for n, (_code, name) in enumerate(our_items(), start=1)]
		ours = dict(zip((c for c, _n in theirs), (c for c, _n in our_items()), strict=True))
		s = sample("ru", rows=200, seed=22, items=theirs)
		profile = make_profile(self.distributor, s.spec_kwargs, review_all=1)  # nothing automatic
		imp = run_import(profile, s.content, "ru.csv")
		self.assertEqual(imp.status, "Completed", imp.message)
		review = frappe.get_all(
			"Distributor Item Mapping",
			{"distributor": self.distributor, "external_code": ("like", "X%")},
			["name", "external_code", "item", "status", "confidence"],
		)
		self.assertTrue(review)
		self.assertTrue(all(m.status == "Review" and not m.item for m in review))
		self.assertEqual(imp.unmapped_item_rows, imp.imported_rows)
		# suggestions are ranked with a confidence; the right item is among them for a clean name
		first = frappe.get_doc("Distributor Item Mapping", review[0].name)
		self.assertTrue(first.suggestions)
		scores = [s.score for s in first.suggestions]
		self.assertEqual(scores, sorted(scores, reverse=True))
		self.assertIn(ours[first.external_code], [s.item for s in first.suggestions])
		# a person confirms one: the rows already imported take the item at once
		first.confirm(ours[first.external_code])
		filled = frappe.db.count(
			"Sell Out Entry", {"distributor": self.distributor, "item": ours[first.external_code]}
		)
		self.assertEqual(
			filled,
			frappe.db.count(
				"Sell Out Entry", {"distributor": self.distributor, "item_code_raw": first.external_code}
			),
		)
		self.assertGreater(filled, 0)
		# the next import reuses the answer and creates no second mapping for that key
		maps = frappe.db.count("Distributor Item Mapping", {"distributor": self.distributor})
		s2 = sample("ru", rows=150, seed=23, items=theirs, start="2026-08-01", end="2026-08-31")
		imp2 = run_import(profile, s2.content, "ru-aug.csv")
		self.assertEqual(imp2.status, "Completed", imp2.message)
		self.assertLessEqual(
			frappe.db.count("Distributor Item Mapping", {"distributor": self.distributor}), maps + len(theirs)
		)
		self.assertEqual(
			frappe.db.count(
				"Distributor Item Mapping",
				{"distributor": self.distributor, "external_code": first.external_code},
			),
			1,
		)
		rows = frappe.get_all(
			"Sell Out Entry", {"sell_out_import": imp2.name, "item_code_raw": first.external_code}, ["item"]
		)
		self.assertTrue(all(r.item == ours[first.external_code] for r in rows))
		imp.roll_back()
		imp2.roll_back()

	def test_outlets_map_to_customer_route_and_territory(self):
		s = sample("zh", rows=200, seed=24)
		profile = make_profile(self.distributor, s.spec_kwargs, match_threshold=80)
		imp = run_import(profile, s.content, "zh.csv")
		self.assertEqual(imp.status, "Completed", imp.message)
		mapped = frappe.get_all(
			"Distributor Outlet Mapping",
			{"distributor": self.distributor, "customer": ("is", "set")},
			["external_key", "customer", "territory", "sales_route"],
		)
		self.assertTrue(mapped)
		for m in mapped:
			territory, route = frappe.db.get_value("Customer", m.customer, ["territory", "ds_sales_route"])
			self.assertEqual((m.territory, m.sales_route), (territory, route))
			rows = frappe.get_all(
				"Sell Out Entry",
				{"distributor": self.distributor, "outlet_key": m.external_key},
				["outlet", "territory", "sales_route"],
			)
			self.assertTrue(
				all((r.outlet, r.territory, r.sales_route) == (m.customer, territory, route) for r in rows)
			)
		# an outlet that is not our customer is placed on a route by hand; its rows follow
		unknown = frappe.get_doc(
			{
				"doctype": "Distributor Outlet Mapping",
				"distributor": self.distributor,
				"outlet_name": "Kiosk that is not our customer",
				"sales_route": frappe.db.get_value("Sales Route", {}, "name"),
			}
		).insert()
		self.assertEqual(unknown.status, "Confirmed")
		self.assertEqual(
			unknown.territory, frappe.db.get_value("Sales Route", unknown.sales_route, "territory")
		)
		imp.roll_back()


def truth_by(truth, key) -> dict:
	out: dict = {}
	for row in truth:
		k = key(row)
		out[k] = out.get(k, 0.0) + row[3]
	return out


def month(day) -> str:
	day = getdate(day)
	return f"{day.year:04d}-{day.month:02d}"


class TestReconciliation(SecondarySalesCase):
	"""SEC-4: sell-in (our submitted invoices to the distributor) vs sell-out, estimated stock, cover."""

	distributor_name = "Test Distributor Reconciliation"

	def test_sell_in_vs_sell_out(self):
		from distribution_sales.secondary_sales.report.sell_in_vs_sell_out.sell_in_vs_sell_out import execute

		items = our_items(4)
		s = sample("fa", rows=400, seed=31, items=items, start="2026-07-01", end="2026-08-31", messy=False)
		profile = make_profile(self.distributor, s.spec_kwargs)
		imp = run_import(profile, s.content, "fa.csv")
		self.assertEqual(imp.status, "Completed", imp.message)
		item = items[0][0]
		invoice(self.distributor, item, 900, "2026-07-02")
		invoice(self.distributor, item, 400, "2026-08-03")
		invoice(self.distributor, item, 5, "2026-08-04", uom="Carton")  # in stock units: 5 x pack
		pack = flt(
			frappe.db.get_value(
				"UOM Conversion Detail", {"parent": item, "uom": "Carton"}, "conversion_factor"
			)
		)
		frappe.db.commit()
		out = truth_by(s.truth, lambda t: (t[2], month(t[0])))
		_cols, rows, *_rest = execute(
			{
				"company": COMPANY,
				"distributor": self.distributor,
				"from_date": "2026-07-01",
				"to_date": "2026-08-31",
			}
		)
		got = {(r["item"], r["month"]): r for r in rows}
		july, august = got[(item, "2026-07")], got[(item, "2026-08")]
		self.assertEqual(july["sell_in"], 900)
		self.assertEqual(august["sell_in"], 400 + 5 * pack)
		self.assertAlmostEqual(july["sell_out"], out[(item, "2026-07")], places=4)
		self.assertAlmostEqual(august["sell_out"], out[(item, "2026-08")], places=4)
		stock_july = 900 - out[(item, "2026-07")]
		self.assertAlmostEqual(july["est_stock"], stock_july, places=4)
		self.assertAlmostEqual(
			august["est_stock"], stock_july + 400 + 5 * pack - out[(item, "2026-08")], places=4
		)
		self.assertAlmostEqual(july["days_of_cover"], stock_july / (out[(item, "2026-07")] / 31), delta=0.05)
		# an item sold out but never invoiced to the distributor shows a negative estimated stock
		other = items[1][0]
		self.assertAlmostEqual(got[(other, "2026-07")]["sell_in"], 0)
		self.assertLess(got[(other, "2026-07")]["est_stock"], 0)
		# from August on, July's history is the opening stock
		_cols, rows, *_rest = execute(
			{
				"company": COMPANY,
				"distributor": self.distributor,
				"from_date": "2026-08-01",
				"to_date": "2026-08-31",
			}
		)
		august_only = {(r["item"], r["month"]): r for r in rows}[(item, "2026-08")]
		self.assertAlmostEqual(august_only["est_stock"], august["est_stock"], places=4)


class TestPivotAndExport(SecondarySalesCase):
	"""SEC-6: the in-app pivot and the ledger exported as CSV, XLSX and Parquet, read back."""

	distributor_name = "Test Distributor Pivot"

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.sample = sample("ru", rows=300, seed=41, start="2026-07-01", end="2026-08-31", messy=False)
		profile = make_profile(cls.distributor, cls.sample.spec_kwargs)
		cls.imp = run_import(profile, cls.sample.content, "ru.csv")

	def test_pivot_items_by_month(self):
		from distribution_sales.secondary_sales.report.sell_out_pivot.sell_out_pivot import execute

		columns, data = execute(
			{"distributor": self.distributor, "rows": "Item", "columns": "Month", "value": "Qty"}
		)
		labels = [c["label"] for c in columns]
		self.assertEqual(labels[1:], ["2026-07", "2026-08", "Total"])
		expected = truth_by(self.sample.truth, lambda t: (t[2], month(t[0])))
		for row in data:
			for i, m in enumerate(labels[1:3]):
				self.assertAlmostEqual(row[f"c{i}"] or 0, expected.get((row["row"], m), 0), places=4)
			self.assertAlmostEqual(row["c2"], (row["c0"] or 0) + (row["c1"] or 0), places=4)
		self.assertEqual(len(data), len({t[2] for t in self.sample.truth}))

	def test_exports_read_back(self):
		import pyarrow.parquet as pq
		from openpyxl import load_workbook

		from distribution_sales.secondary_sales.api import build_export

		filters = {"distributor": self.distributor}
		count, qty = truth_totals(self.sample.truth)
		content, ext = build_export("CSV", filters)
		self.assertEqual(ext, "csv")
		rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
		self.assertEqual(len(rows) - 1, count)
		qty_col = rows[0].index("Qty")
		self.assertAlmostEqual(sum(float(r[qty_col]) for r in rows[1:]), qty, places=4)
		content, ext = build_export("XLSX", filters)
		sheet = load_workbook(io.BytesIO(content), read_only=True).active
		values = list(sheet.iter_rows(values_only=True))
		self.assertEqual(len(values) - 1, count)
		self.assertAlmostEqual(sum(r[values[0].index("Qty")] for r in values[1:]), qty, places=4)
		content, ext = build_export("Parquet", filters)
		table = pq.read_table(io.BytesIO(content))
		self.assertEqual(table.num_rows, count)
		self.assertAlmostEqual(sum(table.column("qty").to_pylist()), qty, places=4)
		self.assertEqual(str(table.schema.field("posting_date").type), "date32[day]")

	def test_export_endpoint_is_permission_checked(self):
		from distribution_sales.secondary_sales.api import export_ledger
		from tests.integration.helpers import make_user

		user = make_user("sellout.nobody@test.example", ["Salesman"])
		frappe.set_user(user)
		try:
			with self.assertRaises(frappe.PermissionError):
				export_ledger("CSV", {"distributor": self.distributor})
		finally:
			frappe.set_user("Administrator")
		export_ledger("Parquet", {"distributor": self.distributor})
		self.assertEqual(frappe.response["type"], "download")
		self.assertTrue(frappe.response["filename"].endswith(".parquet"))


class TestTargetsGrowthAndOrders(SecondarySalesCase):
	"""SEC-7: target progress, growth points (declining and lost outlets), suggested orders."""

	distributor_name = "Test Distributor Targets"

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.items = our_items(3)
		cls.outlets = our_outlets(12, lang="zh")
		cls.months = {}
		for i, (start, end) in enumerate(
			(
				("2026-06-01", "2026-06-30"),
				("2026-07-01", "2026-07-31"),
				("2026-08-01", "2026-08-31"),
				("2026-09-01", "2026-09-30"),
			)
		):
			# in September the last four outlets buy nothing any more
			outlets = cls.outlets if i < 3 else cls.outlets[:8]
			cls.months[start[:7]] = sample(
				"zh", rows=200 + 40 * i, seed=50 + i, items=cls.items, outlets=outlets, start=start, end=end,
				messy=False,
			)  # fmt: skip
		profile = make_profile(cls.distributor, cls.months["2026-06"].spec_kwargs, match_threshold=80)
		for label, s in cls.months.items():
			imp = run_import(profile, s.content, f"{label}.csv")
			assert imp.status == "Completed", imp.message

	def test_target_progress(self):
		from distribution_sales.secondary_sales.report.distributor_target_progress.distributor_target_progress import (
			execute,
		)

		frappe.get_doc(
			{
				"doctype": "Distributor Target", "distributor": self.distributor, "company": COMPANY,
				"from_date": "2026-08-01", "to_date": "2026-08-31", "target_qty": 10_000,
			}
		).insert()  # fmt: skip
		_cols, rows, *_rest = execute({"distributor": self.distributor, "as_of": "2026-08-15"})
		self.assertEqual(len(rows), 1)
		actual = sum(t[3] for t in self.months["2026-08"].truth if getdate(t[0]) <= getdate("2026-08-15"))
		self.assertAlmostEqual(rows[0]["actual"], actual, places=4)
		self.assertAlmostEqual(rows[0]["percent"], actual / 10_000 * 100, places=4)
		self.assertAlmostEqual(rows[0]["expected"], 10_000 * 15 / 31, places=4)
		self.assertAlmostEqual(rows[0]["projected"], actual / 15 * 31, places=4)

	def test_growth_points_name_lost_outlets(self):
		from distribution_sales.secondary_sales.report.growth_points.growth_points import execute

		_cols, rows, message = execute(
			{
				"distributor": self.distributor,
				"from_date": "2026-09-01",
				"to_date": "2026-09-30",
				"dimension": "Outlet",
			}
		)
		self.assertTrue(message)
		lost_codes = {code for code, _n, _c in self.outlets[8:]}
		lost_customers = set(
			frappe.get_all(
				"Distributor Outlet Mapping",
				{
					"distributor": self.distributor,
					"outlet_code": ("in", list(lost_codes)),
					"customer": ("is", "set"),
				},
				pluck="customer",
			)
		)
		self.assertTrue(lost_customers)
		flagged = {r["key"]: r for r in rows}
		for customer in lost_customers:
			self.assertIn(customer, flagged)
			self.assertEqual(flagged[customer]["current"], 0)
			self.assertAlmostEqual(flagged[customer]["change_pct"], -100)

	def test_suggested_orders_state_their_method(self):
		from distribution_sales.rules.sellout_analysis import forecast_with_method, suggested_order
		from distribution_sales.secondary_sales.report.suggested_distributor_orders.suggested_distributor_orders import (
			execute,
		)

		item = self.items[0][0]
		invoice(self.distributor, item, 2000, "2026-06-02")
		frappe.db.commit()
		for method in ("Moving Average (3)", "Linear Trend", "Seasonal Naive"):
			_cols, rows, message = execute(
				{
					"distributor": self.distributor,
					"as_of": "2026-10-01",
					"months": 4,
					"method": method,
					"target_days": 45,
				}
			)
			self.assertIn(method, message)
			row = {r["item"]: r for r in rows}[item]
			monthly = [
				sum(t[3] for t in self.months[m].truth if t[2] == item)
				for m in ("2026-06", "2026-07", "2026-08", "2026-09")
			]
			predicted, used = forecast_with_method(monthly, method)
			predicted = max(0.0, predicted)
			stock = 2000 - sum(monthly)
			pack = flt(
				frappe.db.get_value(
					"UOM Conversion Detail", {"parent": item, "uom": "Carton"}, "conversion_factor"
				)
			)
			self.assertAlmostEqual(row["forecast"], predicted, places=4)
			self.assertAlmostEqual(row["est_stock"], stock, places=4)
			self.assertAlmostEqual(
				row["suggested_qty"], suggested_order(predicted / 30, stock, 45, pack=pack), places=4
			)
			self.assertEqual(row["suggested_qty"] % pack, 0)
			self.assertEqual(row["method"], used)  # Seasonal Naive needs 12 months: says it used the average
			self.assertEqual(used == method, method != "Seasonal Naive")


class TestClientBaseTransfer(SecondarySalesCase):
	"""SEC-8: outlets move from one distributor to another from a date; history stays where it was."""

	distributor_name = "Test Distributor Old"

	def test_transfer_keeps_history_and_maps_the_new_distributors_files(self):
		new = make_distributor("Test Distributor New")
		cleanup(new)
		try:
			outlets = our_outlets(10, offset=40, lang="ru")
			s = sample("ru", rows=200, seed=61, outlets=outlets, messy=False)
			profile = make_profile(self.distributor, s.spec_kwargs, match_threshold=80)
			imp = run_import(profile, s.content, "old.csv")
			self.assertEqual(imp.status, "Completed", imp.message)
			moved = frappe.get_all(
				"Distributor Outlet Mapping",
				{"distributor": self.distributor, "status": ("in", ["Auto", "Confirmed"])},
				["name", "customer", "external_key", "outlet_code"],
				limit=4,
				order_by="outlet_code asc",
			)
			self.assertEqual(len(moved), 4)
			history = ledger_count(distributor=self.distributor)
			transfer = frappe.get_doc(
				{
					"doctype": "Client Base Transfer", "from_distributor": self.distributor, "to_distributor": new,
					"transfer_date": "2026-08-01", "outlets": [{"outlet_mapping": m.name} for m in moved],
				}
			).insert()  # fmt: skip
			transfer.submit()
			for m in moved:
				old = frappe.get_doc("Distributor Outlet Mapping", m.name)
				self.assertEqual(
					(old.status, str(old.active_until), old.transferred_to),
					("Transferred", "2026-07-31", new),
				)
				self.assertEqual(
					frappe.db.get_value(
						"Distributor Outlet Mapping", {"distributor": new, "external_key": m.external_key},
						["customer", "status", "active_from"],
					),
					(m.customer, "Confirmed", getdate("2026-08-01")),
				)  # fmt: skip
			from distribution_sales.secondary_sales.doctype.client_base_transfer.client_base_transfer import (
				client_base,
			)

			self.assertTrue({m.customer for m in moved} <= set(client_base(new, "2026-08-15")))
			self.assertFalse({m.customer for m in moved} & set(client_base(self.distributor, "2026-08-15")))
			self.assertTrue({m.customer for m in moved} <= set(client_base(self.distributor, "2026-07-15")))
			# history kept: the old distributor's rows stay with it
			self.assertEqual(ledger_count(distributor=self.distributor), history)
			# the new distributor reports the same outlets: mapped at once, no review
			taken = [o for o in outlets if o[0] in {m.outlet_code for m in moved}]
			self.assertEqual(len(taken), 4)
			s2 = sample(
				"ru", rows=80, seed=62, outlets=taken, start="2026-08-01", end="2026-08-31", messy=False
			)
			new_profile = make_profile(new, s2.spec_kwargs, review_all=1)
			imp2 = run_import(new_profile, s2.content, "new.csv")
			self.assertEqual(imp2.status, "Completed", imp2.message)
			self.assertEqual(imp2.unmapped_outlet_rows, 0)
			got = set(frappe.get_all("Sell Out Entry", {"sell_out_import": imp2.name}, pluck="outlet"))
			self.assertEqual(got, {m.customer for m in moved})
			imp2.roll_back()
			transfer.cancel()
			self.assertEqual(
				frappe.db.get_value("Distributor Outlet Mapping", moved[0].name, "status"), "Confirmed"
			)
			self.assertFalse(
				frappe.db.exists(
					"Distributor Outlet Mapping", {"distributor": new, "external_key": moved[0].external_key}
				)
			)
		finally:
			cleanup(new)
			frappe.db.delete(
				"Client Base Transfer Outlet",
				{
					"parent": (
						"in",
						frappe.get_all("Client Base Transfer", {"to_distributor": new}, pluck="name"),
					)
				},
			)
			frappe.db.delete("Client Base Transfer", {"to_distributor": new})
			frappe.db.commit()


class TestBulkLoad(SecondarySalesCase):
	"""SEC-9: a prior year's data through the same import path."""

	distributor_name = "Test Distributor Bulk"

	def test_prior_year_in_one_file(self):
		s = sample("fa", rows=12_000, seed=71, start="2025-01-01", end="2025-12-31", messy=False)
		profile = make_profile(self.distributor, s.spec_kwargs)
		imp = run_import(profile, s.content, "1403.csv")
		self.assertLedgerMatchesTruth(imp, s)
		per_month = dict(
			frappe.db.sql(
				"select month, count(*) from `tabSell Out Entry` where sell_out_import=%s group by month",
				imp.name,
			)
		)
		expected: dict[str, int] = {}
		for t in s.truth:
			expected[month(t[0])] = expected.get(month(t[0]), 0) + 1
		self.assertEqual(per_month, expected)
		self.assertEqual(len(per_month), 12)
