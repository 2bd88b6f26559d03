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
from frappe.utils import today

from distribution_sales import roles
from distribution_sales.sales_organisation import scope

SCOPED_ROLES = roles.SCOPED_ROLES
UNSCOPED_ROLES = roles.UNSCOPED_ROLES


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


def _customer_condition(table: str, people: list[str]) -> str:
	"""Customers owned by ``people`` or on a route assigned to one of them today (the site's today,
	not the database server's curdate(), which may be another day in the company's timezone)."""
	day = frappe.db.escape(today())
	owned = f"{table}.`ds_sales_person` in ({_in_list(people)})"
	on_route = (
		"exists (select 1 from `tabSales Route Customer` rc"
		" join `tabRoute Assignment` ra on ra.sales_route = rc.parent"
		" join `tabSales Route` r on r.name = rc.parent and r.is_active = 1"
		f" where rc.parenttype = 'Sales Route' and rc.customer = {table}.`name`"
		f" and ra.sales_person in ({_in_list(people)})"
		f" and ra.from_date <= {day} and (ra.to_date is null or ra.to_date >= {day}))"
	)
	return f"({owned} or {on_route})"


def _visible_customers(people: list[str]) -> str:
	"""A subquery of the names of the customers ``people`` may see."""
	return f"(select `tabCustomer`.`name` from `tabCustomer` where {_customer_condition('`tabCustomer`', people)})"


def _conditions(doctype: str, user: str) -> str:
	"""The SQL condition on `tab{doctype}` that keeps the rows of the user's team (ORG-4)."""
	people = visible_sales_persons(user)
	if not people:
		return "1=0"
	return _condition_for(doctype, people)


