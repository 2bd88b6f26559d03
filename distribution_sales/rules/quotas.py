"""Sales quotas (CRD-4): the most of an item or item group a customer, customer group or salesperson
may buy per day, week or month, counted over submitted documents in the window.

Plain data in, plain answers out: the Frappe layer finds the quotas that match a document, counts what
was already sold in each quota's window, and calls :func:`check_quotas`.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import jdatetime

from distribution_sales.rules import RuleError, _

PERIODS = ("Day", "Week", "Month", "Jalali Month")


def period_window(on: date, period: str, week_start: int = 0) -> tuple[date, date]:
	"""The calendar window of ``period`` that contains ``on``, both ends included.

	``week_start`` is the weekday a week begins on (Monday 0 ... Sunday 6; Saturday 5 in Iran).
	"Jalali Month" is the Solar Hijri month (e.g. 1 Mehr .. 30 Mehr), which Iranian companies plan by.
	"""
	if period == "Day":
		return on, on
	if period == "Week":
		start = on - timedelta(days=(on.weekday() - week_start) % 7)
		return start, start + timedelta(days=6)
	if period == "Month":
		start = on.replace(day=1)
		following = (start + timedelta(days=32)).replace(day=1)
		return start, following - timedelta(days=1)
	if period == "Jalali Month":
		j = jdatetime.date.fromgregorian(date=on)
		start = jdatetime.date(j.year, j.month, 1)
		following = jdatetime.date(j.year + (j.month == 12), j.month % 12 + 1, 1)
		return start.togregorian(), following.togregorian() - timedelta(days=1)
	raise RuleError(_("Unknown quota period {0}"), period)


def windows_overlap(a: tuple, b: tuple) -> bool:
	"""Validity windows (from, upto), None meaning open, share at least one day."""
	a_from, a_upto = a
	b_from, b_upto = b
	return (a_upto is None or b_from is None or b_from <= a_upto) and (
		b_upto is None or a_from is None or a_from <= b_upto
	)


@dataclass(frozen=True)
class Quota:
	name: str
	target: str  # "item: DAI-001" or "group: Dairy" (what the Frappe layer matched on)
	max_qty: float  # in stock units
	period: str
	action: str  # "warn" | "block"
	window: tuple  # (start, end) of the period containing the document's date


@dataclass(frozen=True)
class QuotaBreach:
	quota: str
	target: str
	action: str
	period: str
	window: tuple
	already: float
	this_document: float
	max_qty: float

	@property
	def total(self) -> float:
		return self.already + self.this_document


@dataclass
class QuotaResult:
	breaches: list = field(default_factory=list)

	@property
	def action(self) -> str:
		if any(b.action == "block" for b in self.breaches):
			return "block"
		return "warn" if self.breaches else "ok"


def validate_quota(max_qty: float | None, period: str | None, scope: str | None, party: str | None) -> None:
	if not scope or not party:
		raise RuleError(_("A quota needs a scope: a customer, a customer group or a salesperson"))
	if period not in PERIODS:
		raise RuleError(_("Unknown quota period {0}"), period or "")
	if not max_qty or max_qty <= 0:
		raise RuleError(_("The maximum quantity of a quota must be greater than zero"))


def check_quotas(quotas, already: dict, this_document: dict) -> QuotaResult:
	"""``already[quota.name]``: stock qty sold in the quota's window before this document;
	``this_document[quota.name]``: what this document adds. Breached when the sum exceeds the maximum."""
	result = QuotaResult()
	for quota in quotas:
		adds = this_document.get(quota.name, 0.0)
		if adds <= 0:
			continue
		before = already.get(quota.name, 0.0)
		if before + adds > quota.max_qty + 1e-9:
			result.breaches.append(
				QuotaBreach(
					quota.name,
					quota.target,
					quota.action,
					quota.period,
					quota.window,
					before,
					adds,
					quota.max_qty,
				)
			)
	return result
