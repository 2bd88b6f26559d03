"""Promotion schemes (PRC-2, PRC-5): tiers, layers, budgets, free goods, with an explanation per line.

The engine is a pure function: ``apply_schemes(lines, schemes, context) -> PricingResult``. The same
input gives the same result whatever order ``schemes`` and ``lines`` are given in.

Measuring. A scheme measures the lines it matches in one of three units (``Scheme.measure``):
  * "stock": quantity in stock units (``line.qty * line.conversion_factor``);
  * "pack": quantity in packs (stock quantity / ``line.pack_factor``; lines without a pack factor
    count as 0 packs);
  * "amount": line amount at the current net rate (after earlier layers).
With ``Scheme.aggregate`` all matching lines are measured together (a mix of items of a group counts
towards one tier) and the benefit is shared by them; otherwise each matching line is measured alone.

Tiers (``Scheme.tier_type``), each ``Tier`` starts at ``min_value`` (inclusive):
  * "slab": the highest tier reached applies to the whole measured value;
  * "stepped": the value is cut into bands, one per tier reached; each band gets its own tier's percent
    or amount; free goods are not allowed in stepped tiers. Where a band starts depends on the measure:
      - counted units ("stock", "pack"): a tier from N covers the N-th unit on, as a slab tier from N
        applies from N units on. Its band is the measured range (N - 1, M - 1], M the next tier's From:
        tiers 5 % from 10 and 8 % from 50 are the price break "10-49: -5 %, 50+: -8 %", so 60 units
        give 40 units at 5 % and 11 at 8 %; 9 units give nothing and 10 give one unit at 5 %. A tier
        from 0 or from 1 covers every unit. A fraction of a unit short of the next tier stays in the
        band below (tiers 5 % from 1 and 8 % from 10: 9.5 units are all at 5 %; at 10 units the 10th
        moves up);
      - money ("amount"): money has no first unit, so a band starts at the amount itself:
        [From, next From). A tier from 1,000 covers the part of the amount above 1,000: 1,500 gives
        500 to it, 1,000 exactly gives it nothing;
  * "recurring": one tier; for every ``tier.every`` measured units the benefit is granted once more
    (every 7 -> 1 free: 42 gives 6, 84 gives 12, 41 gives 5).
A value below the first tier gets nothing. ``Scheme.max_value`` (if set) caps the measured value.

Benefits of a tier (any combination):
  * ``discount_percent``: percent off the rate;
  * ``discount_amount``: money off per measured unit (per stock unit, per pack, or per 1 of amount);
  * ``fixed_rate``: the rate per stock unit becomes this (never raised: a fixed rate above the
    current rate changes nothing);
  * ``free_qty`` of ``free_item`` (the matched line's own item when None) in ``free_uom`` (the stock
    UOM when None). Free quantities are whole units: always rounded down.

Layers. Schemes apply in ascending ``(priority, name)``. An ``exclusive`` scheme that gives a line
anything closes that line to all later schemes. ``compound`` percents apply to the rate left by the
earlier layers; non-compound percents apply to the line's original rate (so they add up). A line's
net rate never goes below 0 and its discount never exceeds its original amount.

Budgets. ``budget_left`` (money for discounts, quantity for free goods, per ``budget_basis``) and
``customer_budget_left`` cap what one application of a scheme may give; a benefit above the cap is
scaled down to it (free quantities rounded down) and the explanation says so. A budget of 0 means
spent: the scheme gives nothing and says why.

Conditions: empty sets mean "any". ``items`` / ``item_groups`` / ``brands`` select lines: every kind
that is set must hold (item listed, and one of its groups listed, and its brand listed), values of
one kind are alternatives, so "Item Group Snacks + Brand Kaveh" means Kaveh's snacks; ``customers``,
``customer_groups`` (any of the context's groups), ``territories`` (any of the context's),
``provinces`` select the document; ``valid_from`` / ``valid_upto`` against ``context.on``;
``coupon`` (when set) must be among ``context.coupons``. Free lines (``Line.is_free``) never match.

Details the above leaves open, as implemented:
  * ``apply_schemes`` checks every scheme with ``validate_scheme`` and refuses two paid lines with one key
    (``RuleError``). Results list lines by key, applied rows and free lines by scheme order, then line.
  * A tier's benefit covers part of the measured value: slab the whole (capped) value, stepped each band
    (the part before the first tier's band gets nothing), recurring the complete blocks (``times * every``). A
    percent or fixed rate covers that fraction of each line; ``discount_amount`` is money per covered
    measured unit, shared by the lines in proportion to what each measured. So ``max_value`` caps the
    benefit, not only the choice of tier. Within one tier, percent and amount come first, then
    ``fixed_rate`` lowers what is left.
  * A line that measures 0 (no quantity, no pack factor, a rate already 0 for "amount") earns nothing.
    Tier thresholds and whole free units forgive a relative float error of 1e-9.
  * Free goods of a group are reported on one line (``FreeLine.source_line`` and its ``Applied`` row):
    with ``free_item`` None the line that measured most (ties: smallest key), whose item they are;
    otherwise the group's first line by key. Every line of the group earned them: each gets an
    ``Applied`` row and an exclusive scheme closes them all. A scheme's free goods of one item and UOM
    make one ``FreeLine`` (quantities summed, on the first line by key that earned them). ``free_uom``
    None gives the stock UOM of a matched line of the free item, or None when no matched line is of
    that item (the caller fills it in).
  * Budgets: the cap is the smaller of ``budget_left`` and ``customer_budget_left`` (those set); 0 or
    less is spent, which is reported in ``PricingResult.skipped`` only when the scheme would have given
    something. Money is scaled proportionally, free quantities proportionally and rounded down; every
    row of a capped scheme says "capped by budget", and a scheme the cap leaves with nothing is skipped
    with that reason.
  * ``LineResult.discount_amount`` is the sum of the line's ``Applied`` money (not rounded);
    ``net_rate`` is rounded to 6 decimals, and an untouched line keeps its rate as given.

One module of about 580 lines on purpose: tiers, layers, stacking, exclusivity, caps and budgets are one
engine whose private helpers share its invariants (measures, tolerances, the order of layers); split,
those invariants would have to be re-stated in each part.
"""

