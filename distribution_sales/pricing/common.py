"""What every pricing stage shares: the company's policy, the rows that are priced, dates and keys."""

from frappe.utils import flt, getdate
from frappe.utils.nestedset import get_ancestors_of

from distribution_sales.pricing.agreed import agreed_source
from distribution_sales.sales_organisation.doctype.distribution_settings.distribution_settings import (
	get_distribution_settings,
)

REPLACE = "Schemes Replace Pricing Rules"


def scheme_policy(company: str) -> str:
	return get_distribution_settings(company).scheme_policy or REPLACE


def paid_rows(doc) -> list:
	return [
		row
		for row in doc.items
		if row.item_code
		and not row.get("ds_is_scheme_free")
		and not row.get("is_free_item")
		and not row.get("blanket_order")  # the agreement already priced it (DOC-8)
		and not agreed_source(row)  # the proforma, order or remittance already priced it (DOC-2)
		and flt(row.qty) > 0
	]


def tree(doctype: str, name: str | None) -> tuple[str, ...]:
	"""``name`` and its ancestors, nearest first."""
	return (name, *get_ancestors_of(doctype, name)) if name else ()


def document_date(doc):
	return getdate(doc.get("transaction_date") or doc.get("posting_date"))


def row_key(row) -> str:
	return f"{row.idx:04d}:{row.item_code}"
