"""Supervisor-scoped access (ORG-4), enforced on the server.

A user holding Sales Supervisor or Salesman, and none of the roles that see everything, is *scoped*:
they see the customers and sales documents of the Sales Person linked to their login (Sales Person
``ds_user``) and of everyone below that person in the Sales Person tree. A customer also counts as
theirs while it stands on a route assigned to one of those people. Scoped users without a linked
Sales Person see none.

One rule, one place: ``_conditions`` builds the SQL condition used by list views, reports, REST and
link searches (permission_query_conditions), and ``has_permission`` evaluates the very same condition
for a single saved document.
"""

import frappe
from frappe import _

SCOPED_ROLES = frozenset({"Sales Supervisor", "Salesman"})
UNSCOPED_ROLES = frozenset({"System Manager", "Sales Manager", "Accounts Manager", "Credit Controller"})


def is_scoped(user: str) -> bool:
	if user == "Administrator":
		return False
	roles = set(frappe.get_roles(user))
	return bool(roles & SCOPED_ROLES) and not roles & UNSCOPED_ROLES


def visible_sales_persons(user: str) -> list[str]:
	"""The Sales Persons linked to ``user`` and everyone below them in the tree."""
	cache_key = ("ds_visible_sales_persons", user)
	if cache_key in frappe.local.cache:
		return frappe.local.cache[cache_key]
	sp = frappe.qb.DocType("Sales Person")
	below = frappe.qb.DocType("Sales Person").as_("below")
	rows = (
		frappe.qb.from_(sp)
		.join(below)
		.on((below.lft >= sp.lft) & (below.rgt <= sp.rgt))
		.where(sp.ds_user == user)
		.select(below.name)
		.distinct()
		.run(pluck=True)
	)
	frappe.local.cache[cache_key] = sorted(rows)
	return frappe.local.cache[cache_key]


def _in_list(names: list[str]) -> str:
	return ", ".join(frappe.db.escape(n) for n in names)


def _conditions(doctype: str, user: str) -> str:
	people = visible_sales_persons(user)
	if not people:
		return "1=0"
	table = f"`tab{doctype}`"
	owned = f"{table}.`ds_sales_person` in ({_in_list(people)})"
	if doctype != "Customer":
		return f"({owned})"
	on_route = (
		"exists (select 1 from `tabSales Route Customer` rc"
		" join `tabRoute Assignment` ra on ra.sales_route = rc.parent"
		" join `tabSales Route` r on r.name = rc.parent and r.is_active = 1"
		f" where rc.parenttype = 'Sales Route' and rc.customer = {table}.`name`"
		f" and ra.sales_person in ({_in_list(people)})"
		" and ra.from_date <= curdate() and (ra.to_date is null or ra.to_date >= curdate()))"
	)
	return f"({owned} or {on_route})"


def _query_conditions(doctype: str, user: str | None) -> str:
	user = user or frappe.session.user
	if not is_scoped(user):
		return ""
	return _conditions(doctype, user)


def customer_query_conditions(user: str | None = None) -> str:
	return _query_conditions("Customer", user)


def sales_document_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	# frappe passes doctype since v15 when the hook accepts it; fall back to the request's doctype
	doctype = doctype or frappe.form_dict.get("doctype")
	return _query_conditions(doctype, user) if doctype else ""


def has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	user = user or frappe.session.user
	if not is_scoped(user):
		return None  # let the standard role permissions decide
	people = visible_sales_persons(user)
	if doc.get("ds_sales_person") in people:
		return True
	if doc.is_new():
		# not stamped yet: before_validate stamps the user's own salesperson and refuses any other
		return None if not doc.get("ds_sales_person") else False
	if doc.doctype != "Customer":
		return False
	return bool(
		frappe.db.sql(
			f"select 1 from `tabCustomer` where `name` = %s and {_conditions('Customer', user)}",
			doc.name,
		)
	)


def sales_person_of(user: str) -> str | None:
	return frappe.db.get_value("Sales Person", {"ds_user": user, "enabled": 1}, "name")


# --- reports -------------------------------------------------------------------------------------
# Script and query reports run their own SQL and never see the conditions above. A scoped user may
# run this app's reports (built on frappe.get_list) and the report builder, but not another app's
# script or query report over these doctypes, which would show every team's figures.

SCOPED_DOCTYPES = frozenset(
	{"Customer", "Quotation", "Sales Order", "Sales Invoice", "Delivery Note", "Sales Request"}
)


def check_report_scope(report_name: str, user: str | None = None) -> None:
	user = user or frappe.session.user
	if not is_scoped(user):
		return
	report = frappe.get_cached_value(
		"Report", report_name, ["report_type", "module", "ref_doctype"], as_dict=True
	)
	if not report or report.report_type not in ("Script Report", "Query Report"):
		return
	if report.ref_doctype not in SCOPED_DOCTYPES:
		return
	if frappe.db.get_value("Module Def", report.module, "app_name") == "distribution_sales":
		return
	frappe.throw(
		_("Report {0} shows the {1} of every team; your access is limited to your own team's").format(
			frappe.bold(_(report_name)), _(report.ref_doctype)
		),
		frappe.PermissionError,
	)


@frappe.whitelist()
@frappe.read_only()
def run_report(
	report_name: str,
	filters: str | dict | None = None,
	user: str | None = None,
	ignore_prepared_report: bool = False,
	custom_columns: str | list | None = None,
	is_tree: bool = False,
	parent_field: str | None = None,
	are_default_filters: bool = True,
):
	"""frappe.desk.query_report.run, refused for scoped users on reports that ignore their scope."""
	from frappe.desk.query_report import run

	check_report_scope(report_name, user)
	return run(
		report_name,
		filters,
		user,
		ignore_prepared_report,
		custom_columns,
		is_tree,
		parent_field,
		are_default_filters,
	)


@frappe.whitelist()
def export_report():
	"""frappe.desk.query_report.export_query, with the same check."""
	from frappe.desk.query_report import export_query

	check_report_scope(frappe.form_dict.get("report_name"))
	return export_query()
