"""Customer (ORG-7, ORG-8): normalised names, customer code, main group, sub-ledger, blacklist."""

import frappe
from frappe import _
from frappe.model.naming import getseries
from frappe.utils import today
from frappe.utils.nestedset import get_ancestors_of

from distribution_sales.overrides.sales_document import set_sales_person
from distribution_sales.rules.customer_code import code_parts, tokens_needed
from distribution_sales.rules.text import normalize_text
from distribution_sales.sales_organisation.doctype.distribution_settings.distribution_settings import (
	get_distribution_settings,
)
from distribution_sales.utils import rule_errors


def before_validate(doc, method=None):
	doc.customer_name = normalize_text(doc.customer_name)
	if not doc.get("ds_company"):
		doc.ds_company = frappe.defaults.get_user_default("Company") or frappe.db.get_single_value(
			"Global Defaults", "default_company"
		)
	set_sales_person(doc)


def before_insert(doc, method=None):
	settings = company_settings(doc.get("ds_company"))
	if not settings:
		return
	if settings.customer_code_pattern and not doc.get("ds_customer_code"):
		doc.ds_customer_code = next_customer_code(doc, settings.customer_code_pattern)
	if settings.auto_customer_account:
		add_receivable_account(doc, settings)


def validate(doc, method=None):
	doc.ds_main_customer_group = main_customer_group(doc.customer_group)
	validate_geography(doc)
	validate_blacklist(doc)


def company_settings(company: str | None):
	"""The company's saved Distribution Settings, or None when it has none (customers are then coded
	and given accounts by nothing of this app)."""
	if not company or not frappe.db.exists("Distribution Settings", company):
		return None
	return get_distribution_settings(company)


def main_customer_group(group: str | None) -> str | None:
	"""The top group below the root that ``group`` sits in (the "main group"; ``group`` is the sub group)."""
	if not group:
		return None
	ancestors = get_ancestors_of("Customer Group", group)  # nearest first, root last
	chain = [group, *ancestors]
	return chain[-2] if len(chain) >= 2 else group


def code_values(doc) -> dict[str, str | None]:
	"""Values for the customer code pattern, found from the customer's territory upwards."""
	territories = [doc.territory, *get_ancestors_of("Territory", doc.territory)] if doc.territory else []
	values: dict[str, str | None] = {}
	for token, doctype, field in (
		("ROUTE", "Sales Route", "route_code"),
		("AREA", "Sales Area", "area_code"),
		("REGION", "Sales Region", "region_code"),
	):
		values[token] = next(
			(code for t in territories if (code := frappe.db.get_value(doctype, {"territory": t}, field))),
			None,
		)
	groups = (
		[doc.customer_group, *get_ancestors_of("Customer Group", doc.customer_group)]
		if doc.customer_group
		else []
	)
	values["GROUP"] = next(
		(c for g in groups if (c := frappe.db.get_value("Customer Group", g, "ds_group_code"))), None
	)
	values["PROVINCE"] = doc.get("ds_province")
	return values


def next_customer_code(doc, pattern: str) -> str:
	with rule_errors(title=_("Customer Code")):
		needed = set(tokens_needed(pattern))
		values = {k: v for k, v in code_values(doc).items() if k in needed}
		parts = code_parts(pattern, values)
		# getseries locks the counter row (SELECT ... FOR UPDATE): concurrent inserts get distinct codes
		return parts.format(int(getseries(parts.series_key, parts.digits)))


def add_receivable_account(doc, settings):
	"""A receivable sub-account of the customer's own (the "tafsili" ledger), linked as its party account."""
	if any(row.company == settings.company for row in doc.get("accounts", [])):
		return
	account = frappe.get_doc(
		{
			"doctype": "Account",
			"account_name": f"{doc.ds_customer_code or ''} {doc.customer_name}".strip(),
			"parent_account": settings.customer_account_parent,
			"company": settings.company,
			"account_type": "Receivable",
			"is_group": 0,
		}
	).insert(ignore_permissions=True)
	doc.append("accounts", {"company": settings.company, "account": account.name})


def validate_geography(doc):
	if doc.get("ds_city") and doc.get("ds_province"):
		province = frappe.db.get_value("City", doc.ds_city, "province")
		if province != doc.ds_province:
			frappe.throw(_("City {0} is not in province {1}").format(doc.ds_city, doc.ds_province))


def validate_blacklist(doc):
	if not doc.get("ds_is_blacklisted"):
		doc.ds_blacklisted_on = None
		return
	if not (doc.get("ds_blacklist_reason") or "").strip():
		frappe.throw(_("Give the reason for blacklisting customer {0}").format(doc.customer_name))
	if not doc.get("ds_blacklisted_on"):
		doc.ds_blacklisted_on = today()
