"""Document flow (DOC-1..4): which document follows which, what a conversion needs, who edits an order.

The full flow is Sales Request > Proforma (Quotation) > Sales Order > remittance (Delivery Note) >
Sales Invoice. A company leaves out the steps it does not use and the flow maps straight through:
without proforma a request becomes an order, without remittance an order is invoiced and the invoice
issues the goods.
"""

from dataclasses import dataclass
from datetime import date

from distribution_sales.rules import RuleError, _

SALES_REQUEST = "Sales Request"
QUOTATION = "Quotation"
SALES_ORDER = "Sales Order"
DELIVERY_NOTE = "Delivery Note"
SALES_INVOICE = "Sales Invoice"


@dataclass(frozen=True)
class Flow:
	use_sales_request: bool = True
	use_proforma: bool = True
	use_remittance: bool = True

	def steps(self) -> tuple[str, ...]:
		return tuple(
			step
			for step, used in (
				(SALES_REQUEST, self.use_sales_request),
				(QUOTATION, self.use_proforma),
				(SALES_ORDER, True),
				(DELIVERY_NOTE, self.use_remittance),
				(SALES_INVOICE, True),
			)
			if used
		)

	def next_step(self, doctype: str) -> str | None:
		steps = self.steps()
		if doctype not in steps:
			return None
		i = steps.index(doctype)
		return steps[i + 1] if i + 1 < len(steps) else None

	def check_step(self, source: str, target: str) -> None:
		"""Refuse a conversion the company's flow does not have (e.g. request to order with a proforma step)."""
		if source not in self.steps():
			raise RuleError(_("This company does not use the {0} step"), source)
		expected = self.next_step(source)
		if expected != target:
			raise RuleError(
				_("In this company's document flow a {0} becomes a {1}, not a {2}"), source, expected, target
			)

	@property
	def invoice_issues_stock(self) -> bool:
		"""Without remittance the invoice takes the goods out of the warehouse (update stock)."""
		return not self.use_remittance


def check_quantities(rows) -> None:
	"""``rows``: (row number, item code, quantity). Every quantity must be above zero."""
	for idx, item_code, qty in rows:
		if qty is None or qty <= 0:
			raise RuleError(_("Row {0}: the quantity of {1} must be greater than zero"), idx, item_code)


def check_proforma_valid(name: str, valid_till: date | None, on: date) -> None:
	"""An order may be made from a proforma only while the proforma is valid."""
	if valid_till is not None and valid_till < on:
		raise RuleError(
			_("Proforma {0} expired on {1}: make a new proforma or extend its validity first"),
			name,
			valid_till,
		)


# --- DOC-4 approval and edit rules -----------------------------------------------------------------

NOT_SENT = ""
SENT = "Sent for Approval"
APPROVED = "Approved"
RETURNED = "Returned for Edit"

# action: (states it starts from, state it leads to, needs a manager)
ACTIONS = {
	"send": ((NOT_SENT, RETURNED), SENT, False),
	"approve": ((SENT,), APPROVED, True),
	"return": ((SENT,), RETURNED, True),
}
ACTION_LABELS = {"send": _("sent for approval"), "approve": _("approved"), "return": _("returned for edit")}


def next_approval_state(state: str | None, action: str, is_manager: bool) -> str:
	starts, result, manager_only = ACTIONS[action]
	state = state or NOT_SENT
	if manager_only and not is_manager:
		raise RuleError(_("Only a Sales Manager may do this to an order that was sent for approval"))
	if state not in starts:
		raise RuleError(
			_("An order in state {0} cannot be {1}"), state or _("Not Sent"), ACTION_LABELS[action]
		)
	return result


def may_edit(submitted: bool, state: str | None, is_manager: bool) -> bool:
	"""The salesperson edits until the order goes for approval (is submitted), or after a manager
	returned it for edit; a manager edits always."""
	return is_manager or not submitted or (state or NOT_SENT) == RETURNED


def first_state(needs_approval: bool, is_manager: bool) -> str:
	"""State an order gets when it is submitted: a manager's own order needs no second look."""
	if not needs_approval:
		return NOT_SENT
	return APPROVED if is_manager else SENT


def may_fulfil(needs_approval: bool, state: str | None) -> bool:
	"""Whether the order may be delivered or invoiced."""
	return not needs_approval or state == APPROVED


# --- DOC-3 receipts and refunds ---------------------------------------------------------------------


@dataclass(frozen=True)
class Receipts:
	total: float  # the order's grand total
	received: float  # receipts against the order (ERPNext's advance paid)
	invoiced: float  # what was invoiced of the order
	refunded: float = 0.0  # paid back to the customer on the order

	@property
	def net_received(self) -> float:
		return self.received - self.refunded

	@property
	def remaining(self) -> float:
		"""What the customer still owes on the order."""
		return max(self.total - self.net_received, 0.0)

	def refundable(self, closed: bool) -> float:
		"""An order that is complete (closed) gives back what was received beyond what was invoiced."""
		if not closed:
			return 0.0
		return max(self.net_received - self.invoiced, 0.0)

	def check_refund(self, amount: float, closed: bool) -> None:
		if not closed:
			raise RuleError(_("Complete the order before refunding the customer"))
		if amount <= 0:
			raise RuleError(_("The refund must be greater than zero"))
		if amount > self.refundable(closed) + 1e-6:
			raise RuleError(_("At most {0} can be refunded on this order"), self.refundable(closed))
