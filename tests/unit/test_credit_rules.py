"""CRD-1, CRD-5: credit position and credit policies — which policies decide, and what (pure, no frappe)."""

from dataclasses import replace

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from distribution_sales.rules import RuleError
from distribution_sales.rules.credit import (
	CREDIT_LIMIT,
	INDICATORS,
	Breach,
	CreditDecision,
	CreditLimitRow,
	CreditPosition,
	Figures,
	Policy,
	credit_limit_policy,
	decide_credit,
	deciding_policies,
	erpnext_credit_limit,
	validate_policy,
)

SO, SI = "Sales Order", "Sales Invoice"


def policy(name="P", scope="customer", action="block", distance=0, payment_types=(), documents=(), **limits):
	return Policy(
		name,
		scope,
		action,
		limits or {"outstanding": 1000},
		distance,
		frozenset(payment_types),
		frozenset(documents),
	)


def decide(policies, amount=0.0, customer=None, sales_person=None, document=SO, payment_type="Cash"):
	return decide_credit(list(policies), document, payment_type, amount, customer or Figures(), sales_person)


def names(policies):
	return [p.name for p in policies]


# --- CreditPosition ---------------------------------------------------------------------------------


def test_credit_position_without_limit_has_no_remaining_and_is_never_over():
	p = CreditPosition(limit=0, outstanding=10**9, open_orders=5)
	assert p.exposure == 10**9 + 5
	assert p.remaining is None and not p.over_limit


def test_credit_position_at_the_limit_is_not_over_it():
	assert CreditPosition(limit=100, outstanding=60, open_orders=40).remaining == 0
	assert not CreditPosition(limit=100, outstanding=60, open_orders=40).over_limit
	assert CreditPosition(limit=100, outstanding=60, open_orders=40.5).over_limit


@given(
	st.integers(1, 10**9),
	st.integers(0, 10**9),
	st.integers(0, 10**9),
)
def test_credit_position_remaining_is_limit_minus_exposure(limit, outstanding, open_orders):
	p = CreditPosition(limit, outstanding, open_orders)
	assert p.exposure == outstanding + open_orders
	assert p.remaining == limit - outstanding - open_orders
	assert p.over_limit is (outstanding + open_orders > limit)


# --- Figures ----------------------------------------------------------------------------------------


def test_the_document_counts_as_receivable_and_in_total_exposure():
	values = Figures(outstanding=100, open_orders=20, uncleared_cheques=7, overdue_days=12).with_document(50)
	assert values == {
		"outstanding": 150,
		"open_orders": 20,
		"uncleared_cheques": 7,
		"overdue_days": 12,
		"total_exposure": 177,
		"credit_used": 170,
		"credit_used_without_orders": 150,
	}
	assert set(values) == set(INDICATORS)


# --- validate_policy --------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"scope, party",
	[
		(None, "C-1"),
		("", "C-1"),
		("territory", "Tehran"),
		("customer", None),
		("customer", ""),
		("sales_person", None),
	],
)
def test_a_policy_without_scope_or_party_is_refused(scope, party):
	limits = {"outstanding": 100}
	with pytest.raises(RuleError) as e:
		validate_policy(scope, party, "block", limits)
	assert e.value.template == "A credit policy needs a scope: a customer, a customer group or a salesperson"
	assert e.value.params == ()
	assert limits == {"outstanding": 100}  # the input is left as it was


@pytest.mark.parametrize("action", [None, "", "stop", "Block"])
def test_a_policy_must_warn_or_block(action):
	with pytest.raises(RuleError) as e:
		validate_policy("customer", "C-1", action, {"outstanding": 100})
	assert e.value.template == "A credit policy either warns or blocks"


@pytest.mark.parametrize("indicator", sorted(INDICATORS))
def test_a_negative_limit_is_refused_and_named(indicator):
	limits = {"outstanding": 100, indicator: -1}
	with pytest.raises(RuleError) as e:
		validate_policy("customer_group", "Retail", "warn", limits)
	assert e.value.template == "The limit on {0} cannot be negative"
	assert e.value.params == (INDICATORS[indicator],)
	assert str(e.value) == f"The limit on {INDICATORS[indicator]} cannot be negative"
	assert limits[indicator] == -1


