"""CRD-2, DOC-4: approvals reach the people who decide, with real users over HTTP.

Sending a document for credit approval assigns it (a ToDo and a notification) to every enabled Credit
Controller permitted on its company; sending an order for approval assigns it to the Sales Managers.
They see it in their notifications and their ToDo list; deciding closes the open assignments of that
document for everyone; a refused decision changes nothing. The web server is another process, so the
records are committed (fixed names for the users, fresh names for the documents).
"""

import json

import pytest

import frappe

from distribution_sales.demo import COMPANY
from distribution_sales.order_management import flow
from tests.integration.acl import Client
from tests.integration.helpers import flow_defaults, make_sales_person, make_user
from tests.integration.sales_control_helpers import PRICE, make_item, make_policy, new_customer, sales_doc

OTHER_COMPANY = "DS Approval Other Co"
CREDIT = "distribution_sales.sales_control.api"
FLOW = "distribution_sales.order_management.flow"
NOTIFICATIONS = "/api/method/frappe.desk.doctype.notification_log.notification_log.get_notification_logs"


def email(key: str) -> str:
	return f"approve.{key}@test.example"


def other_company() -> str:
	if not frappe.db.exists("Company", OTHER_COMPANY):
		frappe.get_doc(
			{
				"doctype": "Company",
				"company_name": OTHER_COMPANY,
				"abbr": "DSAOC",
				"default_currency": "IRR",
				"country": "Iran",
			}
		).insert(ignore_permissions=True)
	return OTHER_COMPANY


def restrict(user: str, company: str, applicable_for: str | None = None):
	"""A User Permission: ``user`` works only for ``company`` (on every doctype, or one)."""
	filters = {"user": user, "allow": "Company", "for_value": company}
	if not frappe.db.exists("User Permission", filters):
		frappe.get_doc(
			{
				"doctype": "User Permission",
				**filters,
				"apply_to_all_doctypes": 0 if applicable_for else 1,
				"applicable_for": applicable_for,
			}
		).insert(ignore_permissions=True)


@pytest.fixture(scope="module")
def people(site):
	frappe.set_user("Administrator")
	company = other_company()
	out = {
		"salesman": make_user(email("salesman"), ["Sales User", "Salesman"]),
		# credit controllers: two plain ones, one restricted to another company, one restricted to it
		# for invoices only, a disabled one
		"cc1": make_user(email("cc1"), ["Credit Controller", "Sales User"]),
		"cc2": make_user(email("cc2"), ["Credit Controller", "Sales User"]),
		"cc_other": make_user(email("cc.other"), ["Credit Controller", "Sales User"]),
		"cc_invoices": make_user(email("cc.invoices"), ["Credit Controller", "Sales User"]),
		"cc_disabled": make_user(email("cc.disabled"), ["Credit Controller", "Sales User"]),
		"m1": make_user(email("m1"), ["Sales User", "Sales Manager"]),
		"m2": make_user(email("m2"), ["Sales User", "Sales Manager"]),
		"m_other": make_user(email("m.other"), ["Sales User", "Sales Manager"]),
	}
	restrict(out["cc_other"], company)
	restrict(out["m_other"], company)
	restrict(out["cc_invoices"], company, applicable_for="Sales Invoice")
	frappe.db.set_value("User", out["cc_disabled"], "enabled", 0)
	out["person"] = make_sales_person(
		"Approval Notify Salesman",
		parent="Supervisor North",
		user=out["salesman"],
		role="Salesman",
		code="APN1",
	)
	out["item"] = make_item(stock=1000)
	frappe.db.commit()
	return out


@pytest.fixture
def orders_need_approval(site):
	settings = frappe.get_doc("Distribution Settings", COMPANY)
	before = {k: settings.get(k) for k in flow.FLOW_FIELDS}
	settings.update({**flow_defaults(), "orders_need_approval": 1})
	settings.save()
	frappe.db.commit()
	yield
	frappe.db.rollback()
	settings = frappe.get_doc("Distribution Settings", COMPANY)
	settings.update(before)
	settings.save()
	frappe.db.commit()


def assignments(doc, role: str) -> list[tuple]:
	"""The approval ToDos of ``doc`` as committed (name, user, status, modified)."""
	frappe.db.rollback()  # a fresh snapshot: the web server committed them
	return [
		(t.name, t.allocated_to, t.status, str(t.modified))
		for t in frappe.get_all(
			"ToDo",
			{"reference_type": doc.doctype, "reference_name": doc.name, "role": role},
			["name", "allocated_to", "status", "modified"],
			order_by="name",
		)
	]


def holders(role: str) -> set[str]:
	frappe.db.rollback()
	return {
		u
		for u in frappe.get_all("Has Role", {"role": role, "parenttype": "User"}, pluck="parent")
		if u != "Administrator" and frappe.db.get_value("User", u, "enabled")
	}


def call(client: Client, method: str, **data):
	response = client.post(f"/api/method/{method}", **data)
	body = response.json()
	messages = " ".join(
		json.loads(m).get("message", "") for m in json.loads(body.get("_server_messages", "[]"))
	)
	return response.status_code, body.get("message"), body.get("exc_type"), messages


