"""Whitelisted calls of the sales organisation: who visits which route, a customer's credit."""

import frappe
from frappe.utils import flt, getdate, today

from distribution_sales.rules.credit import CreditPosition
from distribution_sales.rules.intervals import Window, active_on


def _assignments(filters: dict) -> list[tuple[Window, dict]]:
	rows = frappe.get_list(  # scoped (ORG-4): a salesman reads his own assignments only
		"Route Assignment",
		filters=filters,
		fields=["name", "sales_route", "sales_person", "from_date", "to_date"],
	)
	return [
		(Window(getdate(r.from_date), getdate(r.to_date) if r.to_date else None, r.name), r) for r in rows
	]


@frappe.whitelist()
def get_route_visitor(route: str, date: str | None = None) -> str | None:
	"""The visitor assigned to ``route`` on ``date`` (today by default), or None."""
	frappe.has_permission("Sales Route", "read", route, throw=True)
	day = getdate(date or today())
	pairs = _assignments({"sales_route": route, "from_date": ("<=", day)})
	by_key = {w.key: row for w, row in pairs}
	active = active_on([w for w, _ in pairs], day)
	return by_key[active[0].key].sales_person if active else None


@frappe.whitelist()
def get_visitor_routes(sales_person: str, date: str | None = None) -> list[str]:
	"""The routes ``sales_person`` visits on ``date`` (today by default), by route name."""
	frappe.has_permission("Route Assignment", "read", throw=True)
	day = getdate(date or today())
	pairs = _assignments({"sales_person": sales_person, "from_date": ("<=", day)})
	by_key = {w.key: row for w, row in pairs}
	return sorted({by_key[w.key].sales_route for w in active_on([w for w, _ in pairs], day)})


@frappe.whitelist()
def get_customer_credit(customer: str, company: str | None = None) -> dict:
	"""Balance, credit limit and remaining credit of a customer in a company (shown on its form)."""
	from erpnext.selling.doctype.customer.customer import get_credit_limit, get_customer_outstanding

	frappe.has_permission("Customer", "read", customer, throw=True)
	company = (
		company
		or frappe.db.get_value("Customer", customer, "ds_company")
		or frappe.defaults.get_user_default("Company")
	)
	if not company:
		return {}
	ledger = flt(get_customer_outstanding(customer, company, ignore_outstanding_sales_order=True))
	with_orders = flt(get_customer_outstanding(customer, company))
	position = CreditPosition(
		limit=flt(get_credit_limit(customer, company)), outstanding=ledger, open_orders=with_orders - ledger
	)
	return {
		"company": company,
		"credit_limit": position.limit,
		"outstanding": position.outstanding,
		"open_orders": position.open_orders,
		"remaining": position.remaining,
		"over_limit": position.over_limit,
	}