@pytest.mark.parametrize("limits", [{}, {"outstanding": 0}, {"outstanding": None, "overdue_days": 0}])
def test_a_policy_needs_at_least_one_limit(limits):
	with pytest.raises(RuleError) as e:
		validate_policy("sales_person", "SP-1", "block", limits)
	assert e.value.template == "A credit policy needs at least one limit"


@pytest.mark.parametrize("scope", ["customer", "customer_group", "sales_person"])
@pytest.mark.parametrize("action", ["warn", "block"])
def test_a_complete_policy_is_accepted(scope, action):
	assert (
		validate_policy(scope, "X", action, {"outstanding": 0, "overdue_days": 30, "open_orders": None})
		is None
	)


def test_the_scope_is_checked_before_the_action_and_the_limits():
	with pytest.raises(RuleError, match="needs a scope"):
		validate_policy(None, None, None, {"outstanding": -5})
	with pytest.raises(RuleError, match="warns or blocks"):
		validate_policy("customer", "C-1", None, {"outstanding": -5})


# --- Policy -----------------------------------------------------------------------------------------


def test_dimension_and_specificity():
	assert policy(scope="customer").dimension == "customer"
	assert policy(scope="customer_group").dimension == "customer"
	assert policy(scope="sales_person").dimension == "sales_person"
	own, group, parent = policy(), policy(scope="customer_group"), policy(scope="customer_group", distance=1)
	assert own.specificity < group.specificity < parent.specificity


@pytest.mark.parametrize(
	"documents, payment_types, document, payment_type, applies",
	[
		((), (), SO, "Cash", True),
		((), (), SI, None, True),
		((SO,), (), SO, None, True),
		((SO,), (), SI, "Cash", False),
		((), ("Cheque",), SO, "Cheque", True),
		((), ("Cheque",), SO, "Cash", False),
		((), ("Cheque",), SO, None, False),  # a policy for cheques does not judge a document without one
		((SO, SI), ("Cheque", "Credit 30"), SI, "Credit 30", True),
		((SO,), ("Cheque",), SI, "Cheque", False),
	],
)
def test_policies_are_filtered_by_document_and_payment_type(
	documents, payment_types, document, payment_type, applies
):
	p = policy(documents=documents, payment_types=payment_types)
	assert p.applies_to(document, payment_type) is applies


# --- deciding_policies ------------------------------------------------------------------------------


def test_the_customers_own_policy_beats_its_groups():
	policies = [
		policy("group", "customer_group"),
		policy("own"),
		policy("parent", "customer_group", distance=1),
	]
	assert names(deciding_policies(policies, SO, "Cash")) == ["own"]


def test_a_nearer_group_beats_a_farther_one():
	policies = [policy("grand", "customer_group", distance=2), policy("parent", "customer_group", distance=1)]
	assert names(deciding_policies(policies, SO, "Cash")) == ["parent"]


def test_equally_specific_policies_all_decide():
	policies = [
		policy("g1", "customer_group", action="warn"),
		policy("g2", "customer_group"),
		policy("p", "customer_group", distance=1),
	]
	assert names(deciding_policies(policies, SO, "Cash")) == ["g1", "g2"]


def test_customer_and_salesperson_dimensions_decide_independently():
	policies = [
		policy("sp1", "sales_person"),
		policy("own"),
		policy("group", "customer_group"),
		policy("sp2", "sales_person", action="warn"),
	]
	assert names(deciding_policies(policies, SO, "Cash")) == ["own", "sp1", "sp2"]
	# a salesperson policy does not hide the customer's group policy, nor the other way round
	assert names(deciding_policies([policies[0], policies[2]], SO, "Cash")) == ["group", "sp1"]


def test_a_policy_that_does_not_apply_does_not_hide_a_less_specific_one():
	policies = [policy("own", documents=(SI,)), policy("group", "customer_group", payment_types=("Cash",))]
	assert names(deciding_policies(policies, SI, "Cash")) == ["own"]
	assert names(deciding_policies(policies, SO, "Cash")) == ["group"]
	assert names(deciding_policies(policies, SO, "Cheque")) == []


def test_no_policies_no_decision():
	assert deciding_policies([], SO, None) == []
	assert decide([], amount=10**12) == CreditDecision("ok", (), ())


# --- decide_credit ----------------------------------------------------------------------------------


def test_under_the_limit_is_ok_and_at_the_limit_too():
	d = decide([policy(outstanding=1000)], amount=400, customer=Figures(outstanding=600))
	assert d == CreditDecision("ok", (), ("P",))
	assert not d.blocked