def notified(client: Client, doc) -> list[dict]:
	response = client.get(NOTIFICATIONS, limit=100)
	assert response.ok, response.text[:500]
	return [
		n
		for n in response.json()["message"]["notification_logs"]
		if n["document_type"] == doc.doctype and n["document_name"] == doc.name
	]


def todo_list(client: Client, doc) -> list[dict]:
	"""The user's own ToDo list (the desk's /app/todo), filtered to ``doc``."""
	response = client.get(
		"/api/resource/ToDo",
		filters=json.dumps([["reference_name", "=", doc.name]]),
		fields=json.dumps(["name", "status", "allocated_to", "reference_type"]),
	)
	assert response.ok, response.text[:500]
	return response.json()["data"]


def test_credit_approval_reaches_the_credit_controllers_and_closes_when_decided(people, server, site):
	p = people
	customer = new_customer(sales_person=p["person"])
	make_policy("Customer", customer, max_total_exposure=PRICE)
	order = sales_doc("Sales Order", customer, [(p["item"], 3)], ds_sales_person=p["person"])
	frappe.db.commit()
	salesman, cc1, cc2 = (Client(server, site, p[k]) for k in ("salesman", "cc1", "cc2"))

	status, state, _exc, _m = call(
		salesman, f"{CREDIT}.request_credit_approval", doctype=order.doctype, name=order.name
	)
	assert (status, state) == (200, "Pending Approval")

	todos = assignments(order, "Credit Controller")
	assigned = {user for _n, user, _s, _m in todos}
	assert {p["cc1"], p["cc2"], p["cc_invoices"]} <= assigned  # restricted to it for invoices only
	assert p["cc_other"] not in assigned and p["cc_disabled"] not in assigned
	assert assigned == holders("Credit Controller") - {p["cc_other"], p["cc_disabled"]}
	assert {s for _n, _u, s, _m in todos} == {"Open"}

	# the credit controller sees it in his notifications and his ToDo list
	logs = notified(cc1, order)
	assert len(logs) == 1 and logs[0]["type"] == "Assignment" and logs[0]["from_user"] == p["salesman"]
	assert order.name in logs[0]["subject"] and "for credit approval" in logs[0]["subject"]
	assert "Total Exposure" in (logs[0]["email_content"] or "")
	assert [(t["allocated_to"], t["status"]) for t in todo_list(cc1, order)] == [(p["cc1"], "Open")]
	assert not notified(Client(server, site, p["cc_other"]), order)

	# refusals leave the assignments, the state and the log unchanged
	status, _r, exc, message = call(
		salesman,
		f"{CREDIT}.decide_credit_approval",
		doctype=order.doctype,
		name=order.name,
		approve=1,
		reason="Mine",
	)
	assert (status, exc) == (403, "PermissionError") and "Only a Credit Controller" in message
	status, _r, exc, message = call(
		cc1, f"{CREDIT}.decide_credit_approval", doctype=order.doctype, name=order.name, approve=1, reason=" "
	)
	assert status == 417 and "reason" in message
	assert assignments(order, "Credit Controller") == todos
	assert frappe.db.get_value("Sales Order", order.name, "ds_credit_state") == "Pending Approval"
	assert frappe.db.count("Credit Check Log", {"parent": order.name}) == 1

	# the decision closes every open assignment of the document, for everyone
	status, state, _e, _m = call(
		cc1,
		f"{CREDIT}.decide_credit_approval",
		doctype=order.doctype,
		name=order.name,
		approve=1,
		reason="Paid",
	)
	assert (status, state) == (200, "Approved")
	after = assignments(order, "Credit Controller")
	assert [n for n, *_ in after] == [n for n, *_ in todos]
	assert {s for _n, _u, s, _m in after} == {"Closed"}
	assert [t["status"] for t in todo_list(cc2, order)] == ["Closed"]


def test_a_rejection_closes_the_assignments_too(people, server, site):
	p = people
	customer = new_customer(sales_person=p["person"])
	make_policy("Customer", customer, max_total_exposure=PRICE)
	order = sales_doc("Sales Order", customer, [(p["item"], 2)], ds_sales_person=p["person"])
	frappe.db.commit()
	salesman, cc2 = Client(server, site, p["salesman"]), Client(server, site, p["cc2"])
	assert call(salesman, f"{CREDIT}.request_credit_approval", doctype=order.doctype, name=order.name)[1] == (
		"Pending Approval"
	)
	# sent twice: refused, nobody assigned twice
	todos = assignments(order, "Credit Controller")
	status, _r, _e, message = call(
		salesman, f"{CREDIT}.request_credit_approval", doctype=order.doctype, name=order.name
	)
	assert status == 417 and "already waiting" in message
	assert assignments(order, "Credit Controller") == todos
	assert len(notified(cc2, order)) == 1

	status, state, _e, _m = call(
		cc2,
		f"{CREDIT}.decide_credit_approval",
		doctype=order.doctype,
		name=order.name,
		approve=0,
		reason="Debt",
	)
	assert (status, state) == (200, "Rejected")
	assert {s for _n, _u, s, _m in assignments(order, "Credit Controller")} == {"Closed"}