import math
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import pairwise

from distribution_sales.rules import RuleError, _


@dataclass(frozen=True)
class Line:
	key: str  # unique within the document (row name)
	item_code: str
	qty: float  # in the line's UOM
	rate: float  # price per line UOM before schemes
	uom: str
	conversion_factor: float = 1.0  # stock units per line UOM
	pack_factor: float | None = None  # stock units per pack (e.g. 12 per carton)
	item_groups: tuple[str, ...] = ()  # nearest first
	brand: str | None = None
	stock_uom: str | None = None
	is_free: bool = False


@dataclass(frozen=True)
class Context:
	on: date
	customer: str | None = None
	customer_groups: tuple[str, ...] = ()
	territories: tuple[str, ...] = ()
	province: str | None = None
	coupons: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Tier:
	min_value: float
	discount_percent: float = 0.0
	discount_amount: float = 0.0
	fixed_rate: float | None = None
	free_qty: float = 0.0
	free_item: str | None = None
	free_uom: str | None = None
	every: float | None = None  # recurring tiers only


@dataclass(frozen=True)
class Scheme:
	name: str
	tiers: tuple[Tier, ...]
	tier_type: str = "slab"  # slab | stepped | recurring
	measure: str = "stock"  # stock | pack | amount
	aggregate: bool = False
	priority: int = 10
	exclusive: bool = False
	compound: bool = True
	max_value: float | None = None
	items: frozenset[str] = frozenset()
	item_groups: frozenset[str] = frozenset()
	brands: frozenset[str] = frozenset()
	customers: frozenset[str] = frozenset()
	customer_groups: frozenset[str] = frozenset()
	territories: frozenset[str] = frozenset()
	provinces: frozenset[str] = frozenset()
	valid_from: date | None = None
	valid_upto: date | None = None
	coupon: str | None = None
	budget_basis: str = "amount"  # amount | qty
	budget_left: float | None = None  # None = no budget
	customer_budget_left: float | None = None


