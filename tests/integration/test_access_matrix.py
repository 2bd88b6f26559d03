"""ORG-4 over HTTP: every scoped doctype through every access path, as real users of two teams.

Team A's salesman asks for everything by every path a browser or a script can take; team B's customer
and documents must not appear anywhere in any response body (a refusal may echo the name that was
asked for, nothing else). Each path is also shown to work, by finding team A's own records in it, so
that an empty answer cannot pass for a secure one. A supervisor sees exactly his team, a manager all.
"""

import json

import pytest

import frappe
from frappe.utils import add_days, today

from distribution_sales.demo import COMPANY
from distribution_sales.sales_organisation import scope
from tests.integration import acl
from tests.integration.helpers import make_sales_document

A, B = "A1", "B1"

# parents whose records the matrix creates for both teams (see world), and a field to group by
LISTED = {
	"Customer": "customer_group",
	"Quotation": "status",
	"Sales Order": "customer",
	"Sales Invoice": "customer",
	"Delivery Note": "customer",
	"Sales Request": "customer",
	"Address": "city",
	"Contact": "status",
	"Sales Route": "sales_area",
	"Route Assignment": "sales_person",
	"Credit Policy": "party",
}


def _linked(doctype: str, customer: str, values: dict) -> str:
	"""The Address or Contact linked to ``customer``, made once."""
	name = frappe.db.get_value("Dynamic Link", {"parenttype": doctype, "link_name": customer}, "parent")
	if name:
		return name
	links = [{"link_doctype": "Customer", "link_name": customer}]
	return frappe.get_doc({"doctype": doctype, **values, "links": links}).insert(ignore_permissions=True).name


def _address(customer: str) -> str:
	return _linked(
		"Address",
		customer,
		{
			"address_title": customer,
			"address_type": "Billing",
			"address_line1": f"{customer} street 1",
			"city": "Tehran",
			"country": "Iran",
		},
	)


def _contact(customer: str) -> str:
	return _linked("Contact", customer, {"first_name": f"Buyer of {customer}"})


