"""DOC-1..4 and DOC-6 in a real site: Sales Request > proforma > order > remittance > invoice with the
company's steps, the invoice at the order's agreed rate, receipts before approval, edit rules with real
users, completion and refund, return reasons. Each test rolls back what it did."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, flt, today

from distribution_sales.demo import ABBR, COMPANY
from distribution_sales.order_management import flow
from distribution_sales.order_management.doctype.sales_request.sales_request import (
	SalesRequestError,
	make_quotation,
	make_sales_order,
)
from distribution_sales.overrides.sales_document import MissingReturnReasonError
from tests.integration.helpers import flow_defaults, make_customer, make_sales_person, make_user

PRICE_LIST = "Standard Selling"
WAREHOUSE = f"Central Warehouse - {ABBR}"


def customer_in(group: str) -> str:
	return frappe.get_all(
		"Customer",
		{"customer_group": group, "ds_company": COMPANY, "ds_is_blacklisted": 0},
		pluck="name",
		limit=1,
		order_by="name",
	)[0]


def set_flow(**values):
	"""The demo company's document flow for this test (rolled back afterwards)."""
	doc = frappe.get_doc("Distribution Settings", COMPANY)
	doc.update({**flow_defaults(), **values})
	doc.save()


def make_request(customer: str, lines: list[tuple], submit: bool = True, **kwargs):
	doc = frappe.get_doc(
		{
			"doctype": "Sales Request",
			"company": COMPANY,
			"customer": customer,
			"transaction_date": today(),
			"delivery_date": add_days(today(), 2),
			"selling_price_list": PRICE_LIST,
			"set_warehouse": WAREHOUSE,
			"items": [{"item_code": item, "qty": qty, "uom": uom} for item, qty, uom in lines],
			**kwargs,
		}
	).insert()
	if submit:
		doc.submit()
	return doc


def make_order(customer: str, lines: list[tuple], submit: bool = True, **kwargs):
	doc = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"company": COMPANY,
			"customer": customer,
			"transaction_date": today(),
			"delivery_date": today(),
			"selling_price_list": PRICE_LIST,
			"set_warehouse": WAREHOUSE,
			"items": [
				{"item_code": item, "qty": qty, "uom": uom, "warehouse": WAREHOUSE}
				for item, qty, uom in lines
			],
			**kwargs,
		}
	).insert()
	if submit:
		doc.submit()
	return doc


def receive(sales_order: str, amount: float):
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	pe = get_payment_entry("Sales Order", sales_order, party_amount=amount)
	pe.reference_no = sales_order
	pe.reference_date = today()
	pe.insert()
	pe.submit()
	return pe


def paid_rows(doc) -> list:
	return [r for r in doc.items if not r.is_free_item]


