"""CRD-1, CRD-2 with ERPNext's own customer credit limits (Customer > Credit Limits).

The app decides them as one more blocking policy of the customer, under the same row locks and with
the same locking reads as its Credit Policies, where ERPNext checks them (Sales Order, Sales Invoice);
ERPNext's own unlocked check no longer decides the submits the app decides. In-process tests roll
back; the concurrency tests at the end commit their records and submit over HTTP as
test_sales_control_concurrency.py does.
"""

import os
from concurrent.futures import ThreadPoolExecutor

import pytest

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import fmt_money

from distribution_sales.demo import COMPANY
from distribution_sales.sales_control.api import decide_credit_approval, request_credit_approval
from distribution_sales.sales_control.common import CreditLimitError
from tests.integration.helpers import flow_defaults, make_user
from tests.integration.sales_control_helpers import (
	PRICE,
	make_item,
	make_policy,
	new_customer,
	sales_doc,
	unique,
)
from tests.integration.test_sales_control_concurrency import Api, connect, failure, scalar

ROUNDS = int(os.environ.get("DS_CONCURRENCY_ROUNDS", "3"))
USED = "Outstanding, Open Orders and Unbilled Deliveries"


def set_credit_limit(party: str, limit: float, bypass: int = 0, doctype: str = "Customer"):
	"""ERPNext's own credit limit of ``party`` in the demo company, as a user sets it on the form."""
	doc = frappe.get_doc(doctype, party)
	doc.append(
		"credit_limits", {"company": COMPANY, "credit_limit": limit, "bypass_credit_limit_check": bypass}
	)
	doc.save(ignore_permissions=True)


def money(amount: float) -> str:
	return fmt_money(amount, 0, "IRR")


def submitted(doctype: str, customer: str) -> int:
	return frappe.db.count(doctype, {"customer": customer, "docstatus": 1})


def in_language(lang: str, action):
	"""Run ``action`` with the session in ``lang``; returns the exception it raised."""
	frappe.local.lang = lang
	frappe.local.lang_full_dict = None
	try:
		action()
	except CreditLimitError as e:
		return e
	finally:
		frappe.local.lang = "en"
		frappe.local.lang_full_dict = None
	raise AssertionError("no CreditLimitError")


