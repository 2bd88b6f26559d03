import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from distribution_sales.rules.intervals import Window, first_overlap
from distribution_sales.utils import DistributionValidationError, rule_errors


class OverlappingAssignmentError(DistributionValidationError):
	pass


class RouteAssignment(Document):
	def validate(self):
		self.validate_visitor()
		self.validate_overlap()

	def window(self) -> Window:
		with rule_errors(title=_("Route Assignment")):
			return Window(getdate(self.from_date), getdate(self.to_date) if self.to_date else None, self.name)

	def validate_visitor(self):
		if frappe.db.get_value("Sales Person", self.sales_person, "is_group"):
			frappe.throw(
				_("{0} is a group of salespeople; assign a route to one visitor").format(self.sales_person)
			)
		if not frappe.db.get_value("Sales Route", self.sales_route, "is_active"):
			frappe.throw(_("Route {0} is not active").format(frappe.bold(self.sales_route)))

	def validate_overlap(self):
		"""One visitor per route at a time. The route row is locked before reading its assignments, so
		two overlapping assignments saved at the same moment cannot both pass."""
		new = self.window()
		frappe.db.get_value("Sales Route", self.sales_route, "name", for_update=True)
		existing = [
			Window(getdate(a.from_date), getdate(a.to_date) if a.to_date else None, a.name)
			for a in frappe.get_all(
				"Route Assignment",
				filters={"sales_route": self.sales_route, "name": ("!=", self.name)},
				fields=["name", "from_date", "to_date"],
			)
		]
		clash = first_overlap(new, existing)
		if clash:
			visitor = frappe.db.get_value("Route Assignment", clash.key, "sales_person")
			frappe.throw(
				_("Route {0} is already assigned to {1} from {2} to {3} ({4})").format(
					frappe.bold(self.sales_route),
					frappe.bold(visitor),
					frappe.format(clash.start, "Date"),
					frappe.format(clash.end, "Date") if clash.end else _("open end"),
					clash.key,
				),
				OverlappingAssignmentError,
			)