@dataclass(frozen=True)
class Applied:
	"""One explanation row: what ``scheme`` gave ``line``."""

	line: str
	scheme: str
	tier: int  # index into Scheme.tiers (for stepped: the highest band reached)
	measured: float  # the value the tier was chosen on
	discount_percent: float  # effective percent of the line's original amount
	discount_amount: float  # money this scheme took off this line
	free_item: str | None = None
	free_qty: float = 0.0
	free_uom: str | None = None
	note: str = ""  # e.g. "capped by budget"


@dataclass(frozen=True)
class FreeLine:
	item_code: str
	qty: float
	uom: str | None
	scheme: str
	source_line: str  # the (first) line that earned it


@dataclass
class LineResult:
	key: str
	original_rate: float
	net_rate: float
	discount_amount: float  # total money off the line (original - net) * qty


@dataclass
class PricingResult:
	lines: dict[str, LineResult] = field(default_factory=dict)
	free_lines: list[FreeLine] = field(default_factory=list)
	applied: list[Applied] = field(default_factory=list)
	skipped: list[tuple[str, str]] = field(default_factory=list)  # (scheme, reason) e.g. budget spent


_EPS = 1e-9  # relative tolerance against float error (5.999999999 packs reach a tier from 6)
_TIER_TYPES = ("slab", "stepped", "recurring")
_MEASURES = ("stock", "pack", "amount")
_BUDGET_BASES = ("amount", "qty")
# what people see these numbers called on the Trade Scheme form
_LABELS = {
	"min_value": "From",
	"discount_percent": "Discount %",
	"discount_amount": "Discount per Unit",
	"fixed_rate": "Fixed Rate per Stock Unit",
	"free_qty": "Free Qty",
	"every": "For Every",
	"max_value": "Count At Most",
}
_TIER_NUMBERS = ("min_value", "discount_percent", "discount_amount", "fixed_rate", "free_qty", "every")

BUDGET_SPENT = _("budget spent")  # reason in PricingResult.skipped
CAPPED_BY_BUDGET = _("capped by budget")  # Applied.note; also a skipped reason when the cap left nothing


def _tolerance(value: float) -> float:
	return _EPS * max(1.0, abs(value))


def _reaches(value: float, threshold: float) -> bool:
	return value + _tolerance(value) >= threshold


def _whole(value: float) -> float:
	"""Whole units, rounded down, forgiving float error (5.999999999 -> 6)."""
	if value <= 0:
		return 0.0
	return float(math.floor(value + _tolerance(value)))


def _is_amount(value) -> bool:
	return isinstance(value, int | float) and math.isfinite(value) and value >= 0


@lru_cache(maxsize=65536)
def _validated(scheme: Scheme) -> None:
	"""validate_scheme once per distinct scheme (schemes are immutable and hashable)."""
	validate_scheme(scheme)