def test_the_document_amount_tips_the_outstanding_over_the_limit():
	d = decide([policy(outstanding=1000)], amount=401, customer=Figures(outstanding=600))
	assert d.action == "block" and d.blocked
	assert d.breaches == (Breach("P", "block", "outstanding", 1001, 1000),)
	assert d.breaches[0].label == "Outstanding Receivable"
	assert d.deciding == ("P",)


def test_a_warning_policy_warns():
	d = decide([policy(action="warn", overdue_days=30)], customer=Figures(overdue_days=31))
	assert d.action == "warn" and not d.blocked
	assert [(b.indicator, b.value, b.limit, b.label) for b in d.breaches] == [
		("overdue_days", 31, 30, "Overdue Days")
	]


def test_every_indicator_is_checked():
	customer = Figures(outstanding=100, open_orders=200, uncleared_cheques=300, overdue_days=40)
	limits = {
		"outstanding": 149,
		"open_orders": 199,
		"uncleared_cheques": 299,
		"overdue_days": 39,
		"total_exposure": 649,
	}
	d = decide([policy(**limits)], amount=50, customer=customer)
	assert {b.indicator: b.value for b in d.breaches} == {
		"outstanding": 150,
		"open_orders": 200,
		"uncleared_cheques": 300,
		"overdue_days": 40,
		"total_exposure": 650,
	}
	# one unit more on each limit: nothing breached
	d = decide([policy(**{k: v + 1 for k, v in limits.items()})], amount=50, customer=customer)
	assert d.action == "ok" and d.breaches == ()


def test_a_zero_or_missing_limit_is_not_checked():
	d = decide(
		[policy(outstanding=0, overdue_days=None, open_orders=10)],
		amount=10**9,
		customer=Figures(overdue_days=999),
	)
	assert d.action == "ok"


def test_block_beats_warn_and_blocking_breaches_are_listed_first():
	policies = [
		policy("warn-far", "customer_group", action="warn", outstanding=100),  # 10 x over
		policy("block-near", "customer_group", action="block", open_orders=900),  # barely over
	]
	d = decide(policies, amount=1000, customer=Figures(open_orders=901))
	assert d.action == "block"
	assert [(b.policy, b.action) for b in d.breaches] == [("block-near", "block"), ("warn-far", "warn")]
	assert d.deciding == ("warn-far", "block-near")


def test_breaches_of_the_same_action_are_listed_by_how_far_over_they_are():
	p = policy(outstanding=1000, open_orders=100, uncleared_cheques=10)
	d = decide([p], amount=1100, customer=Figures(open_orders=300, uncleared_cheques=15))
	# outstanding 10 % over, open orders 200 % over, cheques 50 % over
	ratios = [(b.value - b.limit) / b.limit for b in d.breaches]
	assert ratios == sorted(ratios, reverse=True)
	assert [b.indicator for b in d.breaches] == ["open_orders", "uncleared_cheques", "outstanding"]


def test_the_strictest_of_equally_specific_policies_decides():
	loose = policy("loose", "customer_group", action="block", outstanding=5000)
	strict = policy("strict", "customer_group", action="block", outstanding=1000)
	d = decide([loose, strict], amount=2000)
	assert d.action == "block" and [b.policy for b in d.breaches] == ["strict"]


def test_a_looser_own_policy_overrides_a_stricter_group_policy():
	own = policy("own", action="warn", outstanding=5000)
	group = policy("group", "customer_group", action="block", outstanding=1000)
	d = decide([group, own], amount=2000)
	assert d == CreditDecision("ok", (), ("own",))
	d = decide([group, own], amount=6000)
	assert d.action == "warn" and d.deciding == ("own",)


def test_salesperson_policies_judge_the_salespersons_portfolio():
	sp = policy("sp", "sales_person", total_exposure=10_000)
	own = policy("own", action="warn", total_exposure=50_000)
	portfolio = Figures(outstanding=8_000, uncleared_cheques=1_500)
	d = decide([sp, own], amount=600, customer=Figures(outstanding=100), sales_person=portfolio)
	assert d.action == "block"
	assert d.breaches == (Breach("sp", "block", "total_exposure", 10_100, 10_000),)
	assert d.deciding == ("own", "sp")
	# without figures the portfolio is just this document
	assert decide([sp], amount=9_000).action == "ok"
	assert decide([sp], amount=10_001).action == "block"


