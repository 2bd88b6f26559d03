"""Saleable stock, reservations and available-to-promise (CRD-6, CRD-7).

Saleable stock is what can still be promised: stock on hand in batches that have not expired, minus
what open orders, live proforma reservations and invoices not yet delivered (invoices that do not
update stock, made without an order or a remittance) already hold. For make-to-stock items,
available-to-promise adds the production (open Work Orders, Production Plans) that will be finished
by the delivery date.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from distribution_sales.rules import RuleError, _


@dataclass(frozen=True)
class StockPosition:
	actual: float  # on hand, in unexpired batches for batch items
	reserved_orders: float = 0.0  # open Stock Reservation Entries of submitted orders
	reserved_proformas: float = 0.0  # live proforma reservations
	reserved_invoices: float = 0.0  # invoices that did not update stock and are not delivered yet

	@property
	def reserved(self) -> float:
		return self.reserved_orders + self.reserved_proformas + self.reserved_invoices

	@property
	def saleable(self) -> float:
		return self.actual - self.reserved


@dataclass(frozen=True)
class Shortage:
	item_code: str
	warehouse: str
	wanted: float
	saleable: float
	incoming: float = 0.0  # production due by the delivery date that was counted (CRD-7)


def requested(lines) -> dict:
	"""Stock quantities a document asks for, per (item, warehouse); ``lines`` hold
	(item_code, warehouse, stock_qty). Zero or negative quantities are an error, not a release."""
	wanted: dict = defaultdict(float)
	for item_code, warehouse, stock_qty in lines:
		if stock_qty is None or stock_qty <= 0:
			raise RuleError(_("Quantity of {0} must be greater than zero"), item_code)
		if not warehouse:
			raise RuleError(_("Choose the warehouse that {0} is reserved in"), item_code)
		wanted[(item_code, warehouse)] += stock_qty
	return dict(wanted)


def shortages(wanted: dict, positions: dict, incoming: dict | None = None) -> list[Shortage]:
	"""What cannot be promised: ``positions[(item, warehouse)]`` is a StockPosition (missing: none on
	hand); ``incoming[(item, warehouse)]`` the production due in time, for make-to-stock items."""
	incoming = incoming or {}
	out = []
	for key in sorted(wanted):
		position = positions.get(key) or StockPosition(0.0)
		extra = incoming.get(key, 0.0)
		if wanted[key] > position.saleable + extra + 1e-9:
			out.append(Shortage(key[0], key[1], wanted[key], position.saleable, extra))
	return out


@dataclass(frozen=True)
class LineStock:
	"""What one line of a document is judged by: the whole document's demand for its item in its
	warehouse (its other lines too) against the saleable stock and the production counted."""

	item_code: str
	warehouse: str
	qty: float  # this line, in stock units
	wanted: float  # the document's lines of this item and warehouse together
	position: StockPosition
	incoming: float = 0.0
	short: bool = False

	@property
	def saleable(self) -> float:
		return self.position.saleable

	@property
	def shortage(self) -> float:
		"""How much of ``wanted`` cannot be promised (0 when the line is not short)."""
		return max(self.wanted - self.saleable - self.incoming, 0.0) if self.short else 0.0


def line_stock(lines, positions: dict, incoming: dict | None = None) -> list[LineStock | None]:
	"""Per line of a document, in the given order, its LineStock: ``lines`` hold
	(item_code, warehouse, stock_qty) as for ``requested``; a line is short when ``shortages`` (the rule
	that refuses the submit) lists its item and warehouse. A line ``requested`` would refuse (no
	quantity, no warehouse) gets None: saving the document says what is wrong with it."""
	lines = list(lines)
	incoming = incoming or {}
	valid = [line for line in lines if line[1] and line[2] is not None and line[2] > 0]
	wanted = requested(valid)
	short = {(s.item_code, s.warehouse) for s in shortages(wanted, positions, incoming)}
	out: list[LineStock | None] = []
	for item_code, warehouse, stock_qty in lines:
		key = (item_code, warehouse)
		if key not in wanted or stock_qty is None or stock_qty <= 0:
			out.append(None)
			continue
		out.append(
			LineStock(
				item_code,
				warehouse,
				stock_qty,
				wanted[key],
				positions.get(key) or StockPosition(0.0),
				incoming.get(key, 0.0),
				key in short,
			)
		)
	return out


def due_in_time(supply, delivery_date: date) -> float:
	"""Production ``supply`` as (due date, qty still to come) that is finished by ``delivery_date``."""
	return sum(qty for due, qty in supply if qty > 0 and due is not None and due <= delivery_date)


def reservation_expiry(valid_till: date | None, today: date, default_days: int) -> date:
	"""When a proforma's reservation lapses: its validity date, else ``default_days`` from today."""
	if valid_till:
		if valid_till < today:
			raise RuleError(_("The proforma expired on {0}"), valid_till.isoformat())
		return valid_till
	return today + timedelta(days=max(default_days, 0))


# ---------------------------------------------------------------------------------------------------
# Batches first-expired-first-out (CRD-6, DOC-1)
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchStock:
	batch_no: str
	qty: float  # available in the warehouse
	expiry: date | None = None  # None: the batch never expires


@dataclass(frozen=True)
class BatchAllocation:
	taken: tuple  # (batch_no, qty) pairs, earliest expiry first
	shortfall: float = 0.0  # what the unexpired batches could not cover

	@property
	def qty(self) -> float:
		return sum(qty for _batch, qty in self.taken)


def is_expired(expiry: date | None, on: date) -> bool:
	"""A batch can be sold through its expiry date and not from the day after (ERPNext's rule too)."""
	return expiry is not None and expiry < on


def allocate_fefo(batches, qty: float, on: date) -> BatchAllocation:
	"""Take ``qty`` from ``batches`` (one BatchStock per batch) first-expired-first-out on ``on``:
	expired and empty batches are skipped, batches without an expiry date come last, batches expiring
	on the same day keep their given order. What the batches cannot cover is the ``shortfall`` (the
	allocation then takes everything there is). Nothing wanted takes nothing."""
	usable = sorted(
		(b for b in batches if b.qty > 1e-9 and not is_expired(b.expiry, on)),
		key=lambda b: (b.expiry is None, b.expiry or on),
	)
	taken, left = [], max(qty, 0.0)
	for batch in usable:
		if left <= 1e-9:
			break
		part = min(batch.qty, left)
		taken.append((batch.batch_no, part))
		left -= part
	return BatchAllocation(tuple(taken), left if left > 1e-9 else 0.0)