def validate_scheme(scheme: Scheme) -> None:
	"""Raise :class:`RuleError` when ``scheme`` cannot be applied as the module docstring describes."""
	name = scheme.name
	if scheme.tier_type not in _TIER_TYPES:
		raise RuleError(_("Scheme {0}: unknown tier type {1}"), name, scheme.tier_type)
	if scheme.measure not in _MEASURES:
		raise RuleError(_("Scheme {0}: unknown measure {1}"), name, scheme.measure)
	if scheme.budget_basis not in _BUDGET_BASES:
		raise RuleError(_("Scheme {0}: unknown budget basis {1}"), name, scheme.budget_basis)
	if not scheme.tiers:
		raise RuleError(_("Scheme {0} has no tiers"), name)
	if scheme.max_value is not None and not _is_amount(scheme.max_value):
		raise RuleError(
			_("Scheme {0}: {1} must be a number of at least 0, not {2}"),
			name,
			_LABELS["max_value"],
			scheme.max_value,
		)
	for number, tier in enumerate(scheme.tiers, 1):
		for fieldname in _TIER_NUMBERS:
			value = getattr(tier, fieldname)
			if value is not None and not _is_amount(value):
				raise RuleError(
					_("Scheme {0}, tier {1}: {2} must be a number of at least 0, not {3}"),
					name,
					number,
					_LABELS[fieldname],
					value,
				)
		if tier.discount_percent > 100:
			raise RuleError(
				_("Scheme {0}, tier {1}: a discount of {2}% is more than 100%"),
				name,
				number,
				tier.discount_percent,
			)
	for number in range(1, len(scheme.tiers)):
		lower, upper = scheme.tiers[number - 1].min_value, scheme.tiers[number].min_value
		if upper <= lower:
			raise RuleError(
				_("Scheme {0}: tier {1} must start above tier {2} ({3} is not above {4})"),
				name,
				number + 1,
				number,
				upper,
				lower,
			)
	if scheme.tier_type == "recurring":
		if len(scheme.tiers) != 1:
			raise RuleError(
				_("Scheme {0}: a recurring scheme has exactly one tier, not {1}"), name, len(scheme.tiers)
			)
		if not scheme.tiers[0].every:
			raise RuleError(_("Scheme {0}: a recurring tier needs an 'every' above 0"), name)
	if scheme.tier_type == "stepped":
		for number, tier in enumerate(scheme.tiers, 1):
			if tier.free_qty > 0:
				raise RuleError(_("Scheme {0}, tier {1}: stepped tiers cannot give free goods"), name, number)


def _document_matches(scheme: Scheme, context: Context) -> bool:
	if scheme.customers and context.customer not in scheme.customers:
		return False
	if scheme.customer_groups and not any(g in scheme.customer_groups for g in context.customer_groups):
		return False
	if scheme.territories and not any(t in scheme.territories for t in context.territories):
		return False
	if scheme.provinces and context.province not in scheme.provinces:
		return False
	if scheme.valid_from and context.on < scheme.valid_from:
		return False
	if scheme.valid_upto and context.on > scheme.valid_upto:
		return False
	return not scheme.coupon or scheme.coupon in context.coupons


def _line_matches(scheme: Scheme, line: Line) -> bool:
	"""Each kind of line condition that is set must hold (values of one kind are alternatives)."""
	return (
		(not scheme.items or line.item_code in scheme.items)
		and (not scheme.item_groups or any(g in scheme.item_groups for g in line.item_groups))
		and (not scheme.brands or (line.brand is not None and line.brand in scheme.brands))
	)


def _measure(scheme: Scheme, line: Line, rate: float) -> float:
	if line.qty <= 0:
		return 0.0  # nothing bought (or a return): measures nothing, earns nothing
	if scheme.measure == "amount":
		return rate * line.qty
	stock = line.qty * line.conversion_factor
	if scheme.measure == "pack":
		return stock / line.pack_factor if line.pack_factor and line.pack_factor > 0 else 0.0
	return stock


def _tiering(scheme: Scheme, value: float) -> tuple[int, list[tuple[Tier, float]], float] | None:
	"""(tier index, [(tier, measured value it covers)], free quantity before rounding) or None."""
	tiers = scheme.tiers
	if scheme.tier_type == "recurring":
		tier = tiers[0]
		if not _reaches(value, tier.min_value):
			return None
		times = _whole(value / tier.every)
		if times <= 0:
			return None
		return 0, [(tier, min(value, times * tier.every))], times * tier.free_qty
	reached = [i for i, tier in enumerate(tiers) if _reaches(value, tier.min_value)]
	if not reached:
		return None
	index = reached[-1]
	if scheme.tier_type == "slab":
		return index, [(tiers[index], value)], tiers[index].free_qty
	parts = []
	for i in reached:
		upper = _band_start(scheme, tiers[i + 1].min_value) if i < index else math.inf
		band = min(value, upper) - _band_start(scheme, tiers[i].min_value)
		if band > 0:
			parts.append((tiers[i], band))
	return index, parts, 0.0


def _band_start(scheme: Scheme, threshold: float) -> float:
	"""Where the band of a stepped tier from ``threshold`` starts on the measured scale: counted units
	from the unit that reaches the threshold (from 10: above 9), money at the threshold itself."""
	if scheme.measure == "amount":
		return threshold
	return max(0.0, threshold - 1)