def test_policies_for_other_documents_or_payment_types_are_not_checked():
	cheque_only = policy("cheque", payment_types=("Cheque",), outstanding=10)
	invoice_only = policy("invoice", documents=(SI,), outstanding=10)
	d = decide([cheque_only, invoice_only], amount=100, document=SO, payment_type="Cash")
	assert d == CreditDecision("ok", (), ())
	assert decide([cheque_only, invoice_only], amount=100, document=SO, payment_type="Cheque").deciding == (
		"cheque",
	)
	d = decide([cheque_only, invoice_only], amount=100, document=SI, payment_type="Cheque")
	assert d.action == "block" and {b.policy for b in d.breaches} == {"cheque", "invoice"}


def test_float_noise_at_the_limit_is_not_a_breach():
	# 0.2 + 0.1 is 0.30000000000000004 in floats
	d = decide([policy(outstanding=0.3)], amount=0.1, customer=Figures(outstanding=0.2))
	assert d.action == "ok"


def test_inputs_are_left_unchanged():
	policies = [policy("a", outstanding=1), policy("b", "sales_person", outstanding=1)]
	before = list(policies)
	figures = Figures(outstanding=5)
	decide(policies, amount=10, customer=figures, sales_person=figures)
	assert policies == before and figures == Figures(outstanding=5)


# --- properties -------------------------------------------------------------------------------------

money = st.integers(0, 10**7).map(float)
figures_st = st.builds(Figures, money, money, money, st.integers(0, 365))
limits_st = st.dictionaries(
	st.sampled_from(sorted(INDICATORS)), st.integers(1, 2 * 10**7).map(float), min_size=1
)


@st.composite
def policy_st(draw, name=None):
	scope = draw(st.sampled_from(["customer", "customer_group", "sales_person"]))
	return Policy(
		name or draw(st.text("abcdef", min_size=1, max_size=4)),
		scope,
		draw(st.sampled_from(["warn", "block"])),
		draw(limits_st),
		draw(st.integers(0, 3)) if scope == "customer_group" else 0,
		frozenset(draw(st.sets(st.sampled_from(["Cash", "Cheque", "Credit 30"]), max_size=2))),
		frozenset(draw(st.sets(st.sampled_from([SO, SI, "Quotation"]), max_size=2))),
	)


policies_st = st.lists(policy_st(), max_size=6)
document_st = st.sampled_from([SO, SI, "Quotation"])
payment_st = st.sampled_from(["Cash", "Cheque", "Credit 30", None])


@given(policies_st, document_st, payment_st, money, figures_st, figures_st)
def test_never_blocks_when_every_figure_is_under_every_limit(policies, document, payment_type, amount, c, s):
	values = {"customer": c.with_document(amount), "sales_person": s.with_document(amount)}
	policies = [
		replace(p, limits={k: max(v, values[p.dimension][k]) for k, v in p.limits.items()}) for p in policies
	]
	d = decide_credit(policies, document, payment_type, amount, c, s)
	assert d.action == "ok" and not d.blocked and d.breaches == ()


@given(policies_st, document_st, payment_st, money, figures_st, figures_st, st.data())
def test_always_blocks_when_a_deciding_block_limit_is_exceeded(
	policies, document, payment_type, amount, c, s, data
):
	deciding = [p for p in deciding_policies(policies, document, payment_type) if p.action == "block"]
	assume(deciding)
	victim = data.draw(st.sampled_from(deciding))
	indicator = data.draw(st.sampled_from(sorted(victim.limits)))
	value = (c if victim.dimension == "customer" else s).with_document(amount)[indicator]
	assume(value > 0)
	tight = replace(victim, limits={**victim.limits, indicator: value / 2})
	policies = [tight if p is victim else p for p in policies]
	d = decide_credit(policies, document, payment_type, amount, c, s)
	assert d.action == "block" and d.blocked
	assert any(b.policy == victim.name and b.indicator == indicator for b in d.breaches)


@given(policies_st, document_st, payment_st, money, figures_st, figures_st, st.data())
def test_a_less_specific_policy_never_changes_the_decision(
	policies, document, payment_type, amount, c, s, data
):
	deciding = deciding_policies(policies, document, payment_type)
	customer_side = [p for p in deciding if p.dimension == "customer"]
	assume(customer_side)
	level, distance = customer_side[0].specificity  # all deciding ones share the most specific level
	farther = data.draw(st.integers(distance + 1, distance + 3) if level else st.integers(0, 3))
	extra = replace(data.draw(policy_st(name="extra")), scope="customer_group", distance=farther)
	before = decide_credit(policies, document, payment_type, amount, c, s)
	for where in (0, len(policies)):
		after = decide_credit(
			[*policies[:where], extra, *policies[where:]], document, payment_type, amount, c, s
		)
		assert after.action == before.action
		assert set(after.breaches) == set(before.breaches)
		assert set(after.deciding) == set(before.deciding)


