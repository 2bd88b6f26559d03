"""One distributor file imported into the sell-out ledger (SEC-1, SEC-5, SEC-9).

Preview reads the first rows without writing; Start Import queues the background job
(secondary_sales.importer); Roll Back removes every ledger row of the import as a unit.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from distribution_sales.secondary_sales import importer, ledger
from distribution_sales.utils import DistributionValidationError


class SellOutImportError(DistributionValidationError):
	pass


class SellOutImport(Document):
	def validate(self):
		if self.is_new() or self.has_value_changed("profile") or self.has_value_changed("import_file"):
			if self.status not in ("Draft", "Failed"):
				frappe.throw(
					_("The file or profile of an import in status {0} cannot be changed").format(
						_(self.status)
					),
					SellOutImportError,
				)
		if frappe.db.get_value("Sell Out Import Profile", self.profile, "disabled"):
			frappe.throw(_("Import Profile {0} is disabled").format(self.profile), SellOutImportError)

	def on_trash(self):
		if self.status in ("Completed", "Running", "Queued"):
			frappe.throw(
				_("Roll back import {0} before deleting it; its rows are in the ledger").format(self.name),
				SellOutImportError,
			)

	@frappe.whitelist()
	def preview(self) -> dict:
		"""The first rows as the profile reads them, with the item and outlet each maps to."""
		self.check_permission("read")
		try:
			data = importer.preview(self)
		except importer.ImportFailed as e:
			frappe.throw(e.message, SellOutImportError, title=_("The file cannot be read"))
		return data

	@frappe.whitelist()
	def start_import(self) -> str:
		"""Queue the background import; returns the status."""
		self.check_permission("write")
		if self.status not in ("Draft", "Failed"):
			frappe.throw(_("Import {0} is already {1}").format(self.name, _(self.status)), SellOutImportError)
		self.db_set({"status": "Queued", "message": None, "finished_at": None})
		importer.publish_progress(self.name, 0, None, "Queued")
		importer.enqueue_import(self.name)
		return frappe.db.get_value(self.doctype, self.name, "status")

	@frappe.whitelist()
	def roll_back(self) -> int:
		"""Remove every ledger row of this import; returns how many were removed."""
		self.check_permission("write")
		frappe.db.get_value("Customer", self.distributor, "name", for_update=True)
		status = frappe.db.get_value(self.doctype, self.name, "status", for_update=True)
		if status not in ("Completed", "Replaced"):
			frappe.throw(
				_("Only a completed import can be rolled back; {0} is {1}").format(self.name, _(status)),
				SellOutImportError,
			)
		removed = ledger.delete_import_rows(self.name)
		self.db_set(
			{
				"status": "Rolled Back",
				"committed_key": None,
				"imported_rows": 0,
				"finished_at": now_datetime(),
				"message": _("Rolled back: {0} ledger rows removed").format(removed),
			}
		)
		return removed


@frappe.whitelist()
def get_progress(name: str) -> dict:
	"""Progress of a running import for the form's progress bar (also pushed over realtime)."""
	frappe.has_permission("Sell Out Import", "read", name, throw=True)
	status = frappe.db.get_value("Sell Out Import", name, "status")
	data = frappe.cache.get_value(importer.progress_key(name)) or {}
	return {**data, "status": status}
