"""PLT-1, PLT-2, PLT-4: installed, migrated, roles, custom fields, workspace, demo data."""

from pathlib import Path

import frappe
from frappe.tests.utils import FrappeTestCase

from distribution_sales import demo
from distribution_sales.setup.custom_fields import get_custom_fields
from distribution_sales.setup.install import ROLES, after_migrate


class TestInstall(FrappeTestCase):
	def test_modules_doctypes_and_workspace(self):
		modules = set(frappe.get_all("Module Def", {"app_name": "distribution_sales"}, pluck="name"))
		shipped = {
			"Sales Organisation",
			"Pricing",
			"Sales Control",
			"Order Management",
			"Secondary Sales",
			"Sales Analytics",
		}
		self.assertEqual(
			shipped,
			set(Path(frappe.get_app_path("distribution_sales", "modules.txt")).read_text().split("\n"))
			- {""},
		)
		self.assertLessEqual(shipped, modules)
		self.assertTrue(frappe.db.exists("Workspace", "Sales Organisation"))
		self.assertTrue(frappe.db.exists("Workspace", "Pricing and Schemes"))
		self.assertTrue(frappe.db.exists("Report", {"name": "Customers by Route", "is_standard": "Yes"}))
		self.assertIn(
			"distribution_sales.patches.v0_1.create_custom_fields", frappe.get_all("Patch Log", pluck="patch")
		)

	def test_roles_and_custom_fields_exist(self):
		for role in ROLES:
			self.assertTrue(frappe.db.exists("Role", role), role)
		for doctype, fields in get_custom_fields().items():
			meta = frappe.get_meta(doctype)
			for df in fields:
				self.assertIsNotNone(meta.get_field(df["fieldname"]), f"{doctype}.{df['fieldname']}")

	def test_migrate_step_is_repeatable(self):
		before = frappe.db.count("Custom Field", {"fieldname": ("like", "ds\\_%")})
		after_migrate()
		after_migrate()
		self.assertEqual(frappe.db.count("Custom Field", {"fieldname": ("like", "ds\\_%")}), before)
		self.assertEqual(before, sum(len(f) for f in get_custom_fields().values()))

	def test_hook_paths_import(self):
		"""Every dotted path in hooks.py imports in the real framework (the static check parses them)."""
		import sys

		sys.path.insert(0, frappe.get_app_path("distribution_sales", "..", "tests"))
		from appcheck import dotted_paths, load_hooks

		hooks = load_hooks(__import__("pathlib").Path(frappe.get_app_path("distribution_sales")))
		paths = [
			p
			for k, v in hooks.items()
			if k not in {"required_apps"}
			for p in dotted_paths(v)
			if p.startswith("distribution_sales.")
		]
		self.assertGreater(len(paths), 10)
		for path in paths:
			self.assertTrue(callable(frappe.get_attr(path)), path)


class TestDemo(FrappeTestCase):
	def test_demo_company_shape(self):
		counts = demo.summary()
		self.assertEqual(counts["Sales Region"], 2)
		self.assertEqual(counts["Sales Area"], 5)
		self.assertEqual(counts["Sales Route"], 12)
		self.assertEqual(counts["Sales Route Customer"], 300)
		self.assertEqual(counts["Item"], 60)
		self.assertEqual(counts["Route Assignment"], 13)
		self.assertGreaterEqual(counts["Vehicle"], 3)
		self.assertEqual(counts["Distribution Team"], 2)
		warehouses = frappe.get_all(
			"Bin", filters={"actual_qty": (">", 0), "item_code": "DAI-001"}, pluck="warehouse"
		)
		self.assertEqual(
			sorted(warehouses), [f"Central Warehouse - {demo.ABBR}", f"Shiraz Warehouse - {demo.ABBR}"]
		)
		self.assertEqual(frappe.db.count("Batch", {"item": "DAI-001"}), 4)
		item = frappe.get_doc("Item", "DAI-001")
		self.assertEqual({u.uom for u in item.uoms}, {"Unit", "Carton"})
		self.assertTrue(item.has_batch_no)
		supervisors = frappe.get_all(
			"Sales Person",
			{"ds_sales_role": "Sales Supervisor", "ds_personnel_code": ("like", "P%")},
			pluck="parent_sales_person",
		)
		self.assertEqual(len(supervisors), 2)

	def test_running_it_again_changes_nothing(self):
		doctypes = [
			"Sales Region",
			"Sales Area",
			"Sales Route",
			"Route Assignment",
			"Customer",
			"Item",
			"Item Price",
			"Batch",
			"Stock Entry",
			"Sales Person",
			"Vehicle",
			"Account",
			"User",
		]

		def state():
			return {dt: frappe.db.sql(f"select count(*), max(modified) from `tab{dt}`")[0] for dt in doctypes}

		before = state()
		demo.make()
		after = state()
		self.assertEqual(before, after)


class TestIndexes(FrappeTestCase):
	def test_every_declared_index_exists(self):
		"""The indexes the locking reads name (setup/indexes.py) are on the site after migrate."""
		from distribution_sales.setup.indexes import all_index_names

		for doctype, names in all_index_names().items():
			present = {r[2] for r in frappe.db.sql(f"show index from `tab{doctype}`")}
			self.assertLessEqual(names, present, doctype)


class TestDemoFixtures(FrappeTestCase):
	def test_the_demo_has_every_record_the_tests_use(self):
		from tests.integration.demo_fixtures import USED

		missing = [
			f"{doctype} {name}"
			for doctype, names in USED.items()
			for name in names
			if not frappe.db.exists(doctype, name)
		]
		self.assertEqual(missing, [])