def test_order_approval_reaches_the_sales_managers_and_closes_when_decided(
	people, server, site, orders_need_approval
):
	p = people
	customer = new_customer(sales_person=p["person"])
	order = sales_doc("Sales Order", customer, [(p["item"], 1)], ds_sales_person=p["person"])
	frappe.db.commit()
	salesman, m1, m2 = (Client(server, site, p[k]) for k in ("salesman", "m1", "m2"))

	status, state, _e, _m = call(salesman, f"{FLOW}.send_for_approval", name=order.name)
	assert (status, state) == (200, "Sent for Approval")
	todos = assignments(order, "Sales Manager")
	assigned = {user for _n, user, _s, _m in todos}
	assert {p["m1"], p["m2"]} <= assigned and p["m_other"] not in assigned
	assert assigned == holders("Sales Manager") - {p["m_other"]}
	assert {s for _n, _u, s, _m in todos} == {"Open"}
	logs = notified(m1, order)
	assert len(logs) == 1 and "for approval" in logs[0]["subject"] and order.name in logs[0]["subject"]
	assert [(t["allocated_to"], t["status"]) for t in todo_list(m1, order)] == [(p["m1"], "Open")]

	# a salesman may not decide: refused, nothing changes
	status, _r, exc, message = call(salesman, f"{FLOW}.approve_order", name=order.name)
	assert status == 417 and exc == "ApprovalError" and "Only a Sales Manager" in message
	status, _r, exc, _m = call(salesman, f"{FLOW}.return_for_edit", name=order.name)
	assert status == 417 and exc == "ApprovalError"
	assert assignments(order, "Sales Manager") == todos
	assert frappe.db.get_value("Sales Order", order.name, "ds_approval_state") == "Sent for Approval"

	# returned for edit: closed for everyone; sent again: assigned again; approved: closed
	assert call(m1, f"{FLOW}.return_for_edit", name=order.name)[:2] == (200, "Returned for Edit")
	assert {s for _n, _u, s, _m in assignments(order, "Sales Manager")} == {"Closed"}
	assert [t["status"] for t in todo_list(m2, order)] == ["Closed"]
	assert call(salesman, f"{FLOW}.send_for_approval", name=order.name)[:2] == (200, "Sent for Approval")
	again = assignments(order, "Sales Manager")
	assert sorted(s for _n, _u, s, _m in again) == ["Closed"] * len(todos) + ["Open"] * len(todos)
	assert len(notified(m2, order)) == 2
	assert call(m2, f"{FLOW}.approve_order", name=order.name)[:2] == (200, "Approved")
	assert {s for _n, _u, s, _m in assignments(order, "Sales Manager")} == {"Closed"}


def test_submitting_an_order_that_needs_approval_assigns_it_and_cancelling_withdraws_it(
	people, server, site, orders_need_approval
):
	p = people
	customer = new_customer(sales_person=p["person"])
	order = sales_doc("Sales Order", customer, [(p["item"], 1)], ds_sales_person=p["person"])
	frappe.db.commit()
	salesman, m1 = Client(server, site, p["salesman"]), Client(server, site, p["m1"])
	doc = salesman.get(f"/api/resource/Sales Order/{order.name}").json()["data"]
	response = salesman.post("/api/method/frappe.client.submit", doc=json.dumps(doc))
	assert response.ok, response.text[:500]
	assert response.json()["message"]["ds_approval_state"] == "Sent for Approval"
	assert {s for _n, _u, s, _m in assignments(order, "Sales Manager")} == {"Open"}
	assert len(notified(m1, order)) == 1

	# the salesman may not cancel it any more: refused, the assignments stay open
	todos = assignments(order, "Sales Manager")
	response = salesman.post("/api/method/frappe.client.cancel", doctype="Sales Order", name=order.name)
	assert response.status_code == 403, response.text[:300]
	assert assignments(order, "Sales Manager") == todos
	# a manager cancels it: nothing left to approve
	response = m1.post("/api/method/frappe.client.cancel", doctype="Sales Order", name=order.name)
	assert response.ok, response.text[:500]
	assert {s for _n, _u, s, _m in assignments(order, "Sales Manager")} == {"Cancelled"}


def test_a_managers_own_order_is_assigned_to_nobody(people, server, site, orders_need_approval):
	p = people
	customer = new_customer(sales_person=p["person"])
	frappe.db.commit()
	m1 = Client(server, site, p["m1"])
	order = sales_doc("Sales Order", customer, [(p["item"], 1)])
	frappe.db.commit()
	doc = m1.get(f"/api/resource/Sales Order/{order.name}").json()["data"]
	response = m1.post("/api/method/frappe.client.submit", doc=json.dumps(doc))
	assert response.ok, response.text[:500]
	assert response.json()["message"]["ds_approval_state"] == "Approved"
	assert assignments(order, "Sales Manager") == []
