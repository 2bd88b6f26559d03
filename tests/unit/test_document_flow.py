from datetime import date
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from distribution_sales.rules import RuleError
from distribution_sales.rules.document_flow import (
	APPROVED,
	RETURNED,
	SENT,
	Flow,
	Receipts,
	check_proforma_valid,
	check_quantities,
	first_state,
	may_edit,
	may_fulfil,
	next_approval_state,
)


def test_full_flow_has_every_step_in_order():
	flow = Flow()
	assert flow.steps() == ("Sales Request", "Quotation", "Sales Order", "Delivery Note", "Sales Invoice")
	assert flow.next_step("Sales Request") == "Quotation"
	assert flow.next_step("Delivery Note") == "Sales Invoice"
	assert flow.next_step("Sales Invoice") is None
	assert not flow.invoice_issues_stock


def test_skipped_steps_map_straight_through():
	flow = Flow(use_proforma=False, use_remittance=False)
	assert flow.next_step("Sales Request") == "Sales Order"
	assert flow.next_step("Sales Order") == "Sales Invoice"
	assert flow.invoice_issues_stock
	flow.check_step("Sales Request", "Sales Order")
	with pytest.raises(RuleError, match="becomes a Sales Order, not a Quotation"):
		flow.check_step("Sales Request", "Quotation")


def test_a_step_the_company_does_not_use_is_refused():
	with pytest.raises(RuleError, match="does not use the Sales Request step"):
		Flow(use_sales_request=False).check_step("Sales Request", "Quotation")
	with pytest.raises(RuleError, match="becomes a Quotation, not a Sales Order"):
		Flow().check_step("Sales Request", "Sales Order")


@given(st.booleans(), st.booleans(), st.booleans())
def test_every_flow_starts_at_an_order_or_before_and_ends_with_the_invoice(request_, proforma, remittance):
	flow = Flow(request_, proforma, remittance)
	steps = flow.steps()
	assert steps[-1] == "Sales Invoice" and "Sales Order" in steps
	for a, b in pairwise(steps):
		assert flow.next_step(a) == b
		flow.check_step(a, b)


def test_quantities_must_be_positive():
	check_quantities([(1, "A", 1), (2, "B", 0.5)])
	for bad in (0, -3, None):
		with pytest.raises(RuleError, match="Row 2: the quantity of B must be greater than zero"):
			check_quantities([(1, "A", 1), (2, "B", bad)])


def test_expired_proforma():
	check_proforma_valid("Q1", None, date(2026, 1, 10))
	check_proforma_valid("Q1", date(2026, 1, 10), date(2026, 1, 10))
	with pytest.raises(RuleError, match="Proforma Q1 expired on 2026-01-09"):
		check_proforma_valid("Q1", date(2026, 1, 9), date(2026, 1, 10))


def test_approval_transitions():
	assert next_approval_state("", "send", False) == SENT
	assert next_approval_state(RETURNED, "send", False) == SENT
	assert next_approval_state(SENT, "approve", True) == APPROVED
	assert next_approval_state(SENT, "return", True) == RETURNED
	with pytest.raises(RuleError, match="Only a Sales Manager"):
		next_approval_state(SENT, "approve", False)
	with pytest.raises(RuleError, match="cannot be approved"):
		next_approval_state(APPROVED, "approve", True)
	with pytest.raises(RuleError, match="cannot be sent for approval"):
		next_approval_state(SENT, "send", False)


def test_edit_rules():
	assert may_edit(False, "", False)  # a draft: the salesperson edits
	assert not may_edit(True, SENT, False)
	assert not may_edit(True, APPROVED, False)
	assert not may_edit(True, "", False)  # submitted without an approval step
	assert may_edit(True, RETURNED, False)
	assert may_edit(True, SENT, True) and may_edit(True, APPROVED, True)


def test_first_state_and_fulfilment():
	assert first_state(False, False) == ""
	assert first_state(True, False) == SENT
	assert first_state(True, True) == APPROVED
	assert may_fulfil(False, "")
	assert not may_fulfil(True, SENT)
	assert may_fulfil(True, APPROVED)


def test_receipts_and_refund():
	r = Receipts(total=1000, received=700, invoiced=400)
	assert r.remaining == 300
	assert r.refundable(closed=False) == 0
	assert r.refundable(closed=True) == 300
	r.check_refund(300, closed=True)
	with pytest.raises(RuleError, match="At most 300"):
		r.check_refund(301, closed=True)
	with pytest.raises(RuleError, match="Complete the order"):
		r.check_refund(100, closed=False)
	with pytest.raises(RuleError, match="greater than zero"):
		r.check_refund(0, closed=True)
	after = Receipts(total=1000, received=700, invoiced=400, refunded=300)
	assert after.refundable(closed=True) == 0 and after.net_received == 400
	with pytest.raises(RuleError, match="At most 0"):
		after.check_refund(1, closed=True)


@given(
	st.floats(0, 1e9, allow_nan=False),
	st.floats(0, 1e9, allow_nan=False),
	st.floats(0, 1e9, allow_nan=False),
)
def test_refund_never_exceeds_what_was_received(total, received, invoiced):
	r = Receipts(total, received, invoiced)
	assert 0 <= r.refundable(True) <= received
	after = Receipts(total, received, invoiced, refunded=r.refundable(True))
	assert after.refundable(True) <= 1e-6
	assert 0 <= r.remaining <= total
