"""Credit arithmetic shown on customer and sales forms."""

from dataclasses import dataclass

from distribution_sales.rules import RuleError, _


@dataclass(frozen=True)
class CreditPosition:
	limit: float  # 0 means no limit
	outstanding: float
	open_orders: float = 0.0

	@property
	def exposure(self) -> float:
		return self.outstanding + self.open_orders

	@property
	def remaining(self) -> float | None:
		"""What can still be sold on credit; None when the customer has no limit."""
		if not self.limit:
			return None
		return self.limit - self.exposure

	@property
	def over_limit(self) -> bool:
		return self.remaining is not None and self.remaining < 0


# ---------------------------------------------------------------------------------------------------
# Credit policies (CRD-1, CRD-5): which policies apply to a document, and what they decide.
#
# A policy limits indicators of either the customer (scope "customer" or "customer_group") or of the
# salesperson's whole portfolio (scope "sales_person"). In each of these two dimensions the most
# specific applicable policies decide (a customer's own policy over its group's, a nearer group over a
# farther one); among equally specific ones every limit is checked, so the strictest decides. The
# document is blocked when a deciding policy that blocks is breached, warned when only warning ones are.
# ERPNext's own credit limit (see the end of this module) is a third dimension: it always decides,
# alongside the customer's and the salesperson's policies, whichever of them is stricter.
# ---------------------------------------------------------------------------------------------------


INDICATORS = {
	# indicator: label shown in explanations (the limit field of a Credit Policy has the same name)
	"outstanding": _("Outstanding Receivable"),
	"open_orders": _("Open Orders"),
	"uncleared_cheques": _("Uncleared Cheques"),
	"overdue_days": _("Overdue Days"),
	"total_exposure": _("Total Exposure"),
	# ERPNext's own credit limit (Customer > Credit Limits) judges these, as ERPNext computes them
	"credit_used": _("Outstanding, Open Orders and Unbilled Deliveries"),
	"credit_used_without_orders": _("Outstanding and Unbilled Deliveries"),
}
SCOPES = ("customer", "customer_group", "sales_person")
CREDIT_LIMIT = "credit_limit"  # the scope (and dimension) of ERPNext's own credit limit, read as a policy
ACTIONS = ("warn", "block")


@dataclass(frozen=True)
class Figures:
	"""What a customer (or a salesperson's portfolio) owes and has open, before the document."""

	outstanding: float = 0.0
	open_orders: float = 0.0
	uncleared_cheques: float = 0.0
	overdue_days: int = 0
	unbilled_deliveries: float = 0.0  # delivered without an order or invoice, not yet invoiced (ERPNext)

	def with_document(self, amount: float, as_order: bool = False) -> dict[str, float]:
		"""The indicator values a document of ``amount`` would lead to: an invoice adds to the
		outstanding receivable, an order (or a proforma or request, ``as_order``) to the open orders."""
		outstanding = self.outstanding + (0.0 if as_order else amount)
		open_orders = self.open_orders + (amount if as_order else 0.0)
		return {
			"outstanding": outstanding,
			"open_orders": open_orders,
			"uncleared_cheques": self.uncleared_cheques,
			"overdue_days": self.overdue_days,
			"total_exposure": outstanding + open_orders + self.uncleared_cheques,
			"credit_used": outstanding + open_orders + self.unbilled_deliveries,
			"credit_used_without_orders": outstanding + self.unbilled_deliveries,
		}


@dataclass(frozen=True)
class Policy:
	name: str
	scope: str  # one of SCOPES
	action: str  # "warn" | "block"
	limits: dict  # indicator -> limit; indicators not given (or 0) are not checked
	distance: int = 0  # customer_group: 0 for the customer's own group, 1 for its parent, ...
	payment_types: frozenset = frozenset()  # empty: every payment type
	documents: frozenset = frozenset()  # doctypes checked; empty: every document

	@property
	def dimension(self) -> str:
		"""Whose figures it judges, and among which policies it competes: ERPNext's credit limit is
		a dimension of its own, so it decides alongside the customer's most specific policies."""
		if self.scope in ("sales_person", CREDIT_LIMIT):
			return self.scope
		return "customer"

	@property
	def specificity(self) -> tuple:
		"""Smaller is more specific: the customer's own policy, then its group, its parent group ..."""
		return (1, self.distance) if self.scope == "customer_group" else (0, 0)

	def applies_to(self, document: str, payment_type: str | None) -> bool:
		if self.documents and document not in self.documents:
			return False
		return not self.payment_types or payment_type in self.payment_types


@dataclass(frozen=True)
class Breach:
	policy: str
	action: str
	indicator: str
	value: float
	limit: float

	@property
	def label(self) -> str:
		return INDICATORS[self.indicator]


@dataclass(frozen=True)
class CreditDecision:
	action: str  # "ok" | "warn" | "block"
	breaches: tuple = ()
	deciding: tuple = ()  # names of the policies that decided (checked), most specific per dimension

	@property
	def blocked(self) -> bool:
		return self.action == "block"