@given(policies_st, document_st, payment_st, money, figures_st, figures_st)
def test_decision_matches_its_breaches(policies, document, payment_type, amount, c, s):
	d = decide_credit(policies, document, payment_type, amount, c, s)
	actions = [b.action for b in d.breaches]
	assert d.action == ("block" if "block" in actions else "warn" if actions else "ok")
	assert actions == sorted(actions, key=lambda a: a != "block")  # blocking first
	deciding = {p.name for p in deciding_policies(policies, document, payment_type)}
	assert {b.policy for b in d.breaches} <= deciding == set(d.deciding)
	for b in d.breaches:
		assert b.value > b.limit > 0
		assert b.label == INDICATORS[b.indicator]


@given(policies_st, document_st, payment_st, money, figures_st, figures_st, st.randoms())
def test_the_order_of_the_policies_does_not_matter(policies, document, payment_type, amount, c, s, rnd):
	shuffled = list(policies)
	rnd.shuffle(shuffled)
	a = decide_credit(policies, document, payment_type, amount, c, s)
	b = decide_credit(shuffled, document, payment_type, amount, c, s)
	assert a.action == b.action
	assert sorted(a.breaches, key=repr) == sorted(b.breaches, key=repr)


@given(policies_st, document_st, payment_st, money, money, figures_st)
def test_a_bigger_document_never_relaxes_the_decision(policies, document, payment_type, a, extra, c):
	rank = {"ok": 0, "warn": 1, "block": 2}.__getitem__
	small = decide_credit(policies, document, payment_type, a, c)
	big = decide_credit(policies, document, payment_type, a + extra, c)
	assert rank(big.action) >= rank(small.action)


def test_an_order_counts_as_open_order_an_invoice_as_receivable():
	from distribution_sales.rules.credit import Figures

	figures = Figures(outstanding=100.0, open_orders=50.0, uncleared_cheques=10.0)
	as_invoice = figures.with_document(30.0)
	as_order = figures.with_document(30.0, as_order=True)
	assert (as_invoice["outstanding"], as_invoice["open_orders"]) == (130.0, 50.0)
	assert (as_order["outstanding"], as_order["open_orders"]) == (100.0, 80.0)
	assert as_invoice["total_exposure"] == as_order["total_exposure"] == 190.0


def test_remaining_credit_is_the_tightest_amount_limit():
	from distribution_sales.rules.credit import Figures, Policy, remaining_credit

	figures = Figures(outstanding=100.0, open_orders=50.0)
	loose = Policy("loose", "customer", "block", {"outstanding": 1000.0})
	tight = Policy("tight", "customer_group", "warn", {"total_exposure": 400.0, "overdue_days": 10})
	assert remaining_credit([loose, tight], figures) == ("tight", 250.0)
	assert remaining_credit([Policy("days", "customer", "block", {"overdue_days": 5})], figures) is None


# --- ERPNext's own credit limits (Customer > Credit Limits) as a policy ----------------------------


def test_erpnext_limit_comes_from_the_customer_then_its_group_then_the_company():
	own, group = CreditLimitRow(500.0), CreditLimitRow(300.0)
	assert erpnext_credit_limit(own, group, 100.0) == ("customer", 500.0)
	assert erpnext_credit_limit(CreditLimitRow(0.0, bypass=True), group, 100.0) == ("customer_group", 300.0)
	assert erpnext_credit_limit(None, group, 100.0) == ("customer_group", 300.0)
	# a group row that bypasses the check gives no limit: the company's default applies
	assert erpnext_credit_limit(None, CreditLimitRow(300.0, bypass=True), 100.0) == ("company", 100.0)
	assert erpnext_credit_limit(None, None, 100.0) == ("company", 100.0)
	assert erpnext_credit_limit(None, None, 0.0) is None
	assert erpnext_credit_limit(CreditLimitRow(0.0), CreditLimitRow(0.0), 0.0) is None


