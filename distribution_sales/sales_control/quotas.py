"""Quotas (CRD-4): the quotas that apply to a document and what was sold in their windows."""

import frappe
from frappe import _
from frappe.utils import flt, getdate, nowdate
from frappe.utils.nestedset import get_descendants_of

from distribution_sales.overrides.sales_document import customer_of
from distribution_sales.rules.quotas import Quota, check_quotas, period_window
from distribution_sales.sales_control.common import DATE_FIELDS, QuotaExceededError
from distribution_sales.sales_control.credit import _read, scoped_query
from distribution_sales.utils import where_window_overlaps


def matching_quotas(doc) -> list[dict]:
	on = getdate(doc.get(DATE_FIELDS.get(doc.doctype, "transaction_date")) or nowdate())
	query, q = scoped_query("Sales Quota", doc)
	quotas = where_window_overlaps(query, q, on, on).run(as_dict=True)  # valid on the document's date
	for quota in quotas:
		quota.on = on
	return quotas


def _target_items(quota) -> tuple[str, list]:
	if quota.quota_on == "Item":
		return "item_code", [quota.target]
	return "item_group", [quota.target, *get_descendants_of("Item Group", quota.target)]


def quota_result(doc, locking: bool):
	quotas = matching_quotas(doc)
	if not quotas:
		return None
	week_start = _week_start()
	groups = {
		row.item_code: row.get("item_group") or frappe.get_cached_value("Item", row.item_code, "item_group")
		for row in doc.items
	}
	rules, already, adds = [], {}, {}
	for quota in quotas:
		field, targets = _target_items(quota)
		window = period_window(quota.on, quota.period, week_start)
		adds[quota.name] = sum(
			flt(row.get("stock_qty") or flt(row.qty) * flt(row.get("conversion_factor") or 1))
			for row in doc.items
			if (row.item_code if field == "item_code" else groups[row.item_code]) in targets
		)
		if not adds[quota.name]:
			continue
		already[quota.name] = sold_in_window(doc, quota, field, targets, window, locking)
		rules.append(
			Quota(
				quota.name,
				f"{_(quota.quota_on)} {quota.target}",
				flt(quota.max_qty),
				quota.period,
				quota.action.lower(),
				window,
			)
		)
	return check_quotas(rules, already, adds)


def sold_in_window(doc, quota, field, targets, window, locking: bool) -> float:
	date_field = DATE_FIELDS.get(doc.doctype, "transaction_date")
	party = {"Customer": "customer", "Customer Group": "customer", "Sales Person": "ds_sales_person"}[
		quota.applies_to
	]
	party_value = customer_of(doc) if party == "customer" else doc.ds_sales_person
	values = {
		"company": doc.company,
		"party": party_value,
		"start": window[0],
		"end": window[1],
		"targets": tuple(targets),
		"self": doc.name,
	}
	target = (
		"i.item_code in %(targets)s"
		if field == "item_code"
		else "i.item_code in (select name from `tabItem` where item_group in %(targets)s)"
	)
	return flt(
		_read(
			f"""select sum(i.stock_qty) from `tab{doc.doctype} Item` i
			join `tab{doc.doctype}` d on d.name = i.parent
			where d.docstatus = 1 and d.company = %(company)s and d.`{party}` = %(party)s and d.name != %(self)s
			and d.`{date_field}` between %(start)s and %(end)s and {target}""",
			values,
			locking,
		)
	)


def explain_quotas(result) -> str:
	return "\n".join(
		_(
			"{0} ({1}): {2} already sold between {3} and {4} plus {5} in this document exceeds the maximum of {6} per {7}"
		).format(
			frappe.bold(b.quota),
			b.target,
			flt(b.already, 3),
			frappe.format(b.window[0], "Date"),
			frappe.format(b.window[1], "Date"),
			flt(b.this_document, 3),
			flt(b.max_qty, 3),
			_(b.period),
		)
		for b in result.breaches
	)


def enforce_quotas(doc):
	result = quota_result(doc, locking=True)
	if not result or result.action == "ok":
		return
	if result.action == "warn":
		frappe.msgprint(
			explain_quotas(result).replace("\n", "<br>"), title=_("Sales Quota"), indicator="orange"
		)
		return
	frappe.throw(
		explain_quotas(result).replace("\n", "<br>"), exc=QuotaExceededError, title=_("Sales Quota Exceeded")
	)


def _week_start() -> int:
	days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
	first = frappe.db.get_single_value("System Settings", "first_day_of_the_week") or "Sunday"
	return days.index(first) if first in days else 6
