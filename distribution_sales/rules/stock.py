"""Saleable stock, reservations and available-to-promise (CRD-6, CRD-7).

Saleable stock is what can still be promised: stock on hand in batches that have not expired, minus
what open orders and live proforma reservations already hold. For make-to-stock items,
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

	@property
	def saleable(self) -> float:
		return self.actual - self.reserved_orders - self.reserved_proformas


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
