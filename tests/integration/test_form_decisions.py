"""What the forms show is decided on the server (issue 12, "JavaScript renders, the server decides"):
per line what a document is short of (CRD-6), the order form's approval and status buttons (DOC-3,
DOC-4), the credit approval buttons (CRD-2); and a Sales Invoice that does not update stock checked
against saleable stock like an order (CRD-6). Real users, real stock; each test rolls back."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import flt

from distribution_sales import roles
from distribution_sales.demo import COMPANY
from distribution_sales.order_management import flow
from distribution_sales.sales_control.api import (
	can_decide_credit,
	decide_credit_approval,
	get_credit_actions,
	get_customer_position,
	get_line_status,
	request_credit_approval,
)
from distribution_sales.sales_control.common import InsufficientStockError
from tests.integration.helpers import flow_defaults, make_customer, make_sales_person, make_user
from tests.integration.sales_control_helpers import (
	PRICE,
	WAREHOUSE,
	make_item,
	make_policy,
	new_customer,
	saleable,
	sales_doc,
)
from tests.integration.test_sales_control_concurrency import api, failure  # noqa: F401 (fixture)


def set_flow(**values):
	doc = frappe.get_doc("Distribution Settings", COMPANY)
	doc.update({**flow_defaults(), **values})
	doc.save()


def by_item(status: dict) -> dict:
	return {(s["idx"], s["item_code"]): s for s in status["lines"]}


def submitted_invoices(customer: str) -> int:
	return frappe.db.count("Sales Invoice", {"customer": customer, "docstatus": 1})


class Case(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		set_flow()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()


class TestLineStatus(Case):
	"""One server function says what each line is short of, by the rule that refuses the submit."""

	def test_each_line_of_an_order_against_real_stock(self):
		short_item, plenty = make_item(stock=10), make_item(stock=5)
		sales_doc("Sales Order", new_customer(), [(short_item, 7)], submit=True)  # 3 left saleable
		order = sales_doc("Sales Order", new_customer(), [(short_item, 2), (plenty, 1), (short_item, 2)])
		status = get_line_status(order.as_dict())
		self.assertTrue(status["refused"])
		lines = by_item(status)
		self.assertEqual(set(lines), {(1, short_item), (2, plenty), (3, short_item)})
		for idx in (1, 3):  # 2 + 2 of the same item in the same warehouse against 3 saleable
			line = lines[(idx, short_item)]
			self.assertEqual(
				(line["short"], line["saleable"], line["wanted"], line["shortage"], line["reserved"]),
				(True, 3, 4, 1, 7),
			)
			self.assertEqual((line["actual"], line["qty"], line["warehouse"]), (10, 2, WAREHOUSE))
		self.assertEqual(lines[(2, plenty)]["short"], False)
		self.assertEqual((lines[(2, plenty)]["saleable"], lines[(2, plenty)]["shortage"]), (5, 0))
		self.assertEqual(lines[(1, short_item)]["row"], order.items[0].name)

		# the submit agrees: refused while short, accepted once the server says it fits
		with self.assertRaises(InsufficientStockError):
			order.reload().submit()
		order.reload()
		order.items[2].qty = 1
		order.save()
		self.assertFalse(any(s["short"] for s in get_line_status(order.as_dict())["lines"]))
		order.submit()
		self.assertEqual(order.docstatus, 1)
		self.assertEqual(get_line_status(order.as_dict()), {"lines": [], "refused": False})

	def test_an_unsaved_form_as_the_browser_sends_it(self):
		item = make_item(stock=4)
		doc = {
			"doctype": "Sales Order",
			"name": "new-sales-order-1",
			"__islocal": 1,
			"docstatus": 0,
			"company": COMPANY,
			"customer": new_customer(),
			"delivery_date": frappe.utils.today(),
			"set_warehouse": WAREHOUSE,
			"items": [
				{"doctype": "Sales Order Item", "name": "new-sales-order-item-1", "idx": 1, "item_code": item,
					"qty": 2, "uom": "Unit", "conversion_factor": 1, "stock_qty": 2},
				{"doctype": "Sales Order Item", "name": "new-sales-order-item-2", "idx": 2, "item_code": item,
					"qty": 3, "uom": "Unit", "conversion_factor": 1, "stock_qty": 3},
				{"doctype": "Sales Order Item", "name": "new-sales-order-item-3", "idx": 3},  # an empty row
			],
		}  # fmt: skip
		before = frappe.db.count("Sales Order")
		status = get_line_status(json.dumps(doc))
		self.assertEqual(
			[(s["idx"], s["short"], s["shortage"]) for s in status["lines"]], [(1, True, 1), (2, True, 1)]
		)
		self.assertEqual(frappe.db.count("Sales Order"), before, "nothing is saved")

	def test_an_order_made_from_a_proforma_is_not_short_of_the_proformas_own_reservation(self):
		from erpnext.selling.doctype.quotation.quotation import make_sales_order

		item = make_item(stock=6)
		proforma = sales_doc("Quotation", new_customer(), [(item, 6)], submit=True)
		self.assertEqual(saleable(item), 0)
		proforma_status = get_line_status(sales_doc("Quotation", new_customer(), [(item, 1)]).as_dict())
		self.assertEqual([s["short"] for s in proforma_status["lines"]], [True])
		order = make_sales_order(proforma.name)
		order.delivery_date = frappe.utils.today()
		for row in order.items:
			row.delivery_date = order.delivery_date
		self.assertEqual(
			[(s["short"], s["saleable"]) for s in get_line_status(order.as_dict())["lines"]], [(False, 6)]
		)

	def test_the_sales_request_form_is_told_its_short_lines_but_not_refused(self):
		item, other = make_item(stock=2), make_item(stock=50)
		customer = new_customer()
		request = frappe.get_doc(
			{
				"doctype": "Sales Request",
				"company": COMPANY,
				"customer": customer,
				"transaction_date": frappe.utils.today(),
				"delivery_date": frappe.utils.today(),
				"selling_price_list": frappe.db.get_value("Price List", {"selling": 1, "enabled": 1}),
				"set_warehouse": WAREHOUSE,
				"items": [{"item_code": item, "qty": 5, "uom": "Unit"}, {"item_code": other, "qty": 5, "uom": "Unit"}],
			}
		).insert()  # fmt: skip
		status = get_line_status(request.as_dict())
		self.assertFalse(status["refused"], "a request promises nothing yet")
		self.assertEqual(
			[(s["item_code"], s["short"], s["shortage"], s["saleable"]) for s in status["lines"]],
			[(item, True, 3, 2), (other, False, 0, 50)],
		)
		position = get_customer_position(customer, COMPANY, "Sales Request")
		self.assertIn("outstanding", position)
		self.assertFalse(position["over_limit"])

	def test_the_position_says_when_the_deciding_policy_is_exceeded(self):
		item, customer = make_item(stock=10), new_customer()
		make_policy("Customer", customer, action="Warn", max_total_exposure=PRICE)
		self.assertFalse(get_customer_position(customer, COMPANY)["over_limit"])
		sales_doc("Sales Order", customer, [(item, 2)], submit=True)
		position = get_customer_position(customer, COMPANY)
		self.assertEqual((position["policy_remaining"], position["over_limit"]), (-PRICE, True))

	def test_an_invoice_of_an_order_takes_no_stock_of_its_own(self):
		from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice

		set_flow(use_remittance=0)
		item = make_item(stock=3)
		order = sales_doc("Sales Order", new_customer(), [(item, 3)], submit=True)
		self.assertEqual(get_line_status(make_sales_invoice(order.name).as_dict())["lines"], [])

	def test_a_user_who_may_not_sell_is_refused(self):
		nobody = make_user("form.nobody@test.example", [])
		order = sales_doc("Sales Order", new_customer(), [(make_item(stock=1), 1)])
		frappe.set_user(nobody)
		with self.assertRaises(frappe.PermissionError):
			get_line_status(order.as_dict())
		with self.assertRaises(frappe.PermissionError):
			get_line_status({**order.as_dict(), "name": "new-sales-order-9", "__islocal": 1})
		frappe.set_user("Administrator")
		with self.assertRaises(frappe.ValidationError):
			get_line_status({"doctype": "Delivery Note", "company": COMPANY, "items": []})


class TestOrderActions(Case):
	"""The order form's buttons are flow.order_receipts' allowed_actions: each one the server accepts,
	none it refuses (checked by calling every action, then undoing it)."""

	ALL = ("send", "approve", "return", "complete", "refund")

	def setUp(self):
		super().setUp()
		self.salesman = make_user("form.salesman@test.example", ["Sales User", roles.SALESMAN])
		self.manager = make_user(
			"form.manager@test.example", ["Sales User", roles.SALES_MANAGER, "Accounts User", "Stock User"]
		)
		person = make_sales_person(
			"Form Decisions Salesman", parent="Supervisor North", user=self.salesman, role="Salesman",
			code="FDS1",
		)  # fmt: skip
		self.customer = make_customer("Form Decisions Customer", sales_person=person)
		self.item = make_item(stock=100)

	def order(self, submit: bool = False):
		frappe.set_user(self.salesman)
		doc = sales_doc("Sales Order", self.customer, [(self.item, 2)])
		if submit:
			doc.submit()
		frappe.set_user("Administrator")
		return doc

	def allowed(self, order, user: str) -> list[str]:
		frappe.set_user(user)
		try:
			return flow.order_receipts(order.name)["allowed_actions"]
		finally:
			frappe.set_user("Administrator")

	def accepted(self, order, user: str, action: str) -> bool:
		"""Whether the server lets ``user`` do ``action`` now (undone afterwards)."""
		call = {
			"send": flow.send_for_approval,
			"approve": flow.approve_order,
			"return": flow.return_for_edit,
			"complete": flow.complete_order,
			"refund": flow.make_refund,
		}[action]
		if action == "complete" and flow.is_closed(frappe.get_doc("Sales Order", order.name)):
			return False  # complete_order answers a closed order with its status and changes nothing
		frappe.db.savepoint("action")
		frappe.set_user(user)
		try:
			call(order.name)
			return True
		except (frappe.ValidationError, frappe.PermissionError):
			return False
		finally:
			frappe.set_user("Administrator")
			frappe.db.rollback(save_point="action")

	def check(self, order, user: str, expected: list[str]):
		allowed = self.allowed(order, user)
		self.assertEqual(allowed, expected, f"{user} on {order.name}")
		for action in self.ALL:
			self.assertEqual(
				self.accepted(order, user, action),
				action in allowed,
				f"{user} may {action}: server and form differ",
			)

	def test_every_approval_state_for_a_salesman_and_a_sales_manager(self):
		set_flow(orders_need_approval=1)
		draft = self.order()
		self.check(draft, self.salesman, ["send"])
		self.check(draft, self.manager, ["send"])

		sent = self.order(submit=True)
		self.assertEqual(sent.ds_approval_state, "Sent for Approval")
		self.check(sent, self.salesman, [])
		self.check(sent, self.manager, ["approve", "return", "complete"])

		frappe.set_user(self.manager)
		flow.return_for_edit(sent.name)
		self.check(sent, self.salesman, ["send"])
		self.check(sent, self.manager, ["send", "complete"])

		frappe.set_user(self.salesman)
		flow.send_for_approval(sent.name)
		frappe.set_user(self.manager)
		flow.approve_order(sent.name)
		self.check(sent, self.salesman, [])
		self.check(sent, self.manager, ["complete"])

	def test_complete_and_refund_are_a_managers(self):
		from tests.integration.test_document_flow import receive

		order = self.order(submit=True)  # this company needs no approval by default
		self.check(order, self.salesman, [])
		self.check(order, self.manager, ["complete"])
		receive(order.name, 50_000)
		flow.complete_order(order.name)
		self.check(order, self.salesman, [])
		self.check(order, self.manager, ["refund"])
		flow.make_refund(order.name)
		self.check(order, self.manager, [])  # nothing left to refund

	def test_without_approval_a_draft_has_no_flow_buttons_and_a_cancelled_order_none(self):
		draft = self.order()
		self.check(draft, self.salesman, [])
		self.check(draft, self.manager, [])
		cancelled = self.order(submit=True)
		cancelled.reload().cancel()
		self.assertEqual(self.allowed(cancelled, self.manager), [])


class TestCreditActions(Case):
	"""The credit approval buttons come from the server: request when blocked, approve and reject for
	the roles in roles.CREDIT_DECIDERS while it waits."""

	def setUp(self):
		super().setUp()
		self.salesman = make_user("form.credit.salesman@test.example", ["Sales User"])
		self.controller = make_user(
			"form.credit.controller@test.example", ["Sales User", roles.CREDIT_CONTROLLER]
		)
		self.item = make_item(stock=100)
		self.customer = new_customer()
		make_policy("Customer", self.customer, max_total_exposure=2 * PRICE)

	def actions(self, doc, user: str) -> dict:
		frappe.set_user(user)
		try:
			return get_credit_actions(doc.doctype, doc.name)
		finally:
			frappe.set_user("Administrator")

	def test_can_decide_credit_follows_the_roles_module(self):
		self.assertFalse(can_decide_credit(self.salesman))
		self.assertTrue(can_decide_credit(self.controller))
		self.assertTrue(can_decide_credit("Administrator"))
		manager = make_user("form.credit.manager@test.example", ["Sales User", roles.SALES_MANAGER])
		self.assertFalse(can_decide_credit(manager), "a Sales Manager decides orders, not credit")

	def test_request_then_decide(self):
		within = sales_doc("Sales Order", self.customer, [(self.item, 1)])
		self.assertEqual(
			self.actions(within, self.salesman), {"allowed_actions": [], "can_decide_credit": False}
		)

		blocked = sales_doc("Sales Order", self.customer, [(self.item, 3)])
		self.assertEqual(self.actions(blocked, self.salesman)["allowed_actions"], ["request"])
		self.assertEqual(self.actions(blocked, self.controller)["allowed_actions"], ["request"])

		frappe.set_user(self.salesman)
		request_credit_approval("Sales Order", blocked.name)
		self.assertEqual(
			self.actions(blocked, self.salesman), {"allowed_actions": [], "can_decide_credit": False}
		)
		self.assertEqual(
			self.actions(blocked, self.controller),
			{"allowed_actions": ["approve", "reject"], "can_decide_credit": True},
		)
		frappe.set_user(self.salesman)
		with self.assertRaises(frappe.PermissionError):
			decide_credit_approval("Sales Order", blocked.name, 1, "myself")

		frappe.set_user(self.controller)
		decide_credit_approval("Sales Order", blocked.name, 1, "Guaranteed by the owner")
		for user in (self.salesman, self.controller):  # the approval covers it: nothing to do but submit
			self.assertEqual(self.actions(blocked, user)["allowed_actions"], [])
		frappe.set_user(self.salesman)
		with self.assertRaisesRegex(frappe.ValidationError, "covers it already"):
			request_credit_approval("Sales Order", blocked.name)

	def test_a_sales_request_has_no_credit_buttons(self):
		request = frappe.get_doc(
			{
				"doctype": "Sales Request",
				"company": COMPANY,
				"customer": self.customer,
				"transaction_date": frappe.utils.today(),
				"delivery_date": frappe.utils.today(),
				"selling_price_list": frappe.db.get_value("Price List", {"selling": 1, "enabled": 1}),
				"set_warehouse": WAREHOUSE,
				"items": [{"item_code": self.item, "qty": 3, "uom": "Unit"}],
			}
		).insert()
		self.assertEqual(self.actions(request, self.controller)["allowed_actions"], [])


class TestInvoiceWithoutStockUpdate(Case):
	"""CRD-6: an invoice that does not update stock is checked like an order and holds its goods until
	a remittance made from it delivers them; an invoice of an order or of a remittance is not counted
	again."""

	def test_refused_beyond_saleable_stock_and_nothing_changes(self):
		item, customer = make_item(stock=5), new_customer()
		invoice = sales_doc("Sales Invoice", customer, [(item, 6)])
		self.assertEqual(invoice.update_stock, 0)
		self.assertEqual(
			[(s["short"], s["shortage"]) for s in get_line_status(invoice.as_dict())["lines"]], [(True, 1)]
		)
		with self.assertRaises(InsufficientStockError) as caught:
			invoice.submit()
		self.assertIn(f"Insufficient saleable stock of <strong>{item}</strong>", str(caught.exception))
		self.assertEqual(frappe.db.get_value("Sales Invoice", invoice.name, "docstatus"), 0)
		self.assertEqual(submitted_invoices(customer), 0)
		self.assertEqual(frappe.db.count("GL Entry", {"voucher_no": invoice.name}), 0)
		self.assertEqual(saleable(item), 5)

	def test_refused_in_the_users_language(self):
		item = make_item(stock=1)
		invoice = sales_doc("Sales Invoice", new_customer(), [(item, 2)])
		frappe.local.lang = "fa"
		try:
			with self.assertRaises(InsufficientStockError) as caught:
				invoice.submit()
			expected = frappe._("Insufficient saleable stock of {0} in {1}: {2} wanted, {3} saleable")
		finally:
			frappe.local.lang = "en"
		self.assertIn("کافی نیست", expected)
		self.assertIn(
			expected.format(frappe.bold(item), WAREHOUSE, flt(2, 3), flt(1, 3)), str(caught.exception)
		)

	def test_it_holds_its_goods_until_a_remittance_of_it_delivers_them(self):
		from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_delivery_note

		item, customer = make_item(stock=10), new_customer()
		first = sales_doc("Sales Invoice", customer, [(item, 6)], submit=True)
		self.assertEqual(first.items[0].warehouse, WAREHOUSE)
		self.assertEqual(saleable(item), 4, "held like an open order")
		second = sales_doc("Sales Invoice", new_customer(), [(item, 5)])
		with self.assertRaises(InsufficientStockError):
			second.submit()
		with self.assertRaises(InsufficientStockError):
			sales_doc("Sales Order", new_customer(), [(item, 5)], submit=True)
		self.assertEqual(submitted_invoices(customer), 1)

		remittance = make_delivery_note(first.name)
		remittance.insert()
		remittance.submit()
		bin_qty = frappe.db.get_value("Bin", {"item_code": item, "warehouse": WAREHOUSE}, "actual_qty")
		self.assertEqual(flt(bin_qty), 4)
		self.assertEqual(
			saleable(item), 4, "delivered: out of the warehouse, no longer held, not counted twice"
		)
		self.assertEqual(sales_doc("Sales Invoice", new_customer(), [(item, 4)], submit=True).docstatus, 1)
		self.assertEqual(saleable(item), 0)

	def test_an_invoice_of_an_order_is_accepted_the_order_holds_the_stock(self):
		from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice

		set_flow(use_remittance=0)  # invoiced straight from the order
		item, customer = make_item(stock=10), new_customer()
		order = sales_doc("Sales Order", customer, [(item, 8)], submit=True)
		self.assertEqual(saleable(item), 2)
		invoice = make_sales_invoice(order.name).insert()
		invoice.submit()
		self.assertEqual(invoice.docstatus, 1)
		self.assertEqual(saleable(item), 2, "the order's stock left with its invoice, counted once")
		with self.assertRaises(InsufficientStockError):
			sales_doc("Sales Invoice", new_customer(), [(item, 3)], submit=True)

	def test_an_invoice_of_a_remittance_is_accepted_the_remittance_moved_the_stock(self):
		from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
		from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice

		item, customer = make_item(stock=10), new_customer()
		order = sales_doc("Sales Order", customer, [(item, 8)], submit=True)
		remittance = make_delivery_note(order.name).insert()
		remittance.submit()
		self.assertEqual(saleable(item), 2)
		invoice = make_sales_invoice(remittance.name).insert()
		self.assertEqual(invoice.update_stock, 0)
		self.assertEqual(get_line_status(invoice.as_dict())["lines"], [])
		invoice.submit()
		self.assertEqual((invoice.docstatus, submitted_invoices(customer)), (1, 1))
		self.assertEqual(saleable(item), 2)


@pytest.mark.parametrize("round_no", range(3))
def test_invoices_and_orders_submitted_at_once_share_the_stock(api, round_no):  # noqa: F811
	"""12 invoices that do not update stock and 8 orders, 1 unit each, against 10 units, all submitted
	at once over HTTP: exactly 10 pass, the others are refused with the stock message."""
	item = make_item(stock=10)
	docs = [sales_doc("Sales Invoice", new_customer(), [(item, 1)]) for _ in range(12)]
	docs += [sales_doc("Sales Order", new_customer(), [(item, 1)]) for _ in range(8)]
	frappe.db.commit()
	with ThreadPoolExecutor(max_workers=len(docs)) as pool:
		responses = list(pool.map(api.submit, [api.payload(d) for d in docs]))
	refused = [failure(r) for r in responses if r.status_code != 200]
	assert len(responses) - len(refused) == 10, refused[:3]
	assert {exc for exc, _message in refused} == {"InsufficientStockError"}, refused[:3]
	frappe.db.rollback()  # a fresh snapshot: the workers committed
	held = (
		frappe.db.sql(
			"""select count(*) from `tabSales Invoice Item` where item_code = %(item)s and docstatus = 1""",
			{"item": item},
		)[0][0]
		+ frappe.db.sql(
			"""select count(*) from `tabSales Order Item` where item_code = %(item)s and docstatus = 1""",
			{"item": item},
		)[0][0]
	)
	assert held == 10
	assert saleable(item) == 0


def test_lines_another_request_holds_are_counted_as_the_snapshot_saw_them_without_waiting(site):
	"""While the bins are held, an invoice line locked by another transaction is either a draft being
	submitted (it holds nothing yet) or a submitted line a remittance or cancellation is changing (it
	holds what the snapshot saw): neither is waited for, and only the second counts."""
	from distribution_sales.sales_control.stock import lock_positions
	from tests.integration.test_sales_control_concurrency import connect

	item = make_item(stock=10)
	submitted = sales_doc("Sales Invoice", new_customer(), [(item, 4)], submit=True)
	draft = sales_doc("Sales Invoice", new_customer(), [(item, 3)])
	frappe.db.commit()
	other = connect("REPEATABLE READ")
	try:
		other.autocommit(False)
		with other.cursor() as cur:  # as a remittance of the first and the submit of the second would
			cur.execute("begin")
			cur.execute(
				"select name from `tabSales Invoice Item` where parent in (%s, %s) for update",
				(submitted.name, draft.name),
			)
		frappe.db.rollback()
		position = lock_positions([(item, WAREHOUSE)], locking=True)[(item, WAREHOUSE)]
		assert (position.reserved_invoices, position.saleable) == (4, 6)
		frappe.db.rollback()
	finally:
		other.rollback()
		other.close()
	submitted.reload().cancel()
	frappe.delete_doc("Sales Invoice", draft.name, force=True)
	frappe.db.commit()
	assert saleable(item) == 10