def _route(key: str, customer: str, person: str) -> str:
	code = f"ACLR{key}"
	name = frappe.db.get_value("Sales Route", {"route_code": code})
	if not name:
		name = (
			frappe.get_doc(
				{
					"doctype": "Sales Route",
					"route_name": f"ACL Route {key}",
					"route_code": code,
					"sales_region": "North",
					"sales_area": "Tehran West",
					"city": frappe.db.get_value("Sales Area", "Tehran West", "city"),
					"customers": [{"customer": customer, "visit_order": 1}],
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
	if not frappe.db.exists("Route Assignment", {"sales_route": name}):
		frappe.get_doc(
			{
				"doctype": "Route Assignment",
				"sales_route": name,
				"sales_person": person,
				"from_date": add_days(today(), -30),
			}
		).insert(ignore_permissions=True)
	return name


def _policy(key: str, customer: str) -> str:
	name = f"ACL Policy {key}"
	if not frappe.db.exists("Credit Policy", name):
		frappe.get_doc(
			{
				"doctype": "Credit Policy",
				"policy_name": name,
				"company": COMPANY,
				"applies_to": "Customer",
				"party": customer,
				"action": "Warn",
				"max_outstanding": 10**9,
			}
		).insert(ignore_permissions=True)
	return name


def _draft(doctype: str, customer: str) -> str:
	field = "customer"
	name = frappe.db.get_value(doctype, {field: customer, "docstatus": 0})
	return name or make_sales_document(doctype, customer, qty=1).name


@pytest.fixture(scope="module")
def world(site):
	out = acl.build_world()
	for key in (A, B):
		customer = out["customers"][key]
		for doctype in ("Delivery Note", "Sales Request"):
			out["docs"][(doctype, key)] = _draft(doctype, customer)
		out["docs"][("Address", key)] = _address(customer)
		out["docs"][("Contact", key)] = _contact(customer)
		out["docs"][("Sales Route", key)] = _route(key, customer, out["people"][key])
		out["docs"][("Credit Policy", key)] = _policy(key, customer)
		out["docs"][("Route Assignment", key)] = frappe.db.get_value(
			"Route Assignment", {"sales_route": out["docs"][("Sales Route", key)]}
		)
		out["docs"][("Customer", key)] = customer
	frappe.db.commit()
	out["forbidden"] = forbidden_names(out, B)
	yield out
	# the routes and policies made here would change the demo's counts for later tests: remove them
	frappe.set_user("Administrator")
	for key in (A, B):
		route = out["docs"][("Sales Route", key)]
		for assignment in frappe.get_all("Route Assignment", {"sales_route": route}, pluck="name"):
			frappe.delete_doc("Route Assignment", assignment, force=True)
		frappe.delete_doc("Sales Route", route, force=True)
		frappe.delete_doc("Credit Policy", out["docs"][("Credit Policy", key)], force=True)
	frappe.db.commit()


def forbidden_names(world: dict, key: str) -> set[str]:
	customer = world["customers"][key]
	names = {customer, frappe.db.get_value("Customer", customer, "customer_name")}
	names |= {name for (_doctype, k), name in world["docs"].items() if k == key}
	names.add(f"ACL Route {key}")
	return {n for n in names if n}


def assert_clean(response, world: dict, path: str, allowed: str | tuple = ()) -> None:
	"""No name of team B in the body, but for ``allowed``: the names the request itself asked for."""
	body = response.text
	for name in (allowed,) if isinstance(allowed, str) else allowed:
		body = body.replace(str(name), "")
	leaked = sorted(n for n in world["forbidden"] if n in body)
	assert not leaked, f"{path}: team B's {leaked} in the response"


@pytest.fixture(scope="module")
def a1(world, server, site):
	return acl.Client(server, site, acl.email(A))


@pytest.mark.parametrize("doctype", list(LISTED))
def test_lists_show_the_own_team_and_nothing_else(doctype, world, a1):
	own = world["docs"][(doctype, A)]
	group_field = LISTED[doctype]
	paths = {
		"REST list": a1.get(f"/api/resource/{doctype}", fields=json.dumps(["*"]), limit_page_length=0),
		"client.get_list": a1.post(
			"/api/method/frappe.client.get_list",
			doctype=doctype,
			fields=json.dumps(["*"]),
			limit_page_length=0,
		),
		"reportview.get": a1.post(
			"/api/method/frappe.desk.reportview.get",
			doctype=doctype,
			fields=json.dumps([f"`tab{doctype}`.`name`", f"`tab{doctype}`.`{group_field}`"]),
			page_length=0,
		),
		"reportview.export_query": a1.post(
			"/api/method/frappe.desk.reportview.export_query",
			doctype=doctype,
			file_format_type="CSV",
			fields=json.dumps([f"`tab{doctype}`.`name`", f"`tab{doctype}`.`{group_field}`"]),
			filters=json.dumps([]),
		),
		"sidebar group-by count": a1.post(
			"/api/method/frappe.desk.listview.get_group_by_count",
			doctype=doctype,
			current_filters=json.dumps([]),
			field=group_field,
		),
		"link search": a1.get(
			"/api/method/frappe.desk.search.search_link", doctype=doctype, txt="ACL", page_length=100
		),
	}
	exported = paths.pop("reportview.export_query")
	for path, response in paths.items():
		assert response.status_code == 200, f"{doctype} {path}: {response.status_code} {response.text[:300]}"
		assert_clean(response, world, f"{doctype} {path}")
	for path in ("REST list", "client.get_list", "reportview.get"):
		assert own in paths[path].text, f"{doctype} {path} does not show team A's own {own}"
	# a Sales User may not export some of these at all; where he may, the file holds his team only
	assert exported.status_code in (200, 403), exported.text[:300]
	assert_clean(exported, world, f"{doctype} export")
	if exported.status_code == 200:
		assert own in exported.text
	count = a1.get("/api/method/frappe.client.get_count", doctype=doctype).json()["message"]
	names = {r["name"] for r in paths["REST list"].json()["data"]}
	assert count == len(names)


@pytest.mark.parametrize("doctype", list(LISTED))
def test_another_teams_record_is_refused_by_every_path(doctype, world, a1):
	other = world["docs"][(doctype, B)]
	own = world["docs"][(doctype, A)]
	assert a1.get(f"/api/resource/{doctype}/{own}").status_code == 200
	refused = {
		"REST get": a1.get(f"/api/resource/{doctype}/{other}"),
		"client.get": a1.get("/api/method/frappe.client.get", doctype=doctype, name=other),
		"form load": a1.get("/api/method/frappe.desk.form.load.getdoc", doctype=doctype, name=other),
		"PDF": a1.get("/api/method/frappe.utils.print_format.download_pdf", doctype=doctype, name=other),
	}
	for path, response in refused.items():
		assert response.status_code == 403, f"{doctype} {path}: {response.status_code}"
		assert_clean(response, world, f"{doctype} {path}", allowed=other)
	value = a1.get(
		"/api/method/frappe.client.get_value",
		doctype=doctype,
		filters=json.dumps({"name": other}),
		fieldname="name",
	)
	assert value.status_code == 403 or not value.json().get("message")
	assert_clean(value, world, f"{doctype} get_value", allowed=other)
	count = a1.get(
		"/api/method/frappe.client.get_count", doctype=doctype, filters=json.dumps({"name": other})
	)
	assert count.json()["message"] == 0
	page = a1.get("/printview", doctype=doctype, name=other)
	assert page.status_code in (403, 404) or "No permission" in page.text or "not permitted" in page.text
	assert_clean(page, world, f"{doctype} print view", allowed=other)


def _child_tables() -> list[tuple[str, str]]:
	return [(child, parent) for child, parents in scope.CHILD_TABLES.items() for parent in parents]


@pytest.mark.parametrize("child,parent", _child_tables())
def test_child_tables_follow_their_parent(child, parent, world, a1):
	response = a1.post(
		"/api/method/frappe.client.get_list",
		doctype=child,
		parent=parent,
		fields=json.dumps(["*"]),
		limit_page_length=0,
	)
	if response.status_code == 403:  # the parent itself is not readable to a salesman
		assert_clean(response, world, f"{child} of {parent}")
		return
	assert response.status_code == 200, response.text[:300]
	assert_clean(response, world, f"{child} of {parent}")
	parents = {row["parent"] for row in response.json()["message"]}
	own = world["docs"].get((parent, A))
	if own and frappe.db.exists(child, {"parenttype": parent, "parent": own}):
		assert own in parents, f"{child} of {parent}: team A's own rows are missing"


def test_every_child_table_of_a_scoped_doctype_is_scoped(site):
	"""The list in scope.py against the real meta (custom fields included): nothing drifts."""
	missing = []
	for parent in scope.SCOPES:
		for df in frappe.get_meta(parent).get_table_fields():
			if df.options in scope.UNSCOPED_CHILD_TABLES:
				continue
			if parent not in scope.CHILD_TABLES.get(df.options, ()):
				missing.append(f"{parent}.{df.fieldname} ({df.options})")
	assert not missing


def test_parent_fields_with_child_columns_stay_scoped(world, a1):
	response = a1.post(
		"/api/method/frappe.client.get_list",
		doctype="Sales Order",
		fields=json.dumps(["name", "customer", "`tabSales Order Item`.`item_code`"]),
		limit_page_length=0,
	)
	assert world["docs"][("Sales Order", A)] in response.text
	assert_clean(response, world, "Sales Order with item columns")


def test_not_readable_to_a_salesman(world, a1):
	"""Receipts, delivery trips and the distributors' sell-out are not a salesman's to read."""
	for doctype in ("Payment Entry", "Delivery Trip", *scope.SECONDARY_SALES):
		response = a1.get(f"/api/resource/{doctype}", limit_page_length=0)
		assert response.status_code == 403 or response.json()["data"] == [], doctype
		assert_clean(response, world, doctype)


def test_reports_run_for_the_session_user_only(world, a1):
	filters = json.dumps({"company": COMPANY, "from_date": "2020-01-01", "to_date": today()})
	for user in (None, "Administrator"):
		data = {"report_name": "Sales Order Analysis", "filters": filters}
		if user:
			data["user"] = user
		response = a1.post("/api/method/frappe.desk.query_report.run", **data)
		assert response.status_code == 403, response.text[:300]
		assert_clean(response, world, f"query_report.run user={user}")
	# this app's own report, with a user named in the request, still shows only his customers
	own = a1.post(
		"/api/method/frappe.desk.query_report.run",
		report_name="Customers by Route",
		filters=json.dumps({}),
		user="Administrator",
	)
	assert own.status_code == 200
	assert world["customers"][A] in own.text
	assert_clean(own, world, "Customers by Route user=Administrator")


def test_prepared_reports_are_guarded(world, a1, server, site):
	manager = acl.Client(server, site, acl.make_manager())
	made = manager.post(
		"/api/method/frappe.core.doctype.prepared_report.prepared_report.make_prepared_report",
		report_name="Sales Order Analysis",
		filters=json.dumps({"company": COMPANY, "from_date": "2020-01-01", "to_date": today()}),
	)
	assert made.status_code == 200, made.text[:300]
	theirs = made.json()["message"]["name"]
	before = frappe.db.count("Prepared Report")
	refused = a1.post(
		"/api/method/frappe.core.doctype.prepared_report.prepared_report.make_prepared_report",
		report_name="Sales Order Analysis",
		filters=json.dumps({"company": COMPANY}),
	)
	assert refused.status_code == 403
	frappe.db.rollback()
	assert frappe.db.count("Prepared Report") == before  # nothing queued for the salesman
	listed = a1.get("/api/resource/Prepared Report", limit_page_length=0)
	assert theirs not in listed.text
	for path, response in {
		"REST get": a1.get(f"/api/resource/Prepared Report/{theirs}"),
		"download": a1.get(
			"/api/method/frappe.core.doctype.prepared_report.prepared_report.download_attachment",
			dn=theirs,
		),
		"run with its name": a1.post(
			"/api/method/frappe.desk.query_report.run",
			report_name="Customers by Route",
			filters=json.dumps({"prepared_report_name": theirs}),
		),
	}.items():
		assert response.status_code in (403, 417), f"{path}: {response.status_code}"
		assert_clean(response, world, f"prepared report {path}", allowed=theirs)


def test_the_apps_methods_refuse_another_teams_names(world, a1):
	docs, customers = world["docs"], world["customers"]
	so, customer = docs[("Sales Order", B)], customers[B]
	calls = {
		"order_receipts": ("distribution_sales.order_management.flow.order_receipts", {"name": so}),
		"send_for_approval": ("distribution_sales.order_management.flow.send_for_approval", {"name": so}),
		"approve_order": ("distribution_sales.order_management.flow.approve_order", {"name": so}),
		"return_for_edit": ("distribution_sales.order_management.flow.return_for_edit", {"name": so}),
		"complete_order": ("distribution_sales.order_management.flow.complete_order", {"name": so}),
		"make_refund": ("distribution_sales.order_management.flow.make_refund", {"name": so}),
		"update_items": (
			"erpnext.controllers.accounts_controller.update_child_qty_rate",
			{"parent_doctype": "Sales Order", "parent_doctype_name": so, "trans_items": "[]"},
		),
		"make_delivery_note": (
			"erpnext.selling.doctype.sales_order.sales_order.make_delivery_note",
			{"source_name": so},
		),
		"request_credit_approval": (
			"distribution_sales.sales_control.api.request_credit_approval",
			{"doctype": "Delivery Note", "name": docs[("Delivery Note", B)]},
		),
		"get_customer_position": (
			"distribution_sales.sales_control.api.get_customer_position",
			{"customer": customer, "company": COMPANY},
		),
		"get_customer_credit": (
			"distribution_sales.sales_organisation.api.get_customer_credit",
			{"customer": customer, "company": COMPANY},
		),
		"get_route_visitor": (
			"distribution_sales.sales_organisation.api.get_route_visitor",
			{"route": docs[("Sales Route", B)]},
		),
		"request to proforma": (
			"distribution_sales.order_management.doctype.sales_request.sales_request.make_quotation",
			{"source_name": docs[("Sales Request", B)]},
		),
		"request to order": (
			"distribution_sales.order_management.doctype.sales_request.sales_request.make_sales_order",
			{"source_name": docs[("Sales Request", B)]},
		),
	}
	state = frappe.db.get_value("Sales Order", so, ["status", "ds_approval_state", "modified"])
	for label, (method, args) in calls.items():
		response = a1.post(f"/api/method/{method}", **args)
		assert response.status_code in (403, 417), f"{label}: {response.status_code} {response.text[:300]}"
		assert_clean(response, world, label, allowed=tuple(args.values()))
	frappe.db.rollback()
	assert frappe.db.get_value("Sales Order", so, ["status", "ds_approval_state", "modified"]) == state
	routes = a1.get(
		"/api/method/distribution_sales.sales_organisation.api.get_visitor_routes",
		sales_person=world["people"][B],
	)
	assert_clean(routes, world, "get_visitor_routes")


def test_supervisor_sees_his_team_and_a_manager_everything(world, server, site):
	supervisor = acl.Client(server, site, acl.email("supA"))
	manager = acl.Client(server, site, acl.make_manager())
	for doctype in ("Delivery Note", "Sales Request", "Address", "Sales Route", "Credit Policy"):
		seen = supervisor.get(f"/api/resource/{doctype}", limit_page_length=0).text
		assert world["docs"][(doctype, A)] in seen
		assert world["docs"][(doctype, B)] not in seen
		everything = manager.get(f"/api/resource/{doctype}", limit_page_length=0).text
		assert {world["docs"][(doctype, A)], world["docs"][(doctype, B)]} <= set(
			r["name"] for r in json.loads(everything)["data"]
		)
