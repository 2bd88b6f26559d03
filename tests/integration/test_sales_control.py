"""Credit policies, approval, blacklist, quotas, saleable stock and reservations in a real site (CRD-1..7).

Concurrency over HTTP is in test_sales_control_concurrency.py."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, flt, today

from distribution_sales.demo import COMPANY
from distribution_sales.sales_control.api import (
	decide_credit_approval,
	get_customer_position,
	request_credit_approval,
)
from distribution_sales.sales_control.common import (
	BlacklistedCustomerError,
	CreditLimitError,
	InsufficientStockError,
	QuotaExceededError,
)
from distribution_sales.sales_control.stock import expire_proforma_reservations
from distribution_sales.utils import DistributionValidationError
from tests.integration.helpers import make_user
from tests.integration.sales_control_helpers import (
	PRICE,
	WAREHOUSE,
	make_item,
	make_policy,
	make_quota,
	new_customer,
	receive,
	saleable,
	sales_doc,
	unique,
)


def count(doctype: str, **filters) -> int:
	return frappe.db.count(doctype, filters)


class TestBlacklistAndBadInput(FrappeTestCase):
	def test_blacklisted_customer_cannot_be_quoted_ordered_or_invoiced(self):
		item = make_item(stock=10)
		customer = new_customer()
		frappe.db.set_value(
			"Customer", customer, {"ds_is_blacklisted": 1, "ds_blacklist_reason": "Bounced cheques"}
		)
		for doctype in ("Quotation", "Sales Order", "Sales Invoice"):
			before = count(doctype)
			with self.assertRaises(BlacklistedCustomerError):
				sales_doc(doctype, customer, [(item, 1)])
			self.assertEqual(count(doctype), before, f"no {doctype} saved")

	def test_zero_or_negative_quantity_is_refused_and_nothing_saved(self):
		item = make_item(stock=10)
		customer = new_customer()
		for qty in (0, -3):
			before = count("Sales Order")
			with self.assertRaises(frappe.ValidationError):
				sales_doc("Sales Order", customer, [(item, qty)])
			self.assertEqual(count("Sales Order"), before)

	def test_a_policy_without_a_scope_is_refused(self):
		before = count("Credit Policy")
		with self.assertRaises(DistributionValidationError) as caught:
			frappe.get_doc(
				{
					"doctype": "Credit Policy",
					"policy_name": unique("No Scope"),
					"company": COMPANY,
					"applies_to": "Customer",
					"party": "",
					"action": "Block",
					"max_outstanding": 1000,
				}
			).insert(ignore_permissions=True)
		self.assertIn("scope", str(caught.exception))
		self.assertEqual(count("Credit Policy"), before)

	def test_a_policy_without_limits_is_refused(self):
		before = count("Credit Policy")
		with self.assertRaises(DistributionValidationError):
			make_policy("Customer", new_customer())
		self.assertEqual(count("Credit Policy"), before)


class TestCreditPolicies(FrappeTestCase):
	def test_block_policy_stops_the_order_that_would_pass_the_limit(self):
		item = make_item(stock=100)
		customer = new_customer()
		make_policy("Customer", customer, max_total_exposure=3.5 * PRICE)
		sales_doc("Sales Order", customer, [(item, 3)], submit=True)  # 3 of 3.5 used
		second = sales_doc("Sales Order", customer, [(item, 1)])
		with self.assertRaises(CreditLimitError) as caught:
			second.submit()
		self.assertIn("Total Exposure", str(caught.exception))
		self.assertEqual(frappe.db.get_value("Sales Order", second.name, "docstatus"), 0)

	def test_warn_policy_lets_it_through_with_the_explanation(self):
		item = make_item(stock=100)
		customer = new_customer()
		make_policy("Customer", customer, action="Warn", max_total_exposure=PRICE)
		frappe.clear_messages()
		order = sales_doc("Sales Order", customer, [(item, 3)], submit=True)
		self.assertEqual(order.docstatus, 1)
		self.assertTrue(any("Total Exposure" in m.get("message", "") for m in frappe.get_message_log()))

	def test_the_customers_own_policy_decides_over_its_groups(self):
		item = make_item(stock=100)
		group = unique("Credit Group")
		parent = unique("Credit Parent")
		for name, above in ((parent, "Supermarket"), (group, parent)):
			frappe.get_doc(
				{
					"doctype": "Customer Group",
					"customer_group_name": name,
					"parent_customer_group": above,
					"is_group": name == parent,
				}
			).insert(ignore_permissions=True)
		strict, lenient = new_customer(customer_group=group), new_customer(customer_group=group)
		make_policy("Customer Group", parent, max_total_exposure=PRICE)  # farther group: ignored
		make_policy("Customer Group", group, max_total_exposure=2 * PRICE)  # nearer group decides
		make_policy("Customer", lenient, max_total_exposure=10 * PRICE)  # the customer's own decides
		self.assertEqual(sales_doc("Sales Order", strict, [(item, 2)], submit=True).docstatus, 1)
		with self.assertRaises(CreditLimitError):
			sales_doc("Sales Order", strict, [(item, 3)], submit=True)
		self.assertEqual(sales_doc("Sales Order", lenient, [(item, 9)], submit=True).docstatus, 1)

	def test_payment_type_and_document_filters(self):
		item = make_item(stock=100)
		customer = new_customer()
		make_policy(
			"Customer",
			customer,
			max_open_orders=PRICE,
			payment_types=["Credit 30 Days"],
			documents=["check_sales_order"],
		)
		cash = sales_doc("Sales Order", customer, [(item, 5)], ds_payment_type="Cash", submit=True)
		self.assertEqual(cash.docstatus, 1, "cash sales are not checked by a credit-only policy")
		quotation = sales_doc(
			"Quotation", customer, [(item, 5)], ds_payment_type="Credit 30 Days", submit=True
		)
		self.assertEqual(quotation.docstatus, 1, "the policy does not check quotations")
		with self.assertRaises(CreditLimitError):
			sales_doc("Sales Order", customer, [(item, 5)], ds_payment_type="Credit 30 Days", submit=True)

	def test_salesperson_portfolio_limit(self):
		from tests.integration.helpers import make_sales_person

		item = make_item(stock=100)
		person = make_sales_person(unique("Credit Visitor"), code=unique("CV"))
		make_policy("Sales Person", person, max_open_orders=4 * PRICE)
		first, second = new_customer(), new_customer()
		sales_doc("Sales Order", first, [(item, 2)], ds_sales_person=person, submit=True)
		sales_doc("Sales Order", second, [(item, 2)], ds_sales_person=person, submit=True)
		third = sales_doc("Sales Order", new_customer(), [(item, 1)], ds_sales_person=person)
		with self.assertRaises(CreditLimitError) as caught:
			third.submit()
		self.assertIn("Open Orders", str(caught.exception))

	def test_overdue_invoice_blocks(self):
		item = make_item(stock=100)
		customer = new_customer()
		old = add_days(today(), -60)
		sales_doc(
			"Sales Invoice",
			customer,
			[(item, 1)],
			posting_date=old,
			set_posting_time=1,
			due_date=add_days(old, 30),
			submit=True,
		)
		make_policy("Customer", customer, max_overdue_days=20)
		with self.assertRaises(CreditLimitError) as caught:
			sales_doc("Sales Order", customer, [(item, 1)], submit=True)
		self.assertIn("Overdue Days", str(caught.exception))
		position = get_customer_position(customer, COMPANY)
		self.assertEqual(position["overdue_days"], 30)

	def test_uncleared_post_dated_cheque_counts(self):
		from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

		item = make_item(stock=100)
		customer = new_customer()
		invoice = sales_doc("Sales Invoice", customer, [(item, 2)], submit=True)
		cheque = get_payment_entry("Sales Invoice", invoice.name)
		cheque.reference_no, cheque.reference_date = "CHQ-1", add_days(today(), 45)
		cheque.insert(ignore_permissions=True)
		cheque.submit()
		make_policy("Customer", customer, max_uncleared_cheques=PRICE)
		self.assertAlmostEqual(get_customer_position(customer, COMPANY)["uncleared_cheques"], 2 * PRICE)
		with self.assertRaises(CreditLimitError) as caught:
			sales_doc("Sales Order", customer, [(item, 1)], submit=True)
		self.assertIn("Uncleared Cheques", str(caught.exception))

	def test_position_shows_remaining_credit_under_the_deciding_policy(self):
		item = make_item(stock=100)
		customer = new_customer()
		policy = make_policy("Customer", customer, max_total_exposure=10 * PRICE)
		sales_doc("Sales Order", customer, [(item, 4)], submit=True)
		position = get_customer_position(customer, COMPANY)
		self.assertEqual(position["policy"], policy)
		self.assertAlmostEqual(position["policy_remaining"], 6 * PRICE)
		self.assertAlmostEqual(position["open_orders"], 4 * PRICE)


class TestCreditApproval(FrappeTestCase):
	def setUp(self):
		self.item = make_item(stock=100)
		self.customer = new_customer()
		make_policy("Customer", self.customer, max_total_exposure=PRICE)
		self.controller = make_user("credit.controller@example.com", ["Credit Controller", "Sales User"])
		self.salesman = make_user("credit.salesman@example.com", ["Sales User"])

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_blocked_order_approved_with_a_reason_then_submits_with_a_log(self):
		order = sales_doc("Sales Order", self.customer, [(self.item, 3)])
		with self.assertRaises(CreditLimitError):
			order.reload().submit()
		self.assertEqual(request_credit_approval("Sales Order", order.name), "Pending Approval")
		frappe.set_user(self.salesman)
		with self.assertRaises(frappe.PermissionError):
			decide_credit_approval("Sales Order", order.name, 1, "I approve myself")
		frappe.set_user(self.controller)
		with self.assertRaises(frappe.ValidationError):
			decide_credit_approval("Sales Order", order.name, 1, "  ")
		self.assertEqual(
			decide_credit_approval("Sales Order", order.name, 1, "Paid by cheque tomorrow"), "Approved"
		)
		frappe.set_user("Administrator")
		order.reload()
		order.submit()
		self.assertEqual(order.docstatus, 1)
		events = [(r.event, r.user) for r in order.ds_credit_log]
		self.assertEqual(
			[e for e, _u in events], ["Sent for Approval", "Approved", "Submitted with Approval"]
		)
		self.assertEqual(events[1][1], self.controller)
		self.assertIn("Paid by cheque tomorrow", order.ds_credit_log[1].explanation)

	def test_rejected_order_stays_blocked(self):
		order = sales_doc("Sales Order", self.customer, [(self.item, 3)])
		request_credit_approval("Sales Order", order.name)
		frappe.set_user(self.controller)
		decide_credit_approval("Sales Order", order.name, 0, "Too much open debt")
		frappe.set_user("Administrator")
		order.reload()
		self.assertEqual(order.ds_credit_state, "Rejected")
		with self.assertRaises(CreditLimitError):
			order.submit()

	def test_an_approval_does_not_cover_a_larger_document(self):
		order = sales_doc("Sales Order", self.customer, [(self.item, 3)])
		request_credit_approval("Sales Order", order.name)
		frappe.set_user(self.controller)
		decide_credit_approval("Sales Order", order.name, 1, "ok for 3")
		frappe.set_user("Administrator")
		order.reload()
		order.items[0].qty = 5
		order.save()
		self.assertEqual(order.ds_credit_state, "")
		with self.assertRaises(CreditLimitError):
			order.submit()

	def test_within_limits_needs_no_approval(self):
		order = sales_doc("Sales Order", self.customer, [(self.item, 1)])
		with self.assertRaises(frappe.ValidationError):
			request_credit_approval("Sales Order", order.name)
		self.assertEqual(frappe.db.get_value("Sales Order", order.name, "ds_credit_state"), "")


class TestQuotas(FrappeTestCase):
	def test_daily_item_quota_blocks_the_order_that_exceeds_it(self):
		item = make_item(stock=100)
		customer = new_customer()
		make_quota("Customer", customer, item, 5)
		sales_doc("Sales Order", customer, [(item, 3)], submit=True)
		second = sales_doc("Sales Order", customer, [(item, 3)])
		with self.assertRaises(QuotaExceededError) as caught:
			second.submit()
		self.assertIn("3", str(caught.exception))
		self.assertEqual(frappe.db.get_value("Sales Order", second.name, "docstatus"), 0)
		# yesterday's window is another window
		self.assertEqual(
			sales_doc(
				"Sales Order", customer, [(item, 5)], transaction_date=add_days(today(), -1), submit=True
			).docstatus,
			1,
		)

	def test_item_group_quota_per_salesperson_counts_every_customer(self):
		from tests.integration.helpers import make_sales_person

		group = unique("Quota Group")
		frappe.get_doc(
			{"doctype": "Item Group", "item_group_name": group, "parent_item_group": "All Item Groups"}
		).insert()
		first, second = make_item(stock=50, item_group=group), make_item(stock=50, item_group=group)
		person = make_sales_person(unique("Quota Visitor"), code=unique("QV"))
		make_quota("Sales Person", person, group, 10, quota_on="Item Group", period="Week")
		sales_doc("Sales Order", new_customer(), [(first, 6)], ds_sales_person=person, submit=True)
		with self.assertRaises(QuotaExceededError):
			sales_doc("Sales Order", new_customer(), [(second, 5)], ds_sales_person=person, submit=True)

	def test_warn_quota_lets_it_through(self):
		item = make_item(stock=100)
		customer = new_customer()
		make_quota("Customer", customer, item, 2, action="Warn", period="Jalali Month")
		frappe.clear_messages()
		self.assertEqual(sales_doc("Sales Order", customer, [(item, 3)], submit=True).docstatus, 1)
		self.assertTrue(any("exceeds the maximum" in m.get("message", "") for m in frappe.get_message_log()))

	def test_overlapping_quota_windows_are_refused(self):
		item = make_item()
		customer = new_customer()
		make_quota("Customer", customer, item, 5, valid_from=today(), valid_upto=add_days(today(), 30))
		before = count("Sales Quota")
		with self.assertRaises(frappe.ValidationError) as caught:
			make_quota("Customer", customer, item, 8, valid_from=add_days(today(), 10))
		self.assertIn("overlapping", str(caught.exception))
		self.assertEqual(count("Sales Quota"), before)
		# a window after the first one is fine
		make_quota("Customer", customer, item, 8, valid_from=add_days(today(), 31))

	def test_zero_quota_is_refused(self):
		before = count("Sales Quota")
		with self.assertRaises(DistributionValidationError):
			make_quota("Customer", new_customer(), make_item(), 0)
		self.assertEqual(count("Sales Quota"), before)


class TestSaleableStock(FrappeTestCase):
	def test_order_beyond_saleable_stock_is_refused(self):
		item = make_item(stock=10)
		customer = new_customer()
		sales_doc("Sales Order", customer, [(item, 7)], submit=True)
		self.assertEqual(saleable(item), 3)
		order = sales_doc("Sales Order", customer, [(item, 4)])
		with self.assertRaises(InsufficientStockError) as caught:
			order.submit()
		self.assertIn("Insufficient saleable stock", str(caught.exception))
		self.assertEqual(saleable(item), 3)
		bin_reserved = frappe.db.get_value("Bin", {"item_code": item, "warehouse": WAREHOUSE}, "reserved_qty")
		self.assertEqual(flt(bin_reserved), 7)

	def test_proforma_reserves_until_ordered_and_the_order_takes_it_over(self):
		from erpnext.selling.doctype.quotation.quotation import make_sales_order

		item = make_item(stock=10)
		customer = new_customer()
		proforma = sales_doc("Quotation", customer, [(item, 6)], submit=True)
		reservation = frappe.get_all(
			"Proforma Reservation",
			filters={"quotation": proforma.name},
			fields=["status", "stock_qty", "expires_on"],
		)
		self.assertEqual(len(reservation), 1)
		self.assertEqual((reservation[0].status, reservation[0].stock_qty), ("Active", 6))
		self.assertEqual(str(reservation[0].expires_on), str(proforma.valid_till))
		self.assertEqual(saleable(item), 4)
		with self.assertRaises(InsufficientStockError):
			sales_doc("Sales Order", new_customer(), [(item, 5)], submit=True)
		order = make_sales_order(proforma.name)
		order.delivery_date = today()
		for row in order.items:
			row.delivery_date = today()
		order.insert(ignore_permissions=True)
		order.submit()
		self.assertEqual(saleable(item), 4, "moved from the proforma to the order, not counted twice")
		self.assertEqual(
			frappe.db.get_value(
				"Proforma Reservation", {"quotation": proforma.name}, ["status", "sales_order"]
			),
			("Converted", order.name),
		)
		order.reload().cancel()
		self.assertEqual(saleable(item), 10)

	def test_cancelled_and_expired_proformas_release_stock(self):
		item = make_item(stock=10)
		customer = new_customer()
		cancelled = sales_doc("Quotation", customer, [(item, 4)], submit=True)
		lapsing = sales_doc("Quotation", customer, [(item, 5)], submit=True)
		self.assertEqual(saleable(item), 1)
		cancelled.cancel()
		self.assertEqual(
			frappe.db.get_value("Proforma Reservation", {"quotation": cancelled.name}, "status"), "Released"
		)
		self.assertEqual(saleable(item), 5)
		frappe.db.set_value(
			"Proforma Reservation", {"quotation": lapsing.name}, "expires_on", add_days(today(), -1)
		)
		self.assertEqual(saleable(item), 10, "an expired reservation no longer holds stock")
		expire_proforma_reservations()
		self.assertEqual(
			frappe.db.get_value("Proforma Reservation", {"quotation": lapsing.name}, "status"), "Expired"
		)

	def test_proforma_beyond_stock_is_refused_and_reserves_nothing(self):
		item = make_item(stock=3)
		before = count("Proforma Reservation")
		with self.assertRaises(InsufficientStockError):
			sales_doc("Quotation", new_customer(), [(item, 4)], submit=True)
		self.assertEqual(count("Proforma Reservation"), before)

	def test_expired_batches_are_not_saleable(self):
		item = make_item(batch=True)
		for batch in ("OLD", "NEW"):
			frappe.get_doc(
				{
					"doctype": "Batch",
					"batch_id": f"{item}-{batch}",
					"item": item,
					"expiry_date": add_days(today(), 200),
				}
			).insert(ignore_permissions=True)
			receive(item, 10, batch=f"{item}-{batch}")
		self.assertEqual(saleable(item), 20)
		frappe.db.set_value("Batch", f"{item}-OLD", "expiry_date", add_days(today(), -5))  # it went off
		self.assertEqual(saleable(item), 10)
		with self.assertRaises(InsufficientStockError):
			sales_doc("Sales Order", new_customer(), [(item, 11)], submit=True)
		self.assertEqual(sales_doc("Sales Order", new_customer(), [(item, 10)], submit=True).docstatus, 1)

	def test_direct_invoice_that_updates_stock_is_checked(self):
		item = make_item(stock=5)
		sales_doc("Quotation", new_customer(), [(item, 4)], submit=True)
		with self.assertRaises(InsufficientStockError):
			sales_doc("Sales Invoice", new_customer(), [(item, 2)], update_stock=1, submit=True)

	def test_stock_reservation_entries_follow_the_order(self):
		settings = frappe.get_doc("Stock Settings")
		settings.enable_stock_reservation = 1
		settings.save()
		try:
			item = make_item(stock=10)
			order = sales_doc("Sales Order", new_customer(), [(item, 6)], reserve_stock=1, submit=True)
			sre = frappe.get_all(
				"Stock Reservation Entry",
				filters={"voucher_no": order.name, "docstatus": 1},
				fields=["reserved_qty", "status"],
			)
			self.assertEqual([(s.reserved_qty, s.status) for s in sre], [(6, "Reserved")])
			self.assertEqual(saleable(item), 4)
			order.reload().cancel()
			self.assertEqual(count("Stock Reservation Entry", voucher_no=order.name, docstatus=1), 0)
			self.assertEqual(saleable(item), 10)
		finally:
			settings.reload()
			settings.enable_stock_reservation = 0
			settings.save()


class TestAvailableToPromise(FrappeTestCase):
	def test_work_order_due_before_delivery_counts_for_make_to_stock(self):
		product = make_item(stock=2)
		material = make_item(stock=100)
		bom = frappe.get_doc(
			{
				"doctype": "BOM",
				"item": product,
				"company": COMPANY,
				"quantity": 1,
				"items": [{"item_code": material, "qty": 1, "rate": 1000}],
			}
		).insert(ignore_permissions=True)
		bom.submit()
		due = add_days(today(), 5)
		work_order = frappe.get_doc(
			{
				"doctype": "Work Order",
				"production_item": product,
				"bom_no": bom.name,
				"qty": 8,
				"company": COMPANY,
				"fg_warehouse": WAREHOUSE,
				"wip_warehouse": WAREHOUSE,
				"planned_start_date": today(),
				"expected_delivery_date": due,
				"skip_transfer": 1,
			}
		).insert(ignore_permissions=True)
		work_order.submit()
		customer = new_customer()
		with self.assertRaises(InsufficientStockError):
			sales_doc("Sales Order", customer, [(product, 6)], delivery_date=add_days(due, -2), submit=True)
		order = sales_doc(
			"Sales Order", customer, [(product, 6)], delivery_date=add_days(due, 1), submit=True
		)
		self.assertEqual(order.docstatus, 1)
		with self.assertRaises(InsufficientStockError):
			sales_doc("Sales Order", customer, [(product, 5)], delivery_date=add_days(due, 1), submit=True)


class TestSalesRequestAndSettings(FrappeTestCase):
	"""The Sales Request (DOC-1) is checked like the other documents; a company may turn off proforma
	reservations."""

	def request(self, customer, lines, submit=False, **kwargs):
		doc = frappe.get_doc(
			{
				"doctype": "Sales Request",
				"company": COMPANY,
				"customer": customer,
				"transaction_date": today(),
				"delivery_date": add_days(today(), 2),
				"selling_price_list": frappe.db.get_value("Price List", {"selling": 1, "enabled": 1}),
				"set_warehouse": WAREHOUSE,
				"items": [{"item_code": item, "qty": qty, "uom": "Unit"} for item, qty in lines],
				**kwargs,
			}
		).insert(ignore_permissions=True)
		if submit:
			doc.submit()
		return doc

	def test_blacklisted_customer_cannot_make_a_sales_request(self):
		item = make_item(stock=10)
		customer = new_customer()
		frappe.db.set_value("Customer", customer, {"ds_is_blacklisted": 1, "ds_blacklist_reason": "Fraud"})
		before = count("Sales Request")
		with self.assertRaises(BlacklistedCustomerError):
			self.request(customer, [(item, 1)])
		self.assertEqual(count("Sales Request"), before)

	def test_credit_policy_and_quota_check_the_sales_request(self):
		item = make_item(stock=100)
		customer = new_customer()
		make_policy(
			"Customer", customer, max_total_exposure=2.5 * PRICE, documents=["check_sales_request"],
			payment_types=["Credit 30 Days"],
		)  # fmt: skip
		self.assertEqual(self.request(customer, [(item, 3)], payment_type="Cash", submit=True).docstatus, 1)
		blocked = self.request(customer, [(item, 3)], payment_type="Credit 30 Days")
		with self.assertRaises(CreditLimitError):
			blocked.submit()
		make_quota(
			"Customer", customer, item, 4, check_sales_order=0, check_sales_invoice=0, check_quotation=0
		)
		with self.assertRaises(QuotaExceededError):
			self.request(customer, [(item, 2)], payment_type="Cash", submit=True)  # 3 already requested today

	def test_a_company_can_turn_proforma_reservations_off(self):
		settings = frappe.get_doc("Distribution Settings", {"company": COMPANY})
		settings.reserve_on_proforma = 0
		settings.save()
		try:
			item = make_item(stock=2)
			proforma = sales_doc("Quotation", new_customer(), [(item, 5)], submit=True)
			self.assertEqual(proforma.docstatus, 1, "no reservation, so no stock check either")
			self.assertEqual(count("Proforma Reservation", quotation=proforma.name), 0)
			self.assertEqual(saleable(item), 2)
		finally:
			settings.reload()
			settings.reserve_on_proforma = 1
			settings.save()
