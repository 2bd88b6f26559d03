import frappe
from frappe import _
from frappe.model.document import Document

from distribution_sales.rules.text import normalize_text
from distribution_sales.sales_organisation.territory import ensure_territory
from distribution_sales.utils import clean_code


class SalesArea(Document):
	def autoname(self):
		self.area_name = normalize_text(self.area_name)
		self.name = self.area_name

	def validate(self):
		self.area_code = clean_code(self.area_code, "Area Code")
		validate_city_in_province(self.city, self.province)
		ensure_territory(
			self, frappe.db.get_value("Sales Region", self.sales_region, "territory"), is_group=True
		)


def validate_city_in_province(city: str | None, province: str | None):
	if city and frappe.db.get_value("City", city, "province") != province:
		frappe.throw(_("City {0} is not in province {1}").format(frappe.bold(city), frappe.bold(province)))