class FlowTestCase(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		set_flow()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()


class TestSalesRequest(FlowTestCase):
	"""DOC-1: the request a visitor takes, priced by the pricing engine, refused when it is wrong."""

	def test_request_is_priced_like_the_order_it_becomes(self):
		customer = customer_in("Wholesaler")
		lines = [("DAI-001", 15, "Carton"), ("SNA-001", 30, "Unit")]
		request = make_request(customer, lines, submit=False)
		order = make_order(customer, lines, submit=False)
		self.assertEqual(
			[(r.item_code, r.qty, r.rate, r.is_free_item) for r in request.items],
			[(r.item_code, r.qty, r.rate, r.is_free_item) for r in order.items],
		)
		self.assertTrue(any(r.ds_is_scheme_free for r in request.items))  # buy 12 get 1 on snacks
		self.assertIn("Dairy Volume 5-8%", {a.scheme for a in request.ds_scheme_applications})
		self.assertAlmostEqual(request.total, order.net_total, places=0)
		self.assertEqual(request.status, "Draft")
		self.assertTrue(request.name.startswith("SR-"))
		priced = [(r.item_code, r.rate) for r in request.items]
		request.submit()
		request.reload()
		self.assertEqual([(r.item_code, r.rate) for r in request.items], priced)  # submitting keeps them
		self.assertAlmostEqual(request.total, order.net_total, places=0)

	def test_zero_or_negative_quantity_is_refused_and_nothing_saved(self):
		customer = customer_in("Grocery")
		counts = {dt: frappe.db.count(dt) for dt in ("Sales Request", "Sales Order", "Quotation")}
		for qty in (0, -2):
			with self.assertRaisesRegex(flow.FlowError, "quantity of DAI-002 must be greater than zero"):
				make_request(customer, [("DAI-001", 1, "Unit"), ("DAI-002", qty, "Unit")])
			with self.assertRaisesRegex(flow.FlowError, "quantity of DAI-002 must be greater than zero"):
				make_order(customer, [("DAI-002", qty, "Unit")])
		self.assertEqual(counts, {dt: frappe.db.count(dt) for dt in counts})

	def test_the_error_is_translated(self):
		frappe.local.lang = "fa"
		frappe.local.lang_full_dict = None
		frappe.local.jenv = None
		try:
			with self.assertRaises(flow.FlowError) as raised:
				make_request(customer_in("Grocery"), [("DAI-002", 0, "Unit")])
		finally:
			frappe.local.lang = "en"
			frappe.local.lang_full_dict = None
		self.assertNotIn("must be greater than zero", str(raised.exception))
		self.assertIn("DAI-002", str(raised.exception))

	def test_company_without_requests_refuses_them(self):
		set_flow(use_sales_request=0)
		before = frappe.db.count("Sales Request")
		with self.assertRaisesRegex(SalesRequestError, "does not use Sales Requests"):
			make_request(customer_in("Grocery"), [("DAI-001", 1, "Unit")], submit=False)
		self.assertEqual(frappe.db.count("Sales Request"), before)

	def test_a_salesman_sees_only_his_own_requests(self):
		people = {}
		for key in ("1", "2"):
			user = make_user(f"flow.salesman{key}@test.example", ["Sales User", "Salesman"])
			person = make_sales_person(
				f"Flow Salesman {key}",
				parent="Supervisor North",
				user=user,
				role="Salesman",
				code=f"FLS{key}",
			)
			people[key] = (user, make_customer(f"Flow Customer {key}", sales_person=person), person)
		mine = {}
		for key, (user, customer, person) in people.items():
			frappe.set_user(user)
			mine[key] = make_request(customer, [("DAI-001", 2, "Unit")], submit=False)
			self.assertEqual(mine[key].ds_sales_person, person)  # stamped without typing it
		frappe.set_user(people["1"][0])
		visible = set(frappe.get_list("Sales Request", pluck="name", limit_page_length=0))
		self.assertIn(mine["1"].name, visible)
		self.assertNotIn(mine["2"].name, visible)
		self.assertFalse(frappe.has_permission("Sales Request", "read", mine["2"].name))
		with self.assertRaises(frappe.PermissionError):  # nor enter one for the other's customer
			make_request(
				people["2"][1], [("DAI-001", 1, "Unit")], submit=False, ds_sales_person=people["2"][2]
			)


class TestFullFlow(FlowTestCase):
	"""DOC-1 with every step: request > proforma > order > remittance > invoice, linked both ways."""

	def test_every_step(self):
		from erpnext.selling.doctype.quotation.quotation import make_sales_order as order_from_proforma
		from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
		from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice

		payment_type = frappe.get_all("Payment Type", pluck="name", limit=1)
		request = make_request(
			customer_in("Wholesaler"),
			[("DAI-001", 15, "Carton"), ("SNA-001", 30, "Unit")],
			payment_type=payment_type[0] if payment_type else None,
		)
		self.assertEqual(request.status, "Submitted")
		with self.assertRaisesRegex(SalesRequestError, "becomes a Quotation, not a Sales Order"):
			make_sales_order(request.name)

		proforma = make_quotation(request.name)
		self.assertEqual(proforma.ds_sales_request, request.name)
		self.assertEqual(proforma.valid_till, add_days(today(), 7))
		self.assertEqual(proforma.ds_payment_type, request.payment_type)
		self.assertEqual(
			[r.ds_sales_request_item for r in proforma.items if not r.ds_is_scheme_free],
			[r.name for r in request.items if not r.ds_is_scheme_free],
		)
		proforma.insert()
		proforma.submit()
		request.reload()
		self.assertEqual((request.status, request.quotation), ("Converted", proforma.name))
		with self.assertRaisesRegex(SalesRequestError, "already converted"):
			make_quotation(request.name)

		order = order_from_proforma(proforma.name)
		order.delivery_date = today()
		order.insert()
		self.assertEqual(order.ds_sales_request, request.name)
		self.assertEqual([r.prevdoc_docname for r in order.items], [proforma.name] * len(order.items))
		# the proforma's prices and free goods hold, and are not given twice
		self.assertEqual(
			[(r.item_code, r.qty, r.rate) for r in order.items],
			[(r.item_code, r.qty, r.rate) for r in proforma.items],
		)
		self.assertEqual(
			sorted(a.scheme for a in order.ds_scheme_applications),
			sorted(a.scheme for a in proforma.ds_scheme_applications),
		)
		order.submit()
		request.reload()
		self.assertEqual(request.sales_order, order.name)

		remittance = make_delivery_note(order.name)
		remittance.insert()
		remittance.submit()
		self.assertEqual({r.against_sales_order for r in remittance.items}, {order.name})

		invoice = make_sales_invoice(remittance.name)
		invoice.insert()
		invoice.submit()
		self.assertEqual({r.delivery_note for r in invoice.items}, {remittance.name})
		self.assertEqual({r.sales_order for r in invoice.items}, {order.name})
		self.assertAlmostEqual(invoice.grand_total, order.grand_total, places=0)
		order.reload()
		self.assertEqual((order.per_delivered, order.per_billed), (100, 100))

	def test_cancelling_the_proforma_frees_the_request(self):
		request = make_request(customer_in("Grocery"), [("DAI-001", 2, "Unit")])
		proforma = make_quotation(request.name).insert()
		proforma.submit()
		proforma.cancel()
		request.reload()
		self.assertEqual((request.status, request.quotation), ("Submitted", None))
		self.assertTrue(make_quotation(request.name).ds_sales_request)


class TestSkippedSteps(FlowTestCase):
	"""DOC-1: each company chooses its steps; skipped steps map straight through."""

	def test_no_proforma_request_becomes_an_order(self):
		set_flow(use_proforma=0)
		request = make_request(customer_in("Grocery"), [("DAI-001", 3, "Unit")])
		with self.assertRaisesRegex(SalesRequestError, "becomes a Sales Order, not a Quotation"):
			make_quotation(request.name)
		order = make_sales_order(request.name)
		self.assertEqual(order.items[0].ds_sales_request_item, request.items[0].name)
		self.assertEqual(str(order.delivery_date), str(request.delivery_date))
		order.insert()
		order.submit()
		request.reload()
		self.assertEqual((request.status, request.sales_order), ("Converted", order.name))

	def test_no_remittance_the_invoice_issues_the_goods(self):
		from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice

		set_flow(use_remittance=0)
		order = make_order(customer_in("Grocery"), [("DAI-003", 4, "Unit")])
		before = flt(
			frappe.db.get_value("Bin", {"item_code": "DAI-003", "warehouse": WAREHOUSE}, "actual_qty")
		)
		invoice = make_sales_invoice(order.name)
		invoice.insert()
		self.assertEqual(invoice.update_stock, 1)
		invoice.submit()
		after = flt(
			frappe.db.get_value("Bin", {"item_code": "DAI-003", "warehouse": WAREHOUSE}, "actual_qty")
		)
		self.assertEqual(before - after, 4)
		order.reload()
		self.assertEqual((order.per_delivered, order.per_billed), (100, 100))

	def test_with_remittance_an_order_is_not_invoiced_directly(self):
		from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice

		order = make_order(customer_in("Grocery"), [("DAI-003", 4, "Unit")])
		before = frappe.db.count("Sales Invoice")
		with self.assertRaisesRegex(
			flow.FlowError, "make the invoice of Sales Order .* from its Delivery Note"
		):
			make_sales_invoice(order.name).insert()
		self.assertEqual(frappe.db.count("Sales Invoice"), before)

	def test_no_request_no_proforma_order_straight_to_invoice(self):
		set_flow(use_sales_request=0, use_proforma=0, use_remittance=0)
		self.assertEqual(flow.get_flow(COMPANY).steps(), ("Sales Order", "Sales Invoice"))


class TestExpiredProforma(FlowTestCase):
	"""An expired proforma does not become an order: a clear message, nothing saved."""

	def test_expired_proforma_is_refused(self):
		from erpnext.selling.doctype.quotation.quotation import _make_sales_order

		request = make_request(customer_in("Grocery"), [("DAI-001", 2, "Unit")])
		proforma = make_quotation(request.name).insert()
		proforma.submit()
		# ten days on, the proforma's week is over
		proforma.db_set({"transaction_date": add_days(today(), -10), "valid_till": add_days(today(), -3)})
		before = frappe.db.count("Sales Order")
		order = _make_sales_order(proforma.name)  # ERPNext's own check bypassed: ours still holds
		order.delivery_date = today()
		with self.assertRaisesRegex(flow.ExpiredProformaError, f"Proforma {proforma.name} expired on"):
			order.insert()
		self.assertEqual(frappe.db.count("Sales Order"), before)
		request.reload()
		self.assertIsNone(request.sales_order)


class TestInvoiceAtAgreedRate(FlowTestCase):
	"""DOC-2: the invoice bills the delivered quantity at the order's rate, whatever changed since."""

	def test_partial_delivery_invoiced_at_the_agreed_rate_after_a_price_change(self):
		from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
		from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice

		order = make_order(customer_in("Wholesaler"), [("DAI-001", 15, "Carton"), ("BEV-002", 10, "Unit")])
		agreed = {r.item_code: r.rate for r in paid_rows(order)}
		self.assertTrue(order.ds_scheme_applications)  # schemes gave discounts on the order
		# prices double and the schemes end
		prices = frappe.get_all(
			"Item Price",
			{"price_list": PRICE_LIST, "item_code": ("in", list(agreed))},
			["name", "price_list_rate"],
		)
		for price in prices:
			frappe.db.set_value("Item Price", price.name, "price_list_rate", 2 * price.price_list_rate)
		frappe.db.set_value("Distribution Price", {"item_code": ("in", list(agreed))}, "rate", 10**9)
		frappe.db.set_value("Trade Scheme", {"company": COMPANY}, "disabled", 1)

		remittance = make_delivery_note(order.name)
		for row in remittance.items:
			row.qty = row.qty / 3 if row.item_code == "DAI-001" else 4
		remittance.insert()
		remittance.submit()
		invoice = make_sales_invoice(remittance.name)
		invoice.insert()
		delivered = {r.item_code: r.qty for r in paid_rows(remittance)}
		self.assertEqual({r.item_code: r.qty for r in paid_rows(invoice)}, delivered)
		self.assertEqual({r.item_code: r.rate for r in paid_rows(invoice)}, agreed)
		invoice.submit()
		self.assertAlmostEqual(invoice.net_total, sum(agreed[i] * q for i, q in delivered.items()), places=0)
		order.reload()
		billed = {r.item_code: r.billed_amt for r in paid_rows(order)}
		self.assertEqual(billed, {i: agreed[i] * q for i, q in delivered.items()})

	def test_free_goods_of_the_order_stay_free_on_the_invoice(self):
		from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
		from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice

		order = make_order(customer_in("Grocery"), [("SNA-001", 24, "Unit")])
		self.assertEqual([r.qty for r in order.items if r.ds_is_scheme_free], [2])
		remittance = make_delivery_note(order.name).insert()
		remittance.submit()
		invoice = make_sales_invoice(remittance.name).insert()
		free = [r for r in invoice.items if r.is_free_item]
		self.assertEqual([(r.qty, r.rate, r.ds_is_scheme_free) for r in free], [(2, 0, 1)])
		self.assertEqual(len(invoice.items), 2)  # the invoice adds no free goods of its own


class TestReceipts(FlowTestCase):
	"""DOC-3: several partial receipts against an order, before it is approved."""

	def test_partial_receipts_before_approval(self):
		set_flow(orders_need_approval=1)
		salesman = make_user("flow.receipts@test.example", ["Sales User", "Salesman"])
		person = make_sales_person(
			"Flow Receipts Salesman", parent="Supervisor North", user=salesman, role="Salesman", code="FLR1"
		)
		customer = make_customer("Flow Receipts Customer", sales_person=person)
		frappe.set_user(salesman)
		order = make_order(customer, [("BEV-002", 10, "Unit")], submit=False)
		self.assertEqual(flow.send_for_approval(order.name), "Sent for Approval")
		frappe.set_user("Administrator")
		order.reload()
		self.assertEqual((order.docstatus, order.ds_approval_state), (1, "Sent for Approval"))

		first, second = receive(order.name, 1_000_000), receive(order.name, 2_500_000)
		self.assertEqual(
			{first.references[0].reference_name, second.references[0].reference_name}, {order.name}
		)
		order.reload()
		self.assertEqual(order.advance_paid, 3_500_000)
		self.assertEqual(order.ds_approval_state, "Sent for Approval")  # still not approved
		summary = flow.order_receipts(order.name)
		self.assertEqual(summary["received"], 3_500_000)
		self.assertEqual(summary["remaining"], order.grand_total - 3_500_000)
		# more than what is left is refused, and nothing is booked
		before = frappe.db.count("Payment Entry")
		with self.assertRaises(frappe.ValidationError):
			receive(order.name, order.grand_total)
		self.assertEqual(frappe.db.count("Payment Entry"), before)
		self.assertEqual(frappe.db.get_value("Sales Order", order.name, "advance_paid"), 3_500_000)


class TestEditRules(FlowTestCase):
	"""DOC-4 with real users: the salesperson edits until the order goes for approval, then only a
	Sales Manager, unless it is returned for edit; delivery waits for approval."""

	def setUp(self):
		super().setUp()
		set_flow(orders_need_approval=1)
		self.salesman = make_user("flow.editor@test.example", ["Sales User", "Salesman"])
		self.manager = make_user("flow.manager@test.example", ["Sales User", "Sales Manager", "Stock User"])
		person = make_sales_person(
			"Flow Editing Salesman",
			parent="Supervisor North",
			user=self.salesman,
			role="Salesman",
			code="FLE1",
		)
		self.customer = make_customer("Flow Editing Customer", sales_person=person)

	def update_qty(self, order, qty: float):
		row = order.items[0]
		item = {"docname": row.name, "item_code": row.item_code, "qty": qty, "rate": row.rate, "uom": row.uom}
		item.update(conversion_factor=row.conversion_factor, delivery_date=str(row.delivery_date))
		items = [item]
		flow.update_items("Sales Order", json.dumps(items), order.name)

	def test_salesman_edits_until_sent_then_only_the_manager(self):
		from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note

		frappe.set_user(self.salesman)
		order = make_order(self.customer, [("DAI-001", 5, "Unit")], submit=False)
		order.items[0].qty = 6
		order.save()  # a draft: the salesman edits
		flow.send_for_approval(order.name)
		order.reload()
		with self.assertRaisesRegex(frappe.PermissionError, "only a Sales Manager may change or cancel it"):
			self.update_qty(order, 7)
		with self.assertRaisesRegex(frappe.PermissionError, "only a Sales Manager"):
			order.cancel()
		with self.assertRaisesRegex(flow.ApprovalError, "Only a Sales Manager"):
			flow.approve_order(order.name)
		self.assertEqual(frappe.db.get_value("Sales Order Item", order.items[0].name, "qty"), 6)

		frappe.set_user("Administrator")
		with self.assertRaisesRegex(flow.ApprovalError, "is not approved yet"):
			make_delivery_note(order.name).insert()

		frappe.set_user(self.manager)
		self.update_qty(order, 8)  # a manager may
		self.assertEqual(frappe.db.get_value("Sales Order Item", order.items[0].name, "qty"), 8)
		self.assertEqual(flow.return_for_edit(order.name), "Returned for Edit")

		frappe.set_user(self.salesman)
		order.reload()
		self.update_qty(order, 9)  # returned: the salesman edits again, then sends it again
		self.assertEqual(frappe.db.get_value("Sales Order Item", order.items[0].name, "qty"), 9)
		self.assertEqual(flow.send_for_approval(order.name), "Sent for Approval")
		with self.assertRaises(frappe.PermissionError):
			self.update_qty(order.reload() or order, 10)

		frappe.set_user(self.manager)
		self.assertEqual(flow.approve_order(order.name), "Approved")
		frappe.set_user("Administrator")
		remittance = make_delivery_note(order.name).insert()
		self.assertEqual(remittance.items[0].qty, 9)

	def test_a_managers_own_order_is_approved_when_submitted(self):
		frappe.set_user(self.manager)
		order = make_order(self.customer, [("DAI-001", 2, "Unit")])
		self.assertEqual(order.ds_approval_state, "Approved")


class TestCompleteAndRefund(FlowTestCase):
	"""DOC-4: a manager completes an order and refunds what was received and not invoiced."""

	def test_complete_then_refund_the_unused_advance(self):
		from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
		from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice

		order = make_order(customer_in("Grocery"), [("BEV-002", 10, "Unit")])
		receive(order.name, order.grand_total)
		with self.assertRaisesRegex(flow.FlowError, "Complete the order before refunding"):
			flow.make_refund(order.name)
		remittance = make_delivery_note(order.name)
		remittance.items[0].qty = 6
		remittance.insert()
		remittance.submit()
		make_sales_invoice(remittance.name).insert().submit()

		salesman = make_user("flow.closer@test.example", ["Sales User", "Salesman"])
		frappe.set_user(salesman)
		with self.assertRaises(frappe.PermissionError):
			flow.complete_order(order.name)
		frappe.set_user("Administrator")
		self.assertEqual(flow.complete_order(order.name), "Closed")
		summary = flow.order_receipts(order.name)
		unused = order.grand_total - order.items[0].rate * 6
		self.assertAlmostEqual(summary["refundable"], unused, places=0)
		with self.assertRaisesRegex(flow.FlowError, "At most"):
			flow.make_refund(order.name, unused + 1)

		refund = frappe.get_doc("Payment Entry", flow.make_refund(order.name))
		self.assertEqual((refund.payment_type, refund.party, refund.docstatus), ("Pay", order.customer, 1))
		self.assertAlmostEqual(refund.paid_amount, unused, places=0)
		self.assertEqual(refund.ds_refund_of, order.name)
		self.assertEqual(flow.order_receipts(order.name)["refundable"], 0)
		with self.assertRaisesRegex(flow.FlowError, "At most 0"):
			flow.make_refund(order.name, 1)


class TestReturnReason(FlowTestCase):
	"""DOC-6 (ORG-6): returns of the flow's remittance and invoice need a return reason."""

	def test_returns_need_a_reason(self):
		from erpnext.controllers.sales_and_purchase_return import make_return_doc
		from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
		from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice

		order = make_order(customer_in("Grocery"), [("DAI-001", 5, "Unit")])
		remittance = make_delivery_note(order.name).insert()
		remittance.submit()
		invoice = make_sales_invoice(remittance.name).insert()
		invoice.submit()
		reason = frappe.get_all("Return Reason", {"disabled": 0}, pluck="name", limit=1)[0]
		for doctype, source in (("Delivery Note", remittance.name), ("Sales Invoice", invoice.name)):
			ret = make_return_doc(doctype, source)
			ret.items[0].qty = -1
			if doctype == "Sales Invoice":
				ret.update_stock = 0
			ret.insert()
			with self.assertRaisesRegex(MissingReturnReasonError, "Choose a Return Reason"):
				ret.submit()
			self.assertEqual(frappe.db.get_value(doctype, ret.name, "docstatus"), 0)
			ret.reload()
			ret.ds_return_reason = reason
			ret.save()
			ret.submit()
			self.assertEqual(frappe.db.get_value(doctype, ret.name, "ds_return_reason"), reason)
