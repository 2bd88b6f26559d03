"""ORG-4: supervisor-scoped access, proven by logging in as real users with real roles.

Team A: supervisor A with salesmen A1 and A2; team B: supervisor B with salesman B1. Each salesman
has a customer and a quotation, a sales order and a sales invoice for it. The records are committed
(the web server is another process) under fixed names, so re-running creates nothing new.
"""

import json

import pytest

import frappe
from frappe.utils import today

from distribution_sales.demo import COMPANY
from tests.integration import acl
from tests.integration.helpers import make_customer, make_sales_document, make_user

DOCTYPES = acl.DOCTYPES
_email = acl.email
Client = acl.Client
make_manager = acl.make_manager


@pytest.fixture(scope="module")
def world(site):
	return acl.build_world()


def visible(user: str, doctype: str) -> set[str]:
	frappe.set_user(user)
	try:
		return set(frappe.get_list(doctype, pluck="name", limit_page_length=0))
	finally:
		frappe.set_user("Administrator")


def test_salesman_lists_only_his_own(world):
	for doctype in DOCTYPES:
		rows = visible(_email("A1"), doctype)
		assert world["docs"][(doctype, "A1")] in rows
		assert world["docs"][(doctype, "A2")] not in rows
		assert world["docs"][(doctype, "B1")] not in rows
	assert visible(_email("A1"), "Customer") == {world["customers"]["A1"]}


def test_supervisor_lists_his_team_only(world):
	for doctype in ("Customer", *DOCTYPES):
		key = (
			(lambda k: world["customers"][k])
			if doctype == "Customer"
			else (lambda k, d=doctype: world["docs"][(d, k)])
		)
		rows = visible(_email("supA"), doctype)
		assert {key("A1"), key("A2")} <= rows
		assert key("B1") not in rows
		assert key("A1") not in visible(_email("supB"), doctype)


def test_manager_sees_everything(world):
	make_user("acl.manager@test.example", ["Sales User", "Sales Manager"])
	rows = visible("acl.manager@test.example", "Customer")
	assert set(world["customers"].values()) <= rows


def test_customer_on_a_route_of_the_visitor_is_his(world):
	"""A shop nobody owns yet, on a route assigned to salesman B1 today, is his and nobody else's."""
	try:
		shop = make_customer("ACL Route Shop " + frappe.generate_hash(length=4))
		assert not frappe.db.get_value("Customer", shop, "ds_sales_person")
		route = frappe.get_doc(
			{
				"doctype": "Sales Route",
				"route_name": "ACL Route " + frappe.generate_hash(length=4),
				"route_code": "ACL" + frappe.generate_hash(length=4).upper(),
				"sales_region": "North",
				"sales_area": "Tehran West",
				"city": frappe.db.get_value("Sales Area", "Tehran West", "city"),
				"customers": [{"customer": shop, "visit_order": 1}],
			}
		).insert()
		assert shop not in visible(_email("B1"), "Customer")
		frappe.get_doc(
			{
				"doctype": "Route Assignment",
				"sales_route": route.name,
				"sales_person": "ACL Salesman B1",
				"from_date": today(),
			}
		).insert()
		assert shop in visible(_email("B1"), "Customer")
		assert shop in visible(_email("supB"), "Customer")
		assert shop not in visible(_email("A1"), "Customer")
		frappe.set_user(_email("B1"))
		assert frappe.get_doc("Customer", shop).has_permission("read")
	finally:
		frappe.set_user("Administrator")
		frappe.db.rollback()


def test_opening_another_teams_document_is_refused(world):
	frappe.set_user(_email("A1"))
	try:
		for doctype in DOCTYPES:
			own = frappe.get_doc(doctype, world["docs"][(doctype, "A1")])
			assert own.has_permission("read")
			other = frappe.get_doc(doctype, world["docs"][(doctype, "B1")])
			assert not other.has_permission("read")
			with pytest.raises(frappe.PermissionError):
				other.check_permission("read")
	finally:
		frappe.set_user("Administrator")