def validate_policy(scope: str | None, party: str | None, action: str | None, limits: dict) -> None:
	"""A policy needs a scope, a party in it, an action and at least one positive limit."""
	if scope not in SCOPES or not party:
		raise RuleError(_("A credit policy needs a scope: a customer, a customer group or a salesperson"))
	if action not in ACTIONS:
		raise RuleError(_("A credit policy either warns or blocks"))
	for indicator, limit in limits.items():
		if limit is not None and limit < 0:
			raise RuleError(_("The limit on {0} cannot be negative"), INDICATORS[indicator])
	if not any(limit for limit in limits.values()):
		raise RuleError(_("A credit policy needs at least one limit"))


def deciding_policies(policies, document: str, payment_type: str | None) -> list[Policy]:
	"""The applicable policies that decide: per dimension, those of the highest specificity."""
	out = []
	for dimension in ("customer", "sales_person", CREDIT_LIMIT):
		applicable = [
			p for p in policies if p.dimension == dimension and p.applies_to(document, payment_type)
		]
		if applicable:
			best = min(p.specificity for p in applicable)
			out.extend(p for p in applicable if p.specificity == best)
	return out


def decide_credit(
	policies,
	document: str,
	payment_type: str | None,
	amount: float,
	customer: Figures,
	sales_person: Figures | None = None,
	as_order: bool = False,
) -> CreditDecision:
	"""Check a document of ``amount`` against the deciding policies; explain every breached limit."""
	deciding = deciding_policies(policies, document, payment_type)
	values = {
		"customer": customer.with_document(amount, as_order),
		"sales_person": (sales_person or Figures()).with_document(amount, as_order),
	}
	values[CREDIT_LIMIT] = values["customer"]
	breaches = []
	for policy in deciding:
		for indicator, limit in sorted(policy.limits.items()):
			if not limit:
				continue
			value = values[policy.dimension][indicator]
			if value > limit + 1e-9:
				breaches.append(Breach(policy.name, policy.action, indicator, value, limit))
	if any(b.action == "block" for b in breaches):
		action = "block"
	elif breaches:
		action = "warn"
	else:
		action = "ok"
	# blocking breaches first, then by how far over the limit (the figure that "triggered" it)
	breaches.sort(key=lambda b: (b.action != "block", -(b.value - b.limit) / (b.limit or 1)))
	return CreditDecision(action, tuple(breaches), tuple(p.name for p in deciding))


def remaining_credit(policies, figures: Figures) -> tuple[str, float] | None:
	"""The tightest amount still allowed before a policy's outstanding or exposure limit is reached,
	with the policy that sets it; None when no such limit applies."""
	now = figures.with_document(0.0)
	best = None
	for policy in policies:
		for indicator in ("outstanding", "total_exposure"):
			limit = policy.limits.get(indicator)
			if limit:
				room = limit - now[indicator]
				if best is None or room < best[1]:
					best = (policy.name, room)
	return best


# ---------------------------------------------------------------------------------------------------
# ERPNext's own credit limits (Customer > Credit Limits), read as one more blocking policy of the
# customer, so that they are decided under the same locks and with the same locking reads as ours.
# What they limit, when, and which limit applies follow erpnext.selling.doctype.customer.customer
# (get_credit_limit, check_credit_limit, get_customer_outstanding) and the Sales Order's and Sales
# Invoice's check_credit_limit.
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreditLimitRow:
	"""A Customer Credit Limit row of one company, on a customer or a customer group."""

	credit_limit: float = 0.0
	bypass: bool = False  # bypass_credit_limit_check


def erpnext_credit_limit(
	customer: CreditLimitRow | None, group: CreditLimitRow | None, company_limit: float = 0.0
) -> tuple[str, float] | None:
	"""The limit ERPNext applies and where it comes from ("customer", "customer_group", "company"):
	the customer's own row for the company; without a limit there, its group's row (unless that row
	bypasses the check); then the company's default. None when no positive limit applies."""
	if customer and customer.credit_limit:
		found = ("customer", customer.credit_limit)
	elif group and group.credit_limit and not group.bypass:
		found = ("customer_group", group.credit_limit)
	else:
		found = ("company", company_limit)
	return found if found[1] > 0 else None


def credit_limit_policy(
	name: str, limit: float, document: str, bypass_orders: bool, all_lines_billed_elsewhere: bool
) -> Policy | None:
	"""ERPNext's credit limit as a blocking policy for this document, or None where ERPNext does not
	check it. ``bypass_orders`` is the customer's *Bypass Credit Limit Check at Sales Order*;
	``all_lines_billed_elsewhere``: every line of an invoice comes from an order or a delivery note.

	* a Sales Order: outstanding + open orders + unbilled deliveries; not checked with the bypass;
	* a Sales Invoice: the same, unless all its lines come from orders or deliveries (they were
	  counted already); with the bypass, orders are not counted (they were never checked) and every
	  invoice is checked;
	* other documents (requests, proformas): not checked, as in ERPNext."""
	if not limit or limit <= 0:
		return None
	if document == "Sales Order":
		if bypass_orders:
			return None
		indicator = "credit_used"
	elif document == "Sales Invoice":
		if bypass_orders:
			indicator = "credit_used_without_orders"
		elif all_lines_billed_elsewhere:
			return None
		else:
			indicator = "credit_used"
	else:
		return None
	return Policy(name, CREDIT_LIMIT, "block", {indicator: limit}, documents=frozenset({document}))
