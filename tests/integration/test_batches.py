"""CRD-6, DOC-1 in a real site: what leaves the warehouse (a remittance, a stock-updating invoice) is
split across batches first-expired-first-out, expired batches skipped, so an order accepted as saleable
can be delivered; more than the unexpired batches hold is refused; a batch the user chose is kept.

Each test makes its own item in "Products" (no demo scheme or count touches it) with three batches,
created in this order: LATE (10 units, expires in 200 days), SOON (6 units, in 30 days) and OLD
(50 units, expired 5 days ago). ERPNext, picking by creation, would start with LATE. Each test rolls
back what it did."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, flt, today

from distribution_sales.demo import COMPANY
from distribution_sales.sales_control.common import InsufficientStockError
from tests.integration.helpers import flow_defaults
from tests.integration.sales_control_helpers import (
	WAREHOUSE,
	make_item,
	new_customer,
	receive,
	sales_doc,
)

RECEIVED = (("LATE", 10, 200), ("SOON", 6, 30), ("OLD", 50, None))  # (batch, units, expires in days)


def set_flow(**values):
	"""The demo company's document flow for this test (rolled back afterwards)."""
	doc = frappe.get_doc("Distribution Settings", COMPANY)
	doc.update({**flow_defaults(), **values})
	doc.save()