def test_salesman_cannot_enter_an_order_for_another_team(world):
	frappe.set_user(_email("A1"))
	try:
		with pytest.raises(frappe.PermissionError):
			make_sales_document(
				"Sales Order",
				world["customers"]["B1"],
				qty=1,
				as_user=True,
				ds_sales_person="ACL Salesman B1",
			)
		# his own order, entered as in the desk (no salesperson typed): allowed and stamped with his name
		own = make_sales_document("Sales Order", world["customers"]["A1"], qty=1, as_user=True)
		assert own.ds_sales_person == "ACL Salesman A1"
		quotation = make_sales_document("Quotation", world["customers"]["A1"], qty=1, as_user=True)
		assert quotation.ds_sales_person == "ACL Salesman A1"
	finally:
		frappe.set_user("Administrator")
		frappe.db.rollback()


def test_rest_and_rpc_paths_respect_the_scope(world, server, site):
	a1 = Client(server, site, _email("A1"))
	own, other = world["docs"][("Sales Order", "A1")], world["docs"][("Sales Order", "B1")]

	# /api/resource list and single document
	listed = {r["name"] for r in a1.get("/api/resource/Sales Order", limit_page_length=0).json()["data"]}
	assert own in listed and other not in listed
	assert a1.get(f"/api/resource/Sales Order/{own}").status_code == 200
	assert a1.get(f"/api/resource/Sales Order/{other}").status_code == 403
	assert a1.get(f"/api/resource/Customer/{world['customers']['B1']}").status_code == 403

	# /api/method: client.get, get_list, get_count, get_value
	assert a1.get("/api/method/frappe.client.get", doctype="Sales Order", name=other).status_code == 403
	names = {
		r["name"]
		for r in a1.get(
			"/api/method/frappe.client.get_list", doctype="Sales Invoice", limit_page_length=0
		).json()["message"]
	}
	assert names == {world["docs"][("Sales Invoice", "A1")]}
	count = a1.get("/api/method/frappe.client.get_count", doctype="Quotation").json()["message"]
	assert count == 1
	value = a1.get(
		"/api/method/frappe.client.get_value",
		doctype="Customer",
		filters=json.dumps({"name": world["customers"]["B1"]}),
		fieldname="customer_name",
	)
	assert value.status_code == 403 or not value.json().get("message")

	# report builder (report view) and link search
	report = a1.post(
		"/api/method/frappe.desk.reportview.get",
		doctype="Customer",
		fields=json.dumps(["name"]),
		page_length=500,
	).json()["message"]
	assert [r[0] for r in report["values"]] == [world["customers"]["A1"]]
	found = a1.get(
		"/api/method/frappe.desk.search.search_link", doctype="Customer", txt="ACL Customer"
	).json()["message"]
	assert {r["value"] for r in found} == {world["customers"]["A1"]}


def test_script_report_shows_only_the_team(world, server, site):
	sup = Client(server, site, _email("supA"))
	result = sup.post(
		"/api/method/frappe.desk.query_report.run", report_name="Customers by Route", filters=json.dumps({})
	).json()["message"]
	customers = {row["name"] for row in result["result"] if isinstance(row, dict)}
	assert customers == {world["customers"]["A1"], world["customers"]["A2"]}
	assert result["chart"]["data"]["labels"] == ["ACL Salesman A1", "ACL Salesman A2"]


def test_reports_that_ignore_the_scope_are_refused(world, server, site):
	"""ERPNext's script reports run their own SQL (Sales Order Analysis would list team B's orders to
	supervisor A): a scoped user may not run or export them, a manager may."""
	filters = json.dumps({"company": COMPANY, "from_date": "2020-01-01", "to_date": today()})
	sup = Client(server, site, _email("supA"))
	refused = sup.post(
		"/api/method/frappe.desk.query_report.run", report_name="Sales Order Analysis", filters=filters
	)
	assert refused.status_code == 403
	assert "every team" in refused.text
	export = sup.post(
		"/api/method/frappe.desk.query_report.export_query",
		report_name="Sales Order Analysis",
		filters=filters,
		file_format_type="CSV",
	)
	assert export.status_code == 403
	manager = Client(server, site, make_manager())
	allowed = manager.post(
		"/api/method/frappe.desk.query_report.run", report_name="Sales Order Analysis", filters=filters
	)
	assert allowed.status_code == 200, allowed.text[:500]
	orders = {row.get("sales_order") for row in allowed.json()["message"]["result"] if isinstance(row, dict)}
	assert {world["docs"][("Sales Order", "A1")], world["docs"][("Sales Order", "B1")]} <= orders
