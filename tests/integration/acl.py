"""Two sales teams of real users for the ORG-4 tests (not a test module: pytest collects nothing here).

Team A: supervisor A with salesmen A1 and A2; team B: supervisor B with salesman B1. Each salesman has
a customer and a quotation, a sales order and a sales invoice for it. The records are committed (the
web server is another process) under fixed names, so re-running creates nothing new.
"""

import requests

import frappe

from tests.integration.helpers import (
	PASSWORD,
	make_customer,
	make_sales_document,
	make_sales_person,
	make_user,
)

DOCTYPES = ("Quotation", "Sales Order", "Sales Invoice")
TEAMS = {
	"A": ["A1", "A2"],
	"B": ["B1"],
}


def email(key: str) -> str:
	return f"acl.{key.lower()}@test.example"


def build_world() -> dict:
	frappe.set_user("Administrator")
	out = {"customers": {}, "docs": {}, "people": {}}
	for team, members in TEAMS.items():
		sup_user = make_user(email(f"sup{team}"), ["Sales User", "Sales Supervisor"])
		supervisor = make_sales_person(
			f"ACL Supervisor {team}",
			parent="Supervisor North",
			is_group=1,
			user=sup_user,
			role="Sales Supervisor",
			code=f"ACLS{team}",
		)
		for key in members:
			user = make_user(email(key), ["Sales User", "Salesman"])
			person = make_sales_person(
				f"ACL Salesman {key}", parent=supervisor, user=user, role="Salesman", code=f"ACL{key}"
			)
			out["people"][key] = person
			customer = make_customer(f"ACL Customer {key}", sales_person=person)
			out["customers"][key] = customer
			for doctype in DOCTYPES:
				field = "party_name" if doctype == "Quotation" else "customer"
				name = frappe.db.get_value(doctype, {field: customer, "docstatus": 1})
				if not name:
					extra = {"update_stock": 1} if doctype == "Sales Invoice" else {}
					name = make_sales_document(doctype, customer, qty=1, submit=True, **extra).name
				out["docs"][(doctype, key)] = name
	frappe.db.commit()
	return out


def make_manager() -> str:
	user = make_user("acl.manager@test.example", ["Sales User", "Sales Manager"])
	frappe.db.commit()
	return user


class Client:
	def __init__(self, url: str, site: str, user: str):
		self.url, self.session = url, requests.Session()
		self.session.headers["Host"] = site
		r = self.session.post(f"{url}/api/method/login", data={"usr": user, "pwd": PASSWORD}, timeout=60)
		assert r.ok, r.text

	def get(self, path: str, **params):
		return self.session.get(f"{self.url}{path}", params=params, timeout=60)

	def post(self, path: str, **data):
		return self.session.post(f"{self.url}{path}", data=data, timeout=60)
