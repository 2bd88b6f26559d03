"""ORG-1, ORG-2, ORG-3, ORG-5, ORG-6, ORG-7, ORG-8 in a real site."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today

from distribution_sales.demo import ABBR, COMPANY
from distribution_sales.sales_organisation.api import get_route_visitor, get_visitor_routes
from distribution_sales.sales_organisation.doctype.route_assignment.route_assignment import (
	OverlappingAssignmentError,
)
from distribution_sales.sales_organisation.doctype.sales_route.sales_route import CustomerOnTwoRoutesError
from distribution_sales.utils import DistributionValidationError
from tests.integration.helpers import make_customer, make_sales_document, make_sales_person


def _route(name: str, area: str = "Tehran East", region: str = "North", **kwargs):
	doc = frappe.get_doc(
		{
			"doctype": "Sales Route",
			"route_name": name,
			"route_code": kwargs.pop("route_code", frappe.generate_hash(length=6).upper()),
			"sales_region": region,
			"sales_area": area,
			"city": frappe.db.get_value("Sales Area", area, "city"),
			**kwargs,
		}
	)
	return doc


class TestRouting(FrappeTestCase):
	"""ORG-1: Region > Area > Route tied to provinces, cities and ERPNext territories."""

	def test_demo_hierarchy_mirrors_territory_tree(self):
		region = frappe.get_doc("Sales Region", "North")
		area = frappe.get_doc("Sales Area", "Karaj")
		route = frappe.get_doc("Sales Route", "Gohardasht")
		self.assertEqual(area.sales_region, region.name)
		self.assertEqual(
			frappe.db.get_value("Territory", area.territory, "parent_territory"), region.territory
		)
		self.assertEqual(
			frappe.db.get_value("Territory", route.territory, "parent_territory"), area.territory
		)
		self.assertEqual(frappe.db.get_value("Province", route.province, "province_name"), "Alborz")
		self.assertEqual(frappe.db.get_value("City", route.city, "province"), route.province)
		self.assertEqual(route.company, COMPANY)

	def test_route_whose_area_is_in_another_region_is_refused(self):
		before = frappe.db.count("Sales Route")
		route = _route("Wrong Region Route " + frappe.generate_hash(length=4), area="Shiraz", region="North")
		with self.assertRaisesRegex(DistributionValidationError, "belongs to region South"):
			route.insert()
		self.assertEqual(frappe.db.count("Sales Route"), before)
		self.assertFalse(frappe.db.exists("Territory", route.route_name))  # nothing half-saved

	def test_city_must_be_in_the_routes_province(self):
		route = _route("Wrong City Route " + frappe.generate_hash(length=4))
		route.city = frappe.db.get_value("Sales Area", "Shiraz", "city")
		with self.assertRaisesRegex(frappe.ValidationError, "is not in province"):
			route.insert()

	def test_duplicate_visit_order_is_refused(self):
		c1 = make_customer("Route Test Shop One")
		c2 = make_customer("Route Test Shop Two")
		route = _route("Dup Order Route " + frappe.generate_hash(length=4))
		route.append("customers", {"customer": c1, "visit_order": 1})
		route.append("customers", {"customer": c2, "visit_order": 1})
		with self.assertRaisesRegex(
			DistributionValidationError, "Row 2: visit order 1 is already used in row 1"
		):
			route.insert()
		self.assertFalse(frappe.db.exists("Sales Route", route.route_name))

	def test_customer_on_two_active_routes_of_a_company_is_refused(self):
		customer = frappe.get_doc("Sales Route", "Narmak").customers[0].customer
		route = _route("Second Route " + frappe.generate_hash(length=4))
		route.append("customers", {"customer": customer, "visit_order": 1})
		with self.assertRaisesRegex(CustomerOnTwoRoutesError, "already on active route .*Narmak"):
			route.insert()
		# an inactive route may keep a customer that is served elsewhere
		route.is_active = 0
		route.insert()
		self.assertEqual(frappe.db.get_value("Customer", customer, "ds_sales_route"), "Narmak")

	def test_customer_placed_on_route_takes_its_route_and_territory(self):
		customer = make_customer("Placement Shop " + frappe.generate_hash(length=4), territory="North")
		route = _route("Placement Route " + frappe.generate_hash(length=4))
		route.append("customers", {"customer": customer, "visit_order": 3, "saturday": 1})
		route.insert()
		self.assertEqual(
			frappe.db.get_value("Customer", customer, ["ds_sales_route", "territory"]),
			(route.name, route.territory),
		)
		route.customers = []
		route.save()
		self.assertIsNone(frappe.db.get_value("Customer", customer, "ds_sales_route"))

	def test_codes_with_spaces_or_mixed_scripts_are_refused_and_digits_normalised(self):
		route = _route("Code Route " + frappe.generate_hash(length=4), route_code="TE ۰۹")
		with self.assertRaisesRegex(DistributionValidationError, "must not contain spaces"):
			route.insert()
		route.route_code = "TEБ9"
		with self.assertRaisesRegex(DistributionValidationError, "mixes writing systems"):
			route.insert()
		route.route_code = "te-۰" + frappe.generate_hash(length=3)
		route.insert()
		self.assertTrue(route.route_code.startswith("TE-0"))

	def test_demo_customers_have_visit_days_and_order(self):
		route = frappe.get_doc("Sales Route", "Tehranpars")
		self.assertEqual(len(route.customers), 25)
		self.assertEqual(sorted(r.visit_order for r in route.customers), list(range(1, 26)))
		self.assertTrue(all(r.saturday and r.tuesday and not r.monday for r in route.customers))


class TestRouteAssignment(FrappeTestCase):
	"""ORG-2: one visitor per route at a time, with dated history."""

	def setUp(self):
		self.route = _route("Assignment Route " + frappe.generate_hash(length=4)).insert().name

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.first = make_sales_person(
			"Assign Visitor One", parent="Supervisor North", role="Salesman", code="AV1"
		)
		cls.second = make_sales_person(
			"Assign Visitor Two", parent="Supervisor North", role="Salesman", code="AV2"
		)

	def _assign(self, person, start, end=None):
		return frappe.get_doc(
			{
				"doctype": "Route Assignment",
				"sales_route": self.route,
				"sales_person": person,
				"from_date": start,
				"to_date": end,
			}
		).insert()

	def test_history_and_who_visits_when(self):
		start = add_days(today(), -60)
		self._assign(self.first, start, add_days(today(), -1))
		self._assign(self.second, today())
		self.assertEqual(get_route_visitor(self.route, add_days(today(), -30)), self.first)
		self.assertEqual(get_route_visitor(self.route), self.second)
		self.assertIsNone(get_route_visitor(self.route, add_days(start, -1)))
		self.assertIn(self.route, get_visitor_routes(self.second))
		self.assertNotIn(self.route, get_visitor_routes(self.first))
		self.assertIn(self.route, get_visitor_routes(self.first, str(add_days(today(), -2))))

	def test_overlapping_assignment_is_refused_and_nothing_saved(self):
		self._assign(self.first, add_days(today(), 100), add_days(today(), 130))
		before = frappe.db.count("Route Assignment", {"sales_route": self.route})
		with self.assertRaisesRegex(OverlappingAssignmentError, "already assigned to .*Assign Visitor One"):
			self._assign(self.second, add_days(today(), 130))
		with self.assertRaisesRegex(DistributionValidationError, "before the start date"):
			self._assign(self.second, add_days(today(), 200), add_days(today(), 199))
		self.assertEqual(frappe.db.count("Route Assignment", {"sales_route": self.route}), before)

	def test_a_group_cannot_visit(self):
		with self.assertRaisesRegex(frappe.ValidationError, "group of salespeople"):
			self._assign("Supervisor North", add_days(today(), 400))

	def test_demo_route_has_a_handover(self):
		rows = frappe.get_all(
			"Route Assignment",
			{"sales_route": "Tehranpars"},
			["sales_person", "from_date", "to_date"],
			order_by="from_date",
		)
		self.assertEqual(len(rows), 2)
		self.assertEqual(add_days(rows[0].to_date, 1), rows[1].from_date)
		self.assertEqual(get_route_visitor("Tehranpars"), "Visitor Reza")


class TestPersonnel(FrappeTestCase):
	"""ORG-3 personnel codes and roles; ORG-5 vehicles and teams."""

	def test_personnel_code_is_unique_after_normalising(self):
		make_sales_person("Code Holder", role="Salesman", code="Q-۷۱")
		self.assertEqual(frappe.db.get_value("Sales Person", "Code Holder", "ds_personnel_code"), "Q-71")
		with self.assertRaisesRegex(frappe.DuplicateEntryError, "Q-71"):
			make_sales_person("Code Copier", role="Salesman", code="q-71")
		self.assertFalse(frappe.db.exists("Sales Person", "Code Copier"))

	def test_a_role_needs_a_personnel_code(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Personnel Code is required"):
			make_sales_person("No Code Driver", role="Driver")

	def test_supervisor_tree(self):
		visitors = frappe.get_all(
			"Sales Person",
			{"parent_sales_person": "Supervisor South", "ds_sales_role": "Salesman"},
			pluck="name",
		)
		self.assertEqual(len(visitors), 4)
		self.assertEqual(
			frappe.db.get_value("Sales Person", "Supervisor South", "ds_sales_role"), "Sales Supervisor"
		)

	def test_vehicle_plate_typed_with_persian_digits_is_the_same_vehicle(self):
		plate = frappe.db.get_value("Vehicle", {"ds_capacity_kg": 1500})
		self.assertEqual(plate, "23 ج 456 ایران 11")
		duplicate = frappe.get_doc(
			{
				"doctype": "Vehicle",
				"license_plate": "۲۳ ج ۴۵۶ ايران ۱۱",
				"make": "Zamyad",
				"model": "Z24",
				"last_odometer": 1,
				"fuel_type": "Diesel",
				"uom": "Litre",
			}
		)
		with self.assertRaises(frappe.DuplicateEntryError):
			duplicate.insert()

	def test_distribution_team(self):
		team = frappe.get_doc("Distribution Team", "Distribution North")
		self.assertEqual(
			{m.role for m in team.members}, {"Distribution Agent", "Driver", "Distribution Worker"}
		)
		self.assertEqual(team.driver, frappe.db.get_value("Vehicle", team.vehicle, "ds_driver"))


class TestReturnReason(FrappeTestCase):
	"""ORG-6: a sales return cannot be submitted without a reason; reasons are classed."""

	def test_return_needs_a_reason(self):
		customer = make_customer("Return Test Shop")
		invoice = make_sales_document("Sales Invoice", customer, qty=2, submit=True, update_stock=1)
		from erpnext.controllers.sales_and_purchase_return import make_return_doc

		credit_note = make_return_doc("Sales Invoice", invoice.name)
		credit_note.insert()
		with self.assertRaisesRegex(frappe.ValidationError, "Choose a Return Reason"):
			credit_note.submit()
		self.assertEqual(frappe.db.get_value("Sales Invoice", credit_note.name, "docstatus"), 0)
		credit_note.reload()
		credit_note.ds_return_reason = "Damaged in transit"
		credit_note.submit()
		self.assertEqual(frappe.db.get_value("Return Reason", credit_note.ds_return_reason, "cause"), "Staff")

	def test_delivery_note_return_needs_a_reason(self):
		customer = make_customer("Return Test Shop")
		note = make_sales_document("Delivery Note", customer, qty=1, submit=True)
		from erpnext.controllers.sales_and_purchase_return import make_return_doc

		back = make_return_doc("Delivery Note", note.name)
		back.insert()
		with self.assertRaisesRegex(frappe.ValidationError, "Choose a Return Reason"):
			back.submit()
		back.reload()
		back.ds_return_reason = "Expired at shop"
		back.submit()
		self.assertEqual(back.docstatus, 1)


class TestCustomer(FrappeTestCase):
	"""ORG-7 coding, groups, sub-ledger, blacklist, credit; ORG-8 dictionaries and geography."""

	def test_demo_customer_is_coded_by_the_company_pattern(self):
		customer = frappe.get_doc("Customer", frappe.get_doc("Sales Route", "Zerhi").customers[0].customer)
		group_code = frappe.db.get_value("Customer Group", customer.customer_group, "ds_group_code")
		self.assertRegex(customer.ds_customer_code, rf"^S{group_code}\d{{5}}$")
		self.assertEqual(
			customer.ds_main_customer_group,
			frappe.db.get_value("Customer Group", customer.customer_group, "parent_customer_group"),
		)

	def test_new_customer_gets_next_code_and_own_receivable_account(self):
		name = make_customer(
			"Coding Shop " + frappe.generate_hash(length=5), customer_group="Kiosk", territory="Ekbatan"
		)
		customer = frappe.get_doc("Customer", name)
		self.assertRegex(customer.ds_customer_code, r"^NKI\d{5}$")
		self.assertEqual(len(customer.accounts), 1)
		account = frappe.get_doc("Account", customer.accounts[0].account)
		self.assertEqual(
			(account.account_type, account.company, account.parent_account),
			("Receivable", COMPANY, f"Accounts Receivable - {ABBR}"),
		)
		self.assertIn(customer.ds_customer_code, account.account_name)
		second = frappe.get_doc(
			"Customer",
			make_customer(
				"Coding Shop " + frappe.generate_hash(length=5), customer_group="Kiosk", territory="Ekbatan"
			),
		)
		self.assertEqual(int(second.ds_customer_code[-5:]), int(customer.ds_customer_code[-5:]) + 1)
		# invoices of the customer post to its own account
		invoice = make_sales_document("Sales Invoice", name, qty=1, submit=True, update_stock=1)
		self.assertEqual(invoice.debit_to, account.name)

	def test_customer_outside_any_region_cannot_be_coded_and_is_not_saved(self):
		name = "Nowhere Shop " + frappe.generate_hash(length=5)
		accounts_before = frappe.db.count("Account", {"company": COMPANY})
		with self.assertRaisesRegex(DistributionValidationError, "needs a Region code"):
			make_customer(name, territory="All Territories")
		self.assertFalse(frappe.db.exists("Customer", {"customer_name": name}))
		self.assertEqual(frappe.db.count("Account", {"company": COMPANY}), accounts_before)

	def test_names_are_normalised(self):
		name = make_customer("سوپر ماركت علي  ۱۲ " + frappe.generate_hash(length=4))
		self.assertTrue(
			frappe.db.get_value("Customer", name, "customer_name").startswith("سوپر مارکت علی 12 ")
		)

	def test_blacklist_needs_a_reason_and_gets_a_date(self):
		customer = frappe.get_doc("Customer", make_customer("Blacklist Shop"))
		customer.ds_is_blacklisted = 1
		customer.ds_blacklist_reason = ""
		with self.assertRaises(frappe.ValidationError):
			customer.save()
		self.assertEqual(frappe.db.get_value("Customer", customer.name, "ds_is_blacklisted"), 0)
		customer.reload()
		customer.ds_is_blacklisted = 1
		customer.ds_blacklist_reason = "Bounced cheques twice"
		customer.save()
		self.assertEqual(getdate(customer.ds_blacklisted_on), getdate(today()))

	def test_balance_and_remaining_credit(self):
		from distribution_sales.sales_organisation.api import get_customer_credit

		name = make_customer("Credit Shop " + frappe.generate_hash(length=4))
		customer = frappe.get_doc("Customer", name)
		customer.append("credit_limits", {"company": COMPANY, "credit_limit": 50_000_000})
		customer.save()
		invoice = make_sales_document("Sales Invoice", name, qty=10, submit=True, update_stock=1)
		credit = get_customer_credit(name)
		self.assertEqual(credit["outstanding"], invoice.grand_total)
		self.assertEqual(credit["remaining"], 50_000_000 - invoice.grand_total)

	def test_dictionaries_and_geography(self):
		self.assertEqual(frappe.db.count("Province", {"country": "Iran"}), 31)
		self.assertGreaterEqual(frappe.db.count("Province", {"country": "Russian Federation"}), 83)
		self.assertEqual(frappe.db.count("Province", {"country": "China"}), 34)
		self.assertTrue(frappe.db.exists("City", {"city_name": "Novosibirsk"}))
		self.assertTrue(frappe.db.exists("City", {"city_name": "Guangzhou"}))
		customer = frappe.get_doc("Customer", make_customer("Geo Shop"))
		customer.ds_province = frappe.db.get_value("Province", {"province_name": "Fars"})
		customer.ds_city = frappe.db.get_value("City", {"city_name": "Tehran"})
		with self.assertRaisesRegex(frappe.ValidationError, "is not in province"):
			customer.save()
		customer.reload()
		customer.update(
			{"ds_customer_nature": "Retail", "ds_outlet_type": "Bakery", "ds_follow_up_method": "SMS"}
		)
		customer.save()
		self.assertEqual(frappe.db.get_value("Customer", customer.name, "ds_outlet_type"), "Bakery")
