"""Install, migrate and uninstall steps (hooks.py points here)."""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from distribution_sales import roles
from distribution_sales.setup.custom_fields import get_custom_fields
from distribution_sales.setup.indexes import INDEXES, index_name

ROLES = roles.APP_ROLES  # ERPNext's own roles are reused where they exist


def after_install():
	after_migrate()


# Field roles read the invoices and deliveries of their customers (which ones: ORG-4 scoping).
# ERPNext gives Sales User no access to them, and a visitor must not get Accounts User for that.
EXTRA_PERMISSIONS = {
	("Sales Invoice", roles.SALESMAN): ("read", "report", "print"),
	("Sales Invoice", roles.SALES_SUPERVISOR): ("read", "report", "print", "export"),
	("Delivery Note", roles.SALESMAN): ("read", "report", "print"),
	("Delivery Note", roles.SALES_SUPERVISOR): ("read", "report", "print", "export"),
}


def after_migrate():
	make_roles()
	create_custom_fields(get_custom_fields(), ignore_validate=True, update=True)
	grant_permissions()
	make_payment_types()
	add_indexes()


def add_indexes():
	for doctype, columns in INDEXES:
		frappe.db.add_index(doctype, list(columns), index_name(columns))


def drop_indexes():
	for doctype, columns in INDEXES:
		if frappe.db.sql(f"show index from `tab{doctype}` where Key_name = %s", index_name(columns)):
			frappe.db.sql_ddl(f"alter table `tab{doctype}` drop index `{index_name(columns)}`")


# CRD-5: the payment types credit policies refer to; users add their own (e.g. "Credit 45 Days").
PAYMENT_TYPES = (
	("Cash", "Cash", 0),
	("Cheque", "Cheque", 30),
	("Credit 30 Days", "Credit", 30),
	("Credit 60 Days", "Credit", 60),
)


def make_payment_types():
	for name, kind, days in PAYMENT_TYPES:
		if not frappe.db.exists("Payment Type", name):
			frappe.get_doc(
				{"doctype": "Payment Type", "payment_type_name": name, "kind": kind, "credit_days": days}
			).insert(ignore_permissions=True)


def grant_permissions():
	from frappe.permissions import add_permission, update_permission_property

	for (doctype, role), ptypes in EXTRA_PERMISSIONS.items():
		if not frappe.db.exists(
			"Custom DocPerm", {"parent": doctype, "role": role, "permlevel": 0, "if_owner": 0}
		):
			add_permission(doctype, role, 0, ptype="read")
		for ptype in ptypes:
			update_permission_property(doctype, role, 0, ptype, 1, validate=False)


def make_roles():
	for role in ROLES:
		if not frappe.db.exists("Role", role):
			frappe.get_doc({"doctype": "Role", "role_name": role, "desk_access": 1}).insert(
				ignore_permissions=True
			)


def before_uninstall():
	"""Remove what we added to ERPNext's doctypes so ERPNext keeps working without us."""
	drop_indexes()
	for doctype, role in EXTRA_PERMISSIONS:
		frappe.db.delete("Custom DocPerm", {"parent": doctype, "role": role})
	for doctype, fields in get_custom_fields().items():
		for df in fields:
			name = frappe.db.get_value("Custom Field", {"dt": doctype, "fieldname": df["fieldname"]})
			if name:
				frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)
		frappe.clear_cache(doctype=doctype)
