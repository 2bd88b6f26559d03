"""Small helpers shared by controllers: turning rule errors into translated messages."""

from contextlib import contextmanager

import frappe
from frappe import _

from distribution_sales.rules import RuleError


class DistributionValidationError(frappe.ValidationError):
	"""A distribution_sales rule refused the document."""


def throw_rule_error(error: RuleError, title: str | None = None, exc=DistributionValidationError):
	params = [_(p) if isinstance(p, str) else p for p in error.params]  # labels and options translate too
	frappe.throw(_(error.template).format(*params), exc=exc, title=title)


@contextmanager
def rule_errors(title: str | None = None, exc=DistributionValidationError):
	"""Run pure rules; a RuleError becomes a translated frappe.throw."""
	try:
		yield
	except RuleError as e:
		throw_rule_error(e, title=title, exc=exc)


def clean_code(value: str | None, label: str) -> str:
	"""A code normalised by the one rule in ``rules.text``; a translated error if it is not a code."""
	from distribution_sales.rules.text import normalize_code

	with rule_errors():
		return normalize_code(value, _(label))


def where_window_overlaps(query, table, valid_from, valid_upto):
	"""Keep rows of ``table`` whose valid_from..valid_upto window (empty ends are open) overlaps the given one."""
	if valid_upto:
		query = query.where(table.valid_from.isnull() | (table.valid_from <= valid_upto))
	if valid_from:
		query = query.where(table.valid_upto.isnull() | (table.valid_upto >= valid_from))
	return query