@dataclass
class _Grant:
	"""What one measured group (a line, or all lines of an aggregate) earns from one scheme."""

	lines: list[Line]  # the lines that measured above 0, by key
	tier: int
	measured: float
	money: dict[str, float]  # line key -> money off
	free_item: str | None = None
	free_qty: float = 0.0
	free_uom: str | None = None
	source: str | None = None  # line key the free goods are reported on


def _line_money(
	scheme: Scheme, line: Line, rate: float, share: float, total: float, parts: list[tuple[Tier, float]]
) -> float:
	"""Money ``scheme`` takes off ``line`` (measured ``share`` of the group's ``total``) at ``rate``."""
	base = rate if scheme.compound else line.rate
	percent = sum(t.discount_percent / 100 * base * line.qty * covered / total for t, covered in parts)
	amount = sum(t.discount_amount * covered * share / total for t, covered in parts)
	left = rate - (percent + amount) / line.qty
	fixed = sum(
		covered / total * line.qty * max(0.0, left - t.fixed_rate * line.conversion_factor)
		for t, covered in parts
		if t.fixed_rate is not None
	)
	return max(0.0, min(percent + amount + fixed, rate * line.qty))


def _grants(scheme: Scheme, lines: list[Line], rates: dict[str, float]) -> list[_Grant]:
	measured = {line.key: _measure(scheme, line, rates[line.key]) for line in lines}
	groups = [lines] if scheme.aggregate else [[line] for line in lines]
	grants = []
	for group in groups:
		members = [line for line in group if measured[line.key] > 0]
		total = sum(measured[line.key] for line in members)
		if total <= 0:
			continue
		value = min(total, scheme.max_value) if scheme.max_value is not None else total
		tiering = _tiering(scheme, value)
		if tiering is None:
			continue
		index, parts, free = tiering
		grant = _Grant(
			lines=members,
			tier=index,
			measured=value,
			money={
				line.key: _line_money(scheme, line, rates[line.key], measured[line.key], total, parts)
				for line in members
			},
		)
		tier = scheme.tiers[index]
		grant.free_qty = _whole(free)
		if grant.free_qty > 0:
			if tier.free_item:
				grant.free_item, grant.source = tier.free_item, members[0].key
			else:
				largest = min(members, key=lambda line: (-measured[line.key], line.key))
				grant.free_item, grant.source = largest.item_code, largest.key
			same_item = next((line for line in members if line.item_code == grant.free_item), None)
			grant.free_uom = tier.free_uom or (same_item.stock_uom if same_item else None)
		if grant.free_qty > 0 or any(grant.money.values()):
			grants.append(grant)
	return grants


def _cap(scheme: Scheme) -> float | None:
	caps = [c for c in (scheme.budget_left, scheme.customer_budget_left) if c is not None]
	return min(caps) if caps else None


def _apply_cap(scheme: Scheme, grants: list[_Grant], cap: float | None) -> bool:
	"""Scale ``grants`` down to ``cap`` in place; True when they had to be."""
	if cap is None:
		return False
	if scheme.budget_basis == "amount":
		total = sum(sum(g.money.values()) for g in grants)
		if total <= cap:
			return False
		for grant in grants:
			grant.money = {key: money * cap / total for key, money in grant.money.items()}
		return True
	total = sum(g.free_qty for g in grants)
	if total <= cap:
		return False
	for grant in grants:
		grant.free_qty = _whole(grant.free_qty * cap / total)
	return True


def _free_lines(scheme: Scheme, grants: list[_Grant]) -> list[FreeLine]:
	"""One free line per item and UOM a scheme gives, reported on the first line that earned it."""
	merged: dict[tuple[str, str | None], FreeLine] = {}
	for grant in sorted((g for g in grants if g.free_qty > 0), key=lambda g: g.source):
		key = (grant.free_item, grant.free_uom)
		earlier = merged.get(key)
		qty = grant.free_qty + (earlier.qty if earlier else 0.0)
		source = earlier.source_line if earlier else grant.source
		merged[key] = FreeLine(grant.free_item, qty, grant.free_uom, scheme.name, source)
	return sorted(merged.values(), key=lambda f: (f.source_line, f.item_code, f.uom or ""))


