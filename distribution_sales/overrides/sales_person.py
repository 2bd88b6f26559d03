"""Sales Person as sales personnel (ORG-3): personnel code, sales role, login."""

import frappe
from frappe import _

from distribution_sales.utils import clean_code


def validate(doc, method=None):
	if doc.get("ds_personnel_code"):
		doc.ds_personnel_code = clean_code(doc.ds_personnel_code, "Personnel Code")
		check_unique("ds_personnel_code", doc, _("Personnel Code"))
	elif doc.get("ds_sales_role"):
		frappe.throw(_("Personnel Code is required for a {0}").format(_(doc.ds_sales_role)))
	if doc.get("ds_user"):
		check_unique("ds_user", doc, _("User"))
	frappe.local.cache.pop(("ds_visible_sales_persons", doc.get("ds_user")), None)


def check_unique(fieldname: str, doc, label: str):
	other = frappe.db.get_value("Sales Person", {fieldname: doc.get(fieldname), "name": ("!=", doc.name)})
	if other:
		frappe.throw(
			_("{0} {1} already belongs to {2}").format(label, frappe.bold(doc.get(fieldname)), other),
			frappe.DuplicateEntryError,
		)