class TestErpnextCreditLimit(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.item = make_item(stock=100)
		self.customer = new_customer()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_the_limit_blocks_with_a_translated_message_naming_the_limit_and_the_customer(self):
		set_credit_limit(self.customer, 3.5 * PRICE)
		first = sales_doc("Sales Order", self.customer, [(self.item, 3)], submit=True)
		self.assertEqual(first.docstatus, 1)
		self.assertNotIn("check_credit_limit", first.__dict__, "ERPNext's check is back on the document")
		second = sales_doc("Sales Order", self.customer, [(self.item, 1)])

		error = in_language("en", lambda: second.reload().submit())
		message = str(error)
		self.assertIn(f"Credit Limit of Customer {self.customer} in {COMPANY}", message)
		self.assertIn(USED, message)
		self.assertIn(money(4 * PRICE), message)  # the figure it would reach
		self.assertIn(money(3.5 * PRICE), message)  # the limit
		self.assertNotIn("Credit limit has been crossed", message)  # ERPNext's own message

		error = in_language("fa", lambda: second.reload().submit())
		message = str(error)
		self.assertIn(f"سقف اعتبار مشتری {self.customer} در {COMPANY}", message)
		self.assertNotIn("Credit Limit of Customer", message)
		self.assertNotIn(USED, message)

		# unchanged: the order is a draft without a credit log, the customer has one submitted order
		self.assertEqual(frappe.db.get_value("Sales Order", second.name, "docstatus"), 0)
		self.assertEqual(frappe.db.count("Credit Check Log", {"parent": second.name}), 0)
		self.assertEqual(submitted("Sales Order", self.customer), 1)

	def test_the_limit_of_the_customers_group_applies_when_the_customer_has_none(self):
		group = unique("Limit Group")
		frappe.get_doc(
			{
				"doctype": "Customer Group",
				"customer_group_name": group,
				"parent_customer_group": "Supermarket",
			}
		).insert(ignore_permissions=True)
		set_credit_limit(group, 2.5 * PRICE, doctype="Customer Group")
		customer = new_customer(customer_group=group)
		sales_doc("Sales Order", customer, [(self.item, 2)], submit=True)
		third = sales_doc("Sales Order", customer, [(self.item, 1)])
		with self.assertRaises(CreditLimitError) as caught:
			third.submit()
		self.assertIn(
			f"Credit Limit of Customer Group {group} in {COMPANY}, for Customer {customer}",
			str(caught.exception),
		)
		self.assertEqual(frappe.db.get_value("Sales Order", third.name, "docstatus"), 0)
		self.assertEqual(submitted("Sales Order", customer), 1)

	def test_bypass_lets_orders_through_and_invoices_are_judged_without_the_orders(self):
		set_credit_limit(self.customer, 2.5 * PRICE, bypass=1)
		order = sales_doc("Sales Order", self.customer, [(self.item, 5)], submit=True)
		self.assertEqual(order.docstatus, 1, "the bypass is for orders, as in ERPNext")
		# an invoice is still checked, on its receivable (and unbilled deliveries), not the open order
		invoice = sales_doc("Sales Invoice", self.customer, [(self.item, 2)], submit=True)
		self.assertEqual(invoice.docstatus, 1)
		third = sales_doc("Sales Invoice", self.customer, [(self.item, 1)])
		with self.assertRaises(CreditLimitError) as caught:
			third.submit()
		self.assertIn("Outstanding and Unbilled Deliveries", str(caught.exception))
		self.assertIn(money(3 * PRICE), str(caught.exception))
		# unchanged: the invoice is a draft, nothing was booked for it
		self.assertEqual(frappe.db.get_value("Sales Invoice", third.name, "docstatus"), 0)
		self.assertEqual(frappe.db.count("GL Entry", {"voucher_no": third.name}), 0)
		self.assertEqual(submitted("Sales Invoice", self.customer), 1)

	def test_an_invoice_of_an_order_is_not_judged_again_a_new_order_is(self):
		doc = frappe.get_doc("Distribution Settings", COMPANY)
		doc.update({**flow_defaults(), "use_remittance": 0})  # invoiced straight from the order
		doc.save()
		set_credit_limit(self.customer, 3.5 * PRICE)
		order = sales_doc("Sales Order", self.customer, [(self.item, 3)], submit=True)
		# the limit is lowered under what the customer already uses (the form would refuse that)
		frappe.db.set_value(
			"Customer Credit Limit", {"parent": self.customer, "company": COMPANY}, "credit_limit", 2 * PRICE
		)
		from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice

		invoice = make_sales_invoice(order.name)
		invoice.insert(ignore_permissions=True)
		invoice.submit()  # its order was counted when it was accepted: ERPNext does not check it
		self.assertEqual(invoice.docstatus, 1)
		again = sales_doc("Sales Order", self.customer, [(self.item, 1)])
		with self.assertRaises(CreditLimitError):
			again.submit()
		self.assertEqual(frappe.db.get_value("Sales Order", again.name, "docstatus"), 0)

	def test_goods_delivered_without_an_order_count_until_invoiced(self):
		set_credit_limit(self.customer, 3.5 * PRICE)
		delivery = sales_doc("Delivery Note", self.customer, [(self.item, 2)], submit=True)
		self.assertEqual(delivery.docstatus, 1)
		order = sales_doc("Sales Order", self.customer, [(self.item, 2)])
		with self.assertRaises(CreditLimitError) as caught:
			order.submit()
		self.assertIn(money(4 * PRICE), str(caught.exception))  # 2 delivered + 2 ordered
		self.assertEqual(frappe.db.get_value("Sales Order", order.name, "docstatus"), 0)
		self.assertEqual(sales_doc("Sales Order", self.customer, [(self.item, 1)], submit=True).docstatus, 1)

	def test_a_credit_policy_stricter_than_the_limit_still_decides(self):
		set_credit_limit(self.customer, 10 * PRICE)
		policy = make_policy("Customer", self.customer, max_total_exposure=2.5 * PRICE)
		sales_doc("Sales Order", self.customer, [(self.item, 2)], submit=True)
		third = sales_doc("Sales Order", self.customer, [(self.item, 1)])
		with self.assertRaises(CreditLimitError) as caught:
			third.submit()
		message = str(caught.exception)
		self.assertIn(policy, message)
		self.assertIn("Total Exposure", message)
		self.assertNotIn("Credit Limit of Customer", message)  # ERPNext's limit is not breached
		self.assertEqual(frappe.db.get_value("Sales Order", third.name, "docstatus"), 0)
		self.assertEqual(submitted("Sales Order", self.customer), 1)

	def test_a_looser_credit_policy_does_not_lift_the_limit(self):
		set_credit_limit(self.customer, 2.5 * PRICE)
		make_policy("Customer", self.customer, max_total_exposure=20 * PRICE)
		third = sales_doc("Sales Order", self.customer, [(self.item, 3)])
		with self.assertRaises(CreditLimitError) as caught:
			third.submit()
		self.assertIn(f"Credit Limit of Customer {self.customer}", str(caught.exception))
		self.assertEqual(submitted("Sales Order", self.customer), 0)

	def test_saving_a_draft_over_the_limit_warns(self):
		set_credit_limit(self.customer, 2.5 * PRICE)
		frappe.clear_messages()
		draft = sales_doc("Sales Order", self.customer, [(self.item, 3)])
		self.assertEqual(draft.docstatus, 0)
		warnings = " ".join(m.get("message", "") for m in frappe.get_message_log())
		self.assertIn(f"Credit Limit of Customer {self.customer}", warnings)
		self.assertIn("It cannot be submitted without credit approval.", warnings)


class TestApprovalOfAnErpnextLimit(FrappeTestCase):
	"""CRD-2 covers a block by ERPNext's limit: the approved order submits, although ERPNext's own
	check (which would refuse it) still holds the customer over its limit."""

	def setUp(self):
		frappe.set_user("Administrator")
		self.item = make_item(stock=100)
		self.customer = new_customer()
		set_credit_limit(self.customer, 3.5 * PRICE)
		sales_doc("Sales Order", self.customer, [(self.item, 3)], submit=True)
		self.controller = make_user("limit.controller@example.com", ["Credit Controller", "Sales User"])
		self.salesman = make_user("limit.salesman@example.com", ["Sales User"])

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_an_approved_order_over_the_limit_submits_with_a_log(self):
		from erpnext.selling.doctype.customer.customer import check_credit_limit

		order = sales_doc("Sales Order", self.customer, [(self.item, 2)])
		with self.assertRaises(CreditLimitError):
			order.reload().submit()
		frappe.set_user(self.salesman)
		self.assertEqual(request_credit_approval("Sales Order", order.name), "Pending Approval")
		# a salesman cannot decide: refused, the order stays pending and its assignments open
		todos = frappe.get_all(
			"ToDo", {"reference_name": order.name}, ["name", "status", "allocated_to"], order_by="name"
		)
		self.assertIn(self.controller, {t.allocated_to for t in todos})
		with self.assertRaises(frappe.PermissionError):
			decide_credit_approval("Sales Order", order.name, 1, "I approve myself")
		self.assertEqual(
			frappe.db.get_value("Sales Order", order.name, "ds_credit_state"), "Pending Approval"
		)
		self.assertEqual(
			frappe.get_all(
				"ToDo", {"reference_name": order.name}, ["name", "status", "allocated_to"], order_by="name"
			),
			todos,
		)
		frappe.set_user(self.controller)
		self.assertEqual(decide_credit_approval("Sales Order", order.name, 1, "Pays on Monday"), "Approved")
		frappe.set_user("Administrator")
		order.reload()
		order.submit()
		self.assertEqual(order.docstatus, 1)
		self.assertEqual(
			[r.event for r in order.ds_credit_log],
			["Sent for Approval", "Approved", "Submitted with Approval"],
		)
		self.assertIn(f"Credit Limit of Customer {self.customer}", order.ds_credit_log[0].explanation)
		self.assertEqual(
			set(frappe.get_all("ToDo", {"reference_name": order.name}, pluck="status")), {"Closed"}
		)
		# ERPNext's own check would have refused it: the customer is over its limit
		with self.assertRaises(frappe.ValidationError):
			check_credit_limit(self.customer, COMPANY)

	def test_a_rejected_order_stays_blocked(self):
		order = sales_doc("Sales Order", self.customer, [(self.item, 2)])
		request_credit_approval("Sales Order", order.name)
		frappe.set_user(self.controller)
		decide_credit_approval("Sales Order", order.name, 0, "Too much open debt")
		frappe.set_user("Administrator")
		todos = frappe.get_all(
			"ToDo", {"reference_name": order.name, "role": "Credit Controller"}, pluck="status"
		)
		self.assertIn("Closed", todos)
		self.assertEqual(set(todos), {"Closed"})
		with self.assertRaises(CreditLimitError):
			order.reload().submit()
		self.assertEqual(frappe.db.get_value("Sales Order", order.name, "docstatus"), 0)
		self.assertEqual(submitted("Sales Order", self.customer), 1)


# --- concurrency over HTTP -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def api(site, server):
	return Api(server, site)


@pytest.mark.parametrize("round_no", range(ROUNDS))
def test_ten_orders_against_an_erpnext_limit_that_fits_four(api, round_no):
	frappe.set_user("Administrator")
	item = make_item(stock=100)
	customer = new_customer()
	set_credit_limit(customer, 4.5 * PRICE)
	orders = [sales_doc("Sales Order", customer, [(item, 1)]) for _ in range(10)]
	frappe.db.commit()
	with ThreadPoolExecutor(max_workers=10) as pool:
		responses = list(pool.map(api.submit, [api.payload(o) for o in orders]))
	passed = [r for r in responses if r.status_code == 200]
	refused = [failure(r) for r in responses if r.status_code != 200]
	print(f"round {round_no}: {len(passed)} of 10 passed")
	assert len(passed) == 4, [r.text[:300] for r in responses if r.status_code != 200][:3]
	assert {exc for exc, _m in refused} == {"CreditLimitError"}, refused[:3]
	for _exc, message in refused:
		assert f"Credit Limit of Customer {customer} in {COMPANY}" in message, message
		assert money(4.5 * PRICE) in message and money(5 * PRICE) in message, message
	watch = connect()
	assert (
		scalar(watch, "select count(*) from `tabSales Order` where customer = %s and docstatus = 1", customer)
		== 4
	)
	# the refused six are untouched drafts
	assert (
		scalar(watch, "select count(*) from `tabSales Order` where customer = %s and docstatus = 0", customer)
		== 6
	)
	watch.close()
