"""Distribution prices and trade schemes on Quotation, Sales Order and Sales Invoice (PRC-1..5): the
pricing stages the selling documents pass through, in order.

Gathers the document's data with a fixed number of indexed queries (never one per line per rule),
calls the pure rules (``rules.pricing``, ``rules.schemes``) and writes the result back:
  * ``lookup``: item facts and the price of each line (PRC-1);
  * ``schemes``: the schemes that can apply, applied by the pure engine (PRC-2), budgets at submit;
  * ``write_back``: rates, free-goods rows, explanations with discount amounts and prize values (PRC-3);
  * ``agreed``: rates agreed on a blanket order or the source document, kept (DOC-2, DOC-8);
  * ``blanket``: a selling Blanket Order priced by the same pipeline.

Two steps, because ERPNext's own validate fills and recomputes item rows in between:
  * ``before_validate``: prices, the ERPNext Pricing Rule policy, and free-goods rows (so ERPNext fills
    their warehouse, accounts and UOM details like any other row);
  * ``validate``: the final rates and discounts (ERPNext may have reset them), then the totals again.
"""

from distribution_sales.overrides.sales_document import customer_of
from distribution_sales.pricing.agreed import keep_agreed_rates, keep_blanket_rates
from distribution_sales.pricing.blanket import price_blanket_order
from distribution_sales.pricing.common import REPLACE, document_date, paid_rows, scheme_policy
from distribution_sales.pricing.lookup import fill_units, item_facts, prize_rates, set_prices
from distribution_sales.pricing.schemes import check_budgets, compute
from distribution_sales.pricing.write_back import (
	set_aside_explanations,
	sync_free_rows,
	write_explanations,
	write_rates,
	write_set_aside_explanations,
)

# the stages the selling documents' entry point (overrides/selling_transaction.py) calls
__all__ = [
	"before_validate",
	"check_budgets",
	"price_blanket_order",
	"set_aside_explanations",
	"validate",
	"write_set_aside_explanations",
]


def _prize_rates(doc, result) -> dict:
	return prize_rates(result, doc.get("selling_price_list"), document_date(doc), customer_of(doc))


def before_validate(doc, method=None):
	if doc.docstatus != 0 or doc.get("is_return") or not doc.get("company") or doc.flags.ds_skip_pricing:
		return
	policy = scheme_policy(doc.company)
	if policy == REPLACE:
		doc.ignore_pricing_rule = 1
	items = item_facts({row.item_code for row in paid_rows(doc)})  # one read for all three steps
	fill_units(doc, items)
	keep_blanket_rates(doc)
	keep_agreed_rates(doc)
	set_prices(doc, items)
	result = compute(doc, policy, items)
	rates = _prize_rates(doc, result)
	sync_free_rows(doc, result, rates)
	doc.flags.ds_pricing = (result, rates)


def validate(doc, method=None):
	priced = doc.flags.pop("ds_pricing", None)
	if priced is None or doc.docstatus != 0:
		return
	result, rates = priced
	policy = scheme_policy(doc.company)
	if policy != REPLACE:
		result = compute(doc, policy)  # ERPNext's rules have now set the rates the schemes stack on
		rates = _prize_rates(doc, result)  # the prizes may have changed with the rates
	keep_blanket_rates(doc)
	keep_agreed_rates(doc)
	write_rates(doc, result)
	write_explanations(doc, result, rates)
	doc.calculate_taxes_and_totals()