def make_batched_item() -> tuple[str, dict]:
	item = make_item(batch=True, has_expiry_date=1)
	batches = {}
	for key, units, days in RECEIVED:
		batches[key] = (
			frappe.get_doc(
				{
					"doctype": "Batch",
					"batch_id": f"{item}-{key}",
					"item": item,
					"expiry_date": add_days(today(), days or 100),
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
		receive(item, units, batch=batches[key])
	frappe.db.set_value("Batch", batches["OLD"], "expiry_date", add_days(today(), -5))  # it went off
	return item, batches


def batch_stock(item: str) -> dict:
	"""Units per batch in the warehouse, expired ones included (empty batches are left out)."""
	from erpnext.stock.doctype.batch.batch import get_batch_qty

	rows = get_batch_qty(item_code=item, warehouse=WAREHOUSE, for_stock_levels=True)
	return {r.batch_no: flt(r.qty) for r in rows}


def issued(row) -> list[tuple]:
	"""(batch, units) that a submitted line took out, in the bundle's order."""
	entries = frappe.get_all(
		"Serial and Batch Entry",
		filters={"parent": row.serial_and_batch_bundle},
		fields=["batch_no", "qty"],
		order_by="idx",
	)
	return [(e.batch_no, -flt(e.qty)) for e in entries]


def bin_qty(item: str) -> float:
	return flt(frappe.db.get_value("Bin", {"item_code": item, "warehouse": WAREHOUSE}, "actual_qty"))


def make_remittance(customer: str, lines, batch_fields: bool = True):
	"""A draft Delivery Note without an order, ``lines`` as [(item_code, units)]; with ``batch_fields``
	its lines use the batch field, as the desk's new rows do under the demo's Stock Settings."""
	return frappe.get_doc(
		{
			"doctype": "Delivery Note",
			"company": COMPANY,
			"customer": customer,
			"posting_date": today(),
			"currency": "IRR",
			"selling_price_list": frappe.db.get_value("Price List", {"selling": 1, "enabled": 1}),
			"items": [
				{
					"item_code": item,
					"qty": qty,
					"uom": "Unit",
					"conversion_factor": 1,
					"warehouse": WAREHOUSE,
					"use_serial_batch_fields": int(batch_fields),
				}
				for item, qty in lines
			],
		}
	).insert(ignore_permissions=True)


class BatchTestCase(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		set_flow()
		self.item, self.batches = make_batched_item()
		self.late, self.soon, self.old = (self.batches[k] for k in ("LATE", "SOON", "OLD"))
		self.assertEqual(batch_stock(self.item), {self.late: 10, self.soon: 6, self.old: 50})

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()


class TestRemittance(BatchTestCase):
	"""A Delivery Note made from an order accepted as saleable can be submitted."""

	def test_a_line_is_split_first_expired_first_out_and_the_expired_batch_skipped(self):
		from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note

		order = sales_doc("Sales Order", new_customer(), [(self.item, 12)], submit=True)  # 16 unexpired
		remittance = make_delivery_note(order.name).insert()
		# ERPNext's pick: one batch in the batch field for a line that needs two
		self.assertEqual(remittance.items[0].batch_no, self.soon)
		remittance.submit()
		remittance.reload()
		row = remittance.items[0]
		self.assertEqual(issued(row), [(self.soon, 6), (self.late, 6)])
		self.assertEqual((row.batch_no, row.use_serial_batch_fields), (None, 0))
		self.assertEqual(
			frappe.db.get_value("Serial and Batch Bundle", row.serial_and_batch_bundle, "docstatus"), 1
		)
		self.assertEqual(batch_stock(self.item), {self.late: 4, self.old: 50})
		order.reload()
		self.assertEqual(order.per_delivered, 100)

	def test_lines_of_one_item_share_the_batches(self):
		remittance = make_remittance(new_customer(), [(self.item, 4), (self.item, 8)])
		# ERPNext's picks: both lines on LATE, 12 units from a batch of 10
		self.assertEqual([r.batch_no for r in remittance.items], [self.late, self.late])
		remittance.submit()
		remittance.reload()
		first, second = remittance.items
		self.assertEqual(issued(first), [(self.late, 4)])  # the batch ERPNext chose covers it: kept
		self.assertEqual(issued(second), [(self.soon, 6), (self.late, 2)])
		self.assertEqual(batch_stock(self.item), {self.late: 4, self.old: 50})

	def test_lines_without_a_batch_get_them_first_expired_first_out(self):
		remittance = make_remittance(new_customer(), [(self.item, 4), (self.item, 8)], batch_fields=False)
		self.assertEqual([r.batch_no for r in remittance.items], [None, None])
		remittance.submit()
		remittance.reload()
		first, second = remittance.items
		self.assertEqual(issued(first), [(self.soon, 4)])
		self.assertEqual(issued(second), [(self.soon, 2), (self.late, 6)])
		self.assertEqual(batch_stock(self.item), {self.late: 4, self.old: 50})

	def test_a_batch_the_user_chose_is_kept(self):
		from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note

		order = sales_doc("Sales Order", new_customer(), [(self.item, 5)], submit=True)
		remittance = make_delivery_note(order.name)
		remittance.items[0].batch_no = self.late  # the later batch, on purpose
		remittance.insert()
		remittance.submit()
		remittance.reload()
		self.assertEqual(remittance.items[0].batch_no, self.late)
		self.assertEqual(issued(remittance.items[0]), [(self.late, 5)])
		self.assertEqual(batch_stock(self.item), {self.late: 5, self.soon: 6, self.old: 50})

	def test_more_than_the_unexpired_batches_hold_is_refused_and_nothing_leaves(self):
		"""17 units wanted, 16 in unexpired batches (66 on hand with the expired one). The remittance
		stays a draft; unchanged: the Stock Ledger Entries (count), the Bin's actual qty, every batch's
		units, the Serial and Batch Bundles (count)."""
		remittance = make_remittance(new_customer(), [(self.item, 17)])
		before = (
			frappe.db.count("Stock Ledger Entry"),
			bin_qty(self.item),
			batch_stock(self.item),
			frappe.db.count("Serial and Batch Bundle"),
		)
		self.assertEqual(before[1], 66)
		frappe.local.lang = "fa"
		frappe.local.lang_full_dict = None
		frappe.local.jenv = None
		try:
			with self.assertRaises(InsufficientStockError) as raised:
				remittance.submit()
		finally:
			frappe.local.lang = "en"
			frappe.local.lang_full_dict = None
			frappe.local.jenv = None
		message = str(raised.exception)
		self.assertIn("موجودی قابل فروش", message)  # Persian: "saleable stock"
		self.assertNotIn("Insufficient saleable stock", message)
		self.assertIn(self.item, message)
		self.assertIn("17", message)
		self.assertIn("16", message)
		self.assertEqual(frappe.db.get_value("Delivery Note", remittance.name, "docstatus"), 0)
		self.assertEqual(
			(
				frappe.db.count("Stock Ledger Entry"),
				bin_qty(self.item),
				batch_stock(self.item),
				frappe.db.count("Serial and Batch Bundle"),
			),
			before,
		)


class TestStockUpdatingInvoice(BatchTestCase):
	"""A Sales Invoice that issues the goods splits its lines the same way."""

	def test_an_invoice_from_the_order_splits_a_line_first_expired_first_out(self):
		from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice

		set_flow(use_remittance=0)  # the invoice issues the goods
		order = sales_doc("Sales Order", new_customer(), [(self.item, 12)], submit=True)
		invoice = make_sales_invoice(order.name).insert()
		self.assertEqual(invoice.update_stock, 1)
		invoice.submit()
		invoice.reload()
		self.assertEqual(issued(invoice.items[0]), [(self.soon, 6), (self.late, 6)])
		self.assertEqual(batch_stock(self.item), {self.late: 4, self.old: 50})
		self.assertEqual(bin_qty(self.item), 54)

	def test_a_direct_invoice_splits_a_line_too(self):
		invoice = sales_doc("Sales Invoice", new_customer(), [(self.item, 9)], update_stock=1, submit=True)
		invoice.reload()
		self.assertEqual(issued(invoice.items[0]), [(self.soon, 6), (self.late, 3)])
		self.assertEqual(batch_stock(self.item), {self.late: 7, self.old: 50})

	def test_an_invoice_that_does_not_update_stock_is_left_alone(self):
		invoice = sales_doc("Sales Invoice", new_customer(), [(self.item, 12)], submit=True)
		self.assertFalse(invoice.items[0].serial_and_batch_bundle)
		self.assertEqual(batch_stock(self.item), {self.late: 10, self.soon: 6, self.old: 50})
