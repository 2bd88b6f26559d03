"""Keeping Region > Area > Route mirrored in ERPNext's Territory tree, so ERPNext's own territory
reports and pricing by territory follow the visit routing."""

import frappe
from frappe import _
from frappe.utils.nestedset import get_root_of


def root_territory() -> str:
	return get_root_of("Territory")


def ensure_territory(doc, parent_territory: str | None, is_group: bool) -> None:
	"""Create the territory named after ``doc`` under ``parent_territory`` when none is set,
	and refuse a territory outside its parent's."""
	parent_territory = parent_territory or root_territory()
	if not doc.territory:
		if not frappe.db.exists("Territory", doc.name):
			frappe.get_doc(
				{
					"doctype": "Territory",
					"territory_name": doc.name,
					"parent_territory": parent_territory,
					"is_group": int(is_group),
				}
			).insert(ignore_permissions=True)
		doc.territory = doc.name
	if not is_within(doc.territory, parent_territory):
		frappe.throw(
			_("Territory {0} is not under territory {1}").format(
				frappe.bold(doc.territory), frappe.bold(parent_territory)
			)
		)


def is_within(territory: str, ancestor: str) -> bool:
	inner = frappe.db.get_value("Territory", territory, ["lft", "rgt"], as_dict=True)
	outer = frappe.db.get_value("Territory", ancestor, ["lft", "rgt"], as_dict=True)
	return bool(inner and outer and outer.lft <= inner.lft and inner.rgt <= outer.rgt)
