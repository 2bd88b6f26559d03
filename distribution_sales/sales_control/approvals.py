"""Approval assignments: the people who decide get the document assigned and notified."""

import frappe
from frappe import _
from frappe.utils import nowdate

# ---------------------------------------------------------------------------------------------------
# Approval assignments (CRD-2 here, DOC-4 in order_management.flow): the people who decide get the
# document assigned (a ToDo marked with their role, in their ToDo list) and a notification; deciding
# closes the open assignments of that role on the document, for everyone. Both are written in the
# request's transaction, so a refused or failed request leaves none behind (ERPNext's assign_to.add
# would queue the notification to a background job before the request commits).
# ---------------------------------------------------------------------------------------------------


def approvers(role: str, company: str, doctype: str) -> list[str]:
	"""Enabled users holding ``role`` who may work for ``company``: when User Permissions restrict a
	user's companies (for every doctype or for ``doctype``), the company must be among them."""
	from frappe.core.doctype.user_permission.user_permission import get_user_permissions
	from frappe.utils.user import get_users_with_role

	out = []
	for user in sorted(get_users_with_role(role)):
		companies = {
			p.doc
			for p in get_user_permissions(user).get("Company", [])
			if not p.get("applicable_for") or p.applicable_for == doctype
		}
		if not companies or company in companies:
			out.append(user)
	return out


def approval_assignments(doc, role: str, status: str = "Open") -> list:
	return frappe.get_all(
		"ToDo",
		filters={"reference_type": doc.doctype, "reference_name": doc.name, "role": role, "status": status},
		fields=["name", "allocated_to"],
		order_by="name",
	)


def assign_approvers(doc, role: str, subject, description: str) -> list[str]:
	"""Assign ``doc`` to every approver holding ``role`` (``approvers``) who has no open assignment of
	it yet, share it with those who could not read it, and notify them; ``subject(lang)`` is the
	notification's subject in the user's language. Returns the users assigned."""
	from frappe.share import add_docshare

	users = approvers(role, doc.company, doc.doctype)
	if not users:
		frappe.msgprint(
			_("Nobody holds the role {0} for company {1}: the document waits without anyone notified").format(
				_(role), doc.company
			),
			indicator="orange",
		)
		return []
	assigned = {t.allocated_to for t in approval_assignments(doc, role)}
	sharing = not frappe.get_system_settings("disable_document_sharing")
	new = [user for user in users if user not in assigned]
	for user in new:
		frappe.get_doc(
			{
				"doctype": "ToDo",
				"allocated_to": user,
				"reference_type": doc.doctype,
				"reference_name": doc.name,
				"role": role,
				"description": description,
				"priority": "High",
				"status": "Open",
				"date": nowdate(),
				"assigned_by": frappe.session.user,
			}
		).insert(ignore_permissions=True)
		if sharing and not frappe.has_permission(doc.doctype, "read", doc=doc, user=user):
			add_docshare(doc.doctype, doc.name, user, flags={"ignore_share_permission": True})
		notify(user, doc, subject, description)
	return new


def notify(user: str, doc, subject, description: str):
	"""The assignment's notification (Notification Log, and its email when the user wants those). A
	notification that cannot be delivered (no outgoing email account) is rolled back alone and logged:
	it never undoes the request that assigns the document."""
	from frappe.desk.doctype.notification_log.notification_log import make_notification_logs

	savepoint = "ds_approval_notification"
	frappe.db.savepoint(savepoint)
	try:
		make_notification_logs(
			frappe._dict(
				type="Assignment",
				document_type=doc.doctype,
				document_name=doc.name,
				subject=subject(frappe.db.get_value("User", user, "language")),
				from_user=frappe.session.user,
				email_content=description,
			),
			[user],
		)
	except Exception:
		frappe.db.rollback(save_point=savepoint)
		frappe.log_error(f"Notification of {doc.doctype} {doc.name} to {user} not delivered")


def close_approval_assignments(doc, role: str, status: str = "Closed"):
	"""The decision was taken: the open assignments of ``role`` on ``doc`` are closed for everyone."""
	for row in approval_assignments(doc, role):
		todo = frappe.get_doc("ToDo", row.name)
		todo.status = status
		todo.save(ignore_permissions=True)
