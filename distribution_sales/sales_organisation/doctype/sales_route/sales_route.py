import frappe
from frappe import _
from frappe.model.document import Document

from distribution_sales.rules.routes import WEEKDAY_FIELDS, RouteStop, check_area_in_region, check_stops
from distribution_sales.rules.text import normalize_text
from distribution_sales.sales_organisation.doctype.sales_area.sales_area import validate_city_in_province
from distribution_sales.sales_organisation.territory import ensure_territory, is_within
from distribution_sales.utils import DistributionValidationError, clean_code, rule_errors


class CustomerOnTwoRoutesError(DistributionValidationError):
	pass


class SalesRoute(Document):
	def autoname(self):
		self.route_name = normalize_text(self.route_name)
		self.name = self.route_name

	def validate(self):
		self.route_code = clean_code(self.route_code, "Route Code")
		self.validate_area()
		validate_city_in_province(self.city, self.province)
		ensure_territory(
			self, frappe.db.get_value("Sales Area", self.sales_area, "territory"), is_group=False
		)
		with rule_errors(title=_("Route Customers")):
			check_stops(self.stops())
		self.validate_customers_on_one_route()

	def on_update(self):
		self.place_customers()

	def on_trash(self):
		frappe.db.set_value("Customer", {"ds_sales_route": self.name}, "ds_sales_route", None)

	def stops(self) -> list[RouteStop]:
		return [
			RouteStop(
				customer=row.customer,
				visit_order=row.visit_order or 0,
				row=row.idx,
				weekdays=frozenset(i for i, day in enumerate(WEEKDAY_FIELDS) if row.get(day)),
			)
			for row in self.customers
		]

	def validate_area(self):
		area_region = frappe.db.get_value("Sales Area", self.sales_area, "sales_region")
		with rule_errors(title=_("Sales Area")):
			check_area_in_region(self.sales_region, self.sales_area, area_region)

	def validate_customers_on_one_route(self):
		"""A customer stands on one active route per company. The customer rows are locked first, so two
		routes saved at the same moment cannot both take the same customer."""
		customers = [row.customer for row in self.customers]
		if not self.is_active or not customers:
			return
		customer = frappe.qb.DocType("Customer")
		frappe.qb.from_(customer).select(customer.name).where(
			customer.name.isin(customers)
		).for_update().run()
		stop = frappe.qb.DocType("Sales Route Customer")
		route = frappe.qb.DocType("Sales Route")
		clash = (
			frappe.qb.from_(stop)
			.join(route)
			.on(route.name == stop.parent)
			.select(stop.customer, route.name)
			.where(
				(stop.parenttype == "Sales Route")
				& stop.customer.isin(customers)
				& (route.company == self.company)
				& (route.is_active == 1)
				& (route.name != self.name)
			)
			.orderby(stop.customer)
			.limit(1)
			.run()
		)
		if clash:
			frappe.throw(
				_("Customer {0} is already on active route {1} of company {2}").format(
					frappe.bold(clash[0][0]), frappe.bold(clash[0][1]), self.company
				),
				CustomerOnTwoRoutesError,
			)

	def place_customers(self):
		"""Mirror the placement on the customers: their route, and a territory inside the route's."""
		current = {row.customer for row in self.customers} if self.is_active else set()
		for name in frappe.get_all("Customer", {"ds_sales_route": self.name}, pluck="name"):
			if name not in current:
				frappe.db.set_value("Customer", name, "ds_sales_route", None)
		for name in current:
			values = {"ds_sales_route": self.name}
			territory = frappe.db.get_value("Customer", name, "territory")
			if not territory or not is_within(territory, self.territory):
				values["territory"] = self.territory
			frappe.db.set_value("Customer", name, values)
