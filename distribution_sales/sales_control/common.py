"""What the sales-control stages share: their errors, which documents each policy checks, and
which sales are checked at all."""

from distribution_sales.overrides.sales_document import customer_of
from distribution_sales.utils import DistributionValidationError


class BlacklistedCustomerError(DistributionValidationError):
	pass


class CreditLimitError(DistributionValidationError):
	pass


class QuotaExceededError(DistributionValidationError):
	pass


class InsufficientStockError(DistributionValidationError):
	pass


DOCUMENT_FLAGS = {
	"Sales Request": "check_sales_request",
	"Quotation": "check_quotation",
	"Sales Order": "check_sales_order",
	"Sales Invoice": "check_sales_invoice",
}
DATE_FIELDS = {"Sales Invoice": "posting_date"}
LIMIT_FIELDS = {
	"outstanding": "max_outstanding",
	"open_orders": "max_open_orders",
	"uncleared_cheques": "max_uncleared_cheques",
	"overdue_days": "max_overdue_days",
	"total_exposure": "max_total_exposure",
}


def is_checked(doc) -> bool:
	"""Every sale to a customer is checked; returns are not (nor code that says so in ``flags``)."""
	if doc.flags.ds_skip_controls:
		return False
	return bool(customer_of(doc) and doc.get("company") and not doc.get("is_return"))