def _condition_for(doctype: str, people: list[str]) -> str:
	table = f"`tab{doctype}`"
	if doctype in scope.CHILD_TABLES:
		parents = scope.CHILD_TABLES[doctype]
		through = " or ".join(
			f"({table}.`parenttype` = {frappe.db.escape(p)} and {table}.`parent` in"
			f" (select `tab{p}`.`name` from `tab{p}` where {_condition_for(p, people)}))"
			for p in parents
		)
		return f"({table}.`parenttype` not in ({_in_list(list(parents))}) or {through})"
	if doctype in scope.PERSON_CHILD_TABLES:
		parent = scope.PERSON_CHILD_TABLES[doctype]
		return (
			f"({table}.`parenttype` != {frappe.db.escape(parent)}"
			f" or {table}.`parent` in ({_in_list(people)}))"
		)
	kind = scope.SCOPES[doctype]
	if isinstance(kind, scope.Customer):
		return _customer_condition(table, people)
	if isinstance(kind, scope.Owned):
		return f"({table}.`{kind.field}` in ({_in_list(people)}))"
	if isinstance(kind, scope.CustomerLink):
		cond = f"{table}.`{kind.field}` in {_visible_customers(people)}"
		if kind.optional:
			cond = f"ifnull({table}.`{kind.field}`, '') = '' or {cond}"
		if kind.when:
			field, value = kind.when
			cond = f"ifnull({table}.`{field}`, '') != {frappe.db.escape(value)} or {cond}"
		return f"({cond})"
	if isinstance(kind, scope.PartyLink):
		k, p = f"{table}.`{kind.kind_field}`", f"{table}.`{kind.party_field}`"
		return (
			f"(ifnull({k}, '') not in ('Customer', 'Sales Person')"
			f" or ({k} = 'Customer' and {p} in {_visible_customers(people)})"
			f" or ({k} = 'Sales Person' and {p} in ({_in_list(people)})))"
		)
	if isinstance(kind, scope.DynamicLinks):
		return (
			"not exists (select 1 from `tabDynamic Link` dl"
			f" where dl.parenttype = {frappe.db.escape(doctype)} and dl.parent = {table}.`name`"
			f" and dl.link_doctype = 'Customer' and dl.link_name not in {_visible_customers(people)})"
		)
	if isinstance(kind, scope.SchemeConditions):
		return (
			"not exists (select 1 from `tabTrade Scheme Condition` c"
			f" where c.parenttype = 'Trade Scheme' and c.parent = {table}.`name`"
			f" and c.condition_type = 'Customer' and c.value not in {_visible_customers(people)})"
		)
	if isinstance(kind, scope.RouteAssigned):
		day = frappe.db.escape(today())
		return (
			"exists (select 1 from `tabRoute Assignment` ra"
			f" where ra.sales_route = {table}.`name` and ra.sales_person in ({_in_list(people)})"
			f" and (ra.to_date is null or ra.to_date >= {day}))"
		)
	if isinstance(kind, scope.PersonField):
		return f"({table}.`{kind.field}` in ({_in_list(people)}))"
	return "1=0"  # scope.Hidden


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions of every doctype in scope.SCOPED_DOCTYPES (frappe passes the
	doctype since v15; older callers name it in the request)."""
	user = user or frappe.session.user
	doctype = doctype or frappe.form_dict.get("doctype")
	if not doctype or not is_scoped(user):
		return ""
	return _conditions(doctype, user)


def has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	"""has_permission of every parent doctype in scope.SCOPES: the same condition as the list, for one
	saved document; a new one is judged by what it names."""
	user = user or frappe.session.user
	if not is_scoped(user):
		return None  # let the standard role permissions decide
	if not doc.is_new():
		found = frappe.db.sql(
			f"select 1 from `tab{doc.doctype}` where `name` = %s and {_conditions(doc.doctype, user)}",
			doc.name,
		)
		return True if found else False
	return _new_document_allowed(doc, user)


def _new_document_allowed(doc, user: str) -> bool | None:
	kind = scope.SCOPES.get(doc.doctype)
	people = visible_sales_persons(user)
	if isinstance(kind, scope.Hidden):
		return False
	if isinstance(kind, scope.Owned):
		# not stamped yet: before_validate stamps the user's own salesperson and refuses any other
		value = doc.get(kind.field)
		return None if not value or value in people else False
	named = []
	if isinstance(kind, scope.CustomerLink):
		if not kind.when or doc.get(kind.when[0]) == kind.when[1]:
			named = [doc.get(kind.field)]
	elif isinstance(kind, scope.PartyLink):
		if doc.get(kind.kind_field) == "Sales Person":
			return None if doc.get(kind.party_field) in people else False
		if doc.get(kind.kind_field) == "Customer":
			named = [doc.get(kind.party_field)]
	elif isinstance(kind, scope.DynamicLinks):
		named = [link.link_name for link in doc.get("links") or [] if link.link_doctype == "Customer"]
	named = [n for n in named if n]
	if not named:
		return None
	visible = frappe.db.sql(
		f"select count(*) from `tabCustomer` where `name` in ({_in_list(named)})"
		f" and {_customer_condition('`tabCustomer`', people)}"
	)[0][0]
	return None if visible == len(set(named)) else False


def sales_person_of(user: str) -> str | None:
	return frappe.db.get_value("Sales Person", {"ds_user": user, "enabled": 1}, "name")


# --- reports -------------------------------------------------------------------------------------
# Script and query reports run their own SQL and never see the conditions above. A scoped user may
# run this app's reports (built on frappe.get_list) and the report builder, but not another app's
# script or query report over a scoped doctype, which would show every team's figures, nor any report
# over data hidden from scoped users. Every way a report runs is guarded, always for the session
# user (never for a user named in the request): run, export, and prepared (background) reports.


def _report_is_out_of_scope(report_name: str) -> str | None:
	"""The ref doctype of ``report_name`` when a scoped user may not run it, else None."""
	report = frappe.get_cached_value(
		"Report", report_name, ["report_type", "module", "ref_doctype"], as_dict=True
	)
	if not report or report.report_type not in ("Script Report", "Query Report"):
		return None
	ref = report.ref_doctype
	if isinstance(scope.SCOPES.get(ref), scope.Hidden):
		return ref
	if ref not in scope.SCOPED_DOCTYPES:
		return None
	if frappe.db.get_value("Module Def", report.module, "app_name") == "distribution_sales":
		return None
	return ref


def check_report_scope(report_name: str) -> None:
	if not is_scoped(frappe.session.user):
		return
	ref = _report_is_out_of_scope(report_name)
	if ref:
		frappe.throw(
			_("Report {0} shows the {1} of every team; your access is limited to your own team's").format(
				frappe.bold(_(report_name)), _(ref)
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
	"""frappe.desk.query_report.run for the session user, refused for scoped users on reports that
	ignore their scope. ``user`` is accepted for compatibility and ignored: a request may not run a
	report as somebody else."""
	from frappe.desk.query_report import run

	check_report_scope(report_name)
	check_prepared_report_filter(filters)
	return run(
		report_name,
		filters,
		frappe.session.user,
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


def check_prepared_report_filter(filters) -> None:
	"""run() reads a prepared report named in the filters: it must be one the user may read."""
	if isinstance(filters, str):
		try:
			filters = frappe.parse_json(filters)
		except Exception:
			return
	name = (filters or {}).get("prepared_report_name") if isinstance(filters, dict) else None
	if name and not frappe.has_permission("Prepared Report", "read", name):
		frappe.throw(_("You may not read prepared report {0}").format(name), frappe.PermissionError)


def before_insert_prepared_report(doc, method=None) -> None:
	"""doc_event: a scoped user may not queue a report he may not run."""
	check_report_scope(doc.report_name)


def prepared_report_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	if not is_scoped(user):
		return ""
	return f"(`tabPrepared Report`.`owner` = {frappe.db.escape(user)})"


def prepared_report_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	user = user or frappe.session.user
	if not is_scoped(user):
		return None
	if doc.get("owner") and doc.owner != user and not doc.is_new():
		return False
	if _report_is_out_of_scope(doc.report_name):
		return False
	return None
