from frappe.model.document import Document

from distribution_sales.rules.text import normalize_text
from distribution_sales.sales_organisation.territory import ensure_territory
from distribution_sales.utils import clean_code


class SalesRegion(Document):
	def autoname(self):
		self.region_name = normalize_text(self.region_name)
		self.name = self.region_name

	def validate(self):
		self.region_code = clean_code(self.region_code, "Region Code")
		ensure_territory(self, None, is_group=True)