def apply_schemes(lines: list[Line], schemes: list[Scheme], context: Context) -> PricingResult:
	"""Apply ``schemes`` to the paid ``lines`` of one document; see the module docstring."""
	ordered = sorted(schemes, key=lambda s: (s.priority, s.name))
	for scheme in ordered:
		_validated(scheme)
	paid = sorted((line for line in lines if not line.is_free), key=lambda line: line.key)
	for first, second in pairwise(paid):
		if first.key == second.key:
			raise RuleError(_("Line {0} appears more than once"), first.key)

	by_key = {line.key: line for line in paid}
	rates = {line.key: line.rate for line in paid}
	taken = {line.key: 0.0 for line in paid}
	closed: set[str] = set()
	result = PricingResult()
	for scheme in ordered:
		if not _document_matches(scheme, context):
			continue
		open_lines = [line for line in paid if line.key not in closed and _line_matches(scheme, line)]
		grants = _grants(scheme, open_lines, rates)
		if not grants:
			continue
		cap = _cap(scheme)
		if cap is not None and cap <= 0:
			result.skipped.append((scheme.name, BUDGET_SPENT))
			continue
		capped = _apply_cap(scheme, grants, cap)
		note = CAPPED_BY_BUDGET if capped else ""

		rows = []
		for grant in grants:
			for line in grant.lines:
				money = grant.money[line.key]
				if money <= 0 and grant.free_qty <= 0:
					continue
				amount = line.rate * line.qty
				free = grant.free_qty > 0 and line.key == grant.source
				rows.append(
					Applied(
						line=line.key,
						scheme=scheme.name,
						tier=grant.tier,
						measured=grant.measured,
						discount_percent=money / amount * 100 if amount > 0 else 0.0,
						discount_amount=money,
						free_item=grant.free_item if free else None,
						free_qty=grant.free_qty if free else 0.0,
						free_uom=grant.free_uom if free else None,
						note=note,
					)
				)
		if not rows:
			result.skipped.append((scheme.name, CAPPED_BY_BUDGET))
			continue
		for row in sorted(rows, key=lambda r: r.line):
			line = by_key[row.line]
			rates[line.key] = max(0.0, rates[line.key] - row.discount_amount / line.qty)
			taken[line.key] += row.discount_amount
			if scheme.exclusive:
				closed.add(line.key)
			result.applied.append(row)
		result.free_lines.extend(_free_lines(scheme, grants))

	for line in paid:
		if taken[line.key] > 0:
			net_rate = min(max(0.0, round(rates[line.key], 6)), line.rate)
			discount = min(taken[line.key], max(0.0, line.rate * line.qty))
		else:
			net_rate, discount = line.rate, 0.0
		result.lines[line.key] = LineResult(line.key, line.rate, net_rate, discount)
	return result


class SchemeIndex:
	"""Schemes indexed by the items, item groups and brands their line conditions name, so an order is
	priced against the schemes that can match its lines rather than against every active scheme."""

	def __init__(self, schemes: list[Scheme]):
		self.any_line: list[Scheme] = []
		self.by_key: dict[tuple[str, str], list[Scheme]] = {}
		for scheme in schemes:
			# index on one kind of line condition: every kind that is set must hold anyway
			if scheme.items:
				keys = [("item", v) for v in scheme.items]
			elif scheme.item_groups:
				keys = [("group", v) for v in scheme.item_groups]
			elif scheme.brands:
				keys = [("brand", v) for v in scheme.brands]
			else:
				self.any_line.append(scheme)
				continue
			for key in keys:
				self.by_key.setdefault(key, []).append(scheme)

	def candidates(self, lines: list[Line]) -> list[Scheme]:
		found = {id(s): s for s in self.any_line}
		for line in lines:
			keys = [("item", line.item_code), *(("group", g) for g in line.item_groups)]
			if line.brand:
				keys.append(("brand", line.brand))
			for key in keys:
				for scheme in self.by_key.get(key, ()):
					found[id(scheme)] = scheme
		return list(found.values())