def test_erpnext_limit_is_checked_where_erpnext_checks_it():
	def indicator(document, bypass=False, billed_elsewhere=False, limit=1000.0):
		p = credit_limit_policy("L", limit, document, bypass, billed_elsewhere)
		return p and (next(iter(p.limits)), p.scope, p.action, p.documents)

	assert indicator(SO) == ("credit_used", CREDIT_LIMIT, "block", frozenset({SO}))
	assert indicator(SO, bypass=True) is None  # the bypass is for orders
	assert indicator(SI)[0] == "credit_used"
	assert indicator(SI, billed_elsewhere=True) is None  # its order or delivery was counted already
	assert indicator(SI, bypass=True)[0] == "credit_used_without_orders"
	assert indicator(SI, bypass=True, billed_elsewhere=True)[0] == "credit_used_without_orders"
	assert indicator("Quotation") is None and indicator("Sales Request") is None
	assert indicator(SO, limit=0.0) is None and indicator(SO, limit=-5.0) is None


def test_erpnext_limit_counts_outstanding_open_orders_and_unbilled_deliveries():
	limit = credit_limit_policy("Credit Limit of C", 1000.0, SO, False, False)
	figures = Figures(
		outstanding=400.0, open_orders=300.0, uncleared_cheques=900.0, unbilled_deliveries=200.0
	)
	assert decide([limit], amount=100.0, customer=figures).action == "ok"  # 1000: at the limit
	d = decide([limit], amount=101.0, customer=figures)
	assert d.blocked and d.breaches == (Breach("Credit Limit of C", "block", "credit_used", 1001.0, 1000.0),)
	assert d.breaches[0].label == "Outstanding, Open Orders and Unbilled Deliveries"


def test_with_the_bypass_an_invoice_is_judged_without_the_open_orders():
	limit = credit_limit_policy("L", 1000.0, SI, True, True)
	figures = Figures(outstanding=400.0, open_orders=5000.0, unbilled_deliveries=100.0)
	assert decide([limit], amount=500.0, customer=figures, document=SI).action == "ok"
	assert decide([limit], amount=501.0, customer=figures, document=SI).blocked


def test_erpnext_limit_decides_alongside_the_customers_own_policy():
	limit = credit_limit_policy("ERPNext", 1000.0, SO, False, False)
	figures = Figures(outstanding=500.0)
	loose_own = policy("own", total_exposure=10_000.0)
	strict_own = policy("strict", total_exposure=600.0)
	# a looser policy of the customer does not lift ERPNext's limit
	d = decide([loose_own, limit], amount=600.0, customer=figures)
	assert d.blocked and {b.policy for b in d.breaches} == {"ERPNext"}
	assert set(d.deciding) == {"own", "ERPNext"}
	# a stricter policy still decides under ERPNext's limit
	d = decide([strict_own, limit], amount=200.0, customer=figures)
	assert d.blocked and {b.policy for b in d.breaches} == {"strict"}
	# and ERPNext's limit does not hide the customer's group policies (another dimension)
	group = policy("group", "customer_group", total_exposure=600.0)
	assert set(decide([group, limit], amount=200.0, customer=figures).deciding) == {"group", "ERPNext"}


def test_erpnext_limit_is_not_a_policy_scope_users_can_choose():
	with pytest.raises(RuleError):
		validate_policy(CREDIT_LIMIT, "C-1", "block", {"outstanding": 1.0})


@given(policies_st, payment_st, money, figures_st, figures_st, st.integers(1, 2 * 10**7).map(float))
def test_adding_erpnexts_limit_never_relaxes_and_blocks_exactly_over_it(
	policies, payment_type, amount, c, s, limit
):
	rank = {"ok": 0, "warn": 1, "block": 2}.__getitem__
	erpnext = credit_limit_policy("ERPNext", limit, SO, False, False)
	without = decide_credit(policies, SO, payment_type, amount, c, s, as_order=True)
	with_limit = decide_credit([*policies, erpnext], SO, payment_type, amount, c, s, as_order=True)
	assert rank(with_limit.action) >= rank(without.action)
	over = c.with_document(amount, as_order=True)["credit_used"] > limit + 1e-9
	assert any(b.policy == "ERPNext" for b in with_limit.breaches) is over
	assert with_limit.blocked is (without.blocked or over)
	assert set(with_limit.breaches) - set(without.breaches) <= {
		b for b in with_limit.breaches if b.policy == "ERPNext"
	}
