"""Distributor item and outlet keys -> our Items and Customers (SEC-2, SEC-3).

A key is the distributor's code when the file has one, otherwise the normalised name. Known keys reuse
their mapping (Auto or Confirmed); a new key gets suggestions from the matcher (rules.matching) and is
accepted automatically when the best suggestion reaches the profile's threshold and is clearly ahead,
otherwise it is queued for review with status Review. Rows whose key waits for review are kept in the
ledger with the raw key and an empty item (or outlet); confirming the mapping fills those rows in.
"""

import frappe
from frappe.utils import flt

from distribution_sales.rules.matching import Matcher, decide
from distribution_sales.rules.names import normalize_code, normalize_name

USABLE = ("Auto", "Confirmed", "Transferred")


def item_key(code: str, name: str) -> str:
	"""The distributor's code ("C:" + normalised code) when there is one, else "N:" + the normalised name."""
	code = normalize_code(code)
	return f"C:{code}" if code else f"N:{normalize_name(name)}"


def outlet_key(code: str, name: str) -> str:
	return item_key(code, name)


class Resolver:
	"""Maps the rows of one distributor's import; creates mappings for keys seen for the first time."""

	def __init__(self, distributor: str, threshold: float, dry_run: bool = False):
		self.distributor = distributor
		self.threshold = threshold
		self.dry_run = dry_run
		self.items: dict[str, str | None] = {}  # key -> item (None while in review)
		self.outlets: dict[str, tuple | None] = {}  # key -> (customer, territory, route) (None in review)
		self.scores: dict[str, tuple[str | None, float]] = {}  # preview: key -> (best, score)
		for m in frappe.get_all(
			"Distributor Item Mapping",
			{"distributor": distributor},
			["external_key", "item", "status"],
		):
			self.items[m.external_key] = m.item if m.status in USABLE else None
		for m in frappe.get_all(
			"Distributor Outlet Mapping",
			{"distributor": distributor},
			["external_key", "customer", "territory", "sales_route", "status"],
		):
			usable = m.status in USABLE and (m.customer or m.territory or m.sales_route)
			self.outlets[m.external_key] = (m.customer, m.territory, m.sales_route) if usable else None
		self._item_matcher = self._outlet_matcher = None
		self._factors: dict[tuple[str, str], float] | None = None
		self._factor_cache: dict[tuple, float] = {}
		self._item_keys: dict[tuple[str, str], str] = {}
		self._outlet_keys: dict[tuple[str, str], str] = {}
		self.created_items = self.created_outlets = 0

	# --- keys (computed once per distinct code and name of a file) ---------------------------------

	def item_key_of(self, code: str, name: str) -> str:
		key = self._item_keys.get((code, name))
		if key is None:
			key = self._item_keys[(code, name)] = item_key(code, name)[:140]
		return key

	def outlet_key_of(self, code: str, name: str) -> str:
		key = self._outlet_keys.get((code, name))
		if key is None:
			key = self._outlet_keys[(code, name)] = outlet_key(code, name)[:140]
		return key

	# --- matchers ---------------------------------------------------------------------------------

	def item_matcher(self) -> Matcher:
		if self._item_matcher is None:
			items = frappe.get_all(
				"Item", {"disabled": 0, "is_sales_item": 1}, ["name", "item_name", "item_code"]
			)
			self._item_matcher = Matcher((i.name, i.item_name or i.name, i.item_code) for i in items)
		return self._item_matcher

	def outlet_matcher(self) -> Matcher:
		if self._outlet_matcher is None:
			customers = frappe.get_all(
				"Customer",
				{"disabled": 0, "ds_is_distributor": 0},
				["name", "customer_name", "ds_customer_code"],
			)
			self._outlet_matcher = Matcher(
				(c.name, c.customer_name or c.name, c.ds_customer_code) for c in customers
			)
		return self._outlet_matcher

	# --- stock UOM ----------------------------------------------------------------------------------

	def factor(self, item: str | None, uom: str) -> float:
		"""Conversion of the file's UOM to the item's stock UOM (1 when the UOM is not one of the item's)."""
		if not item or not uom:
			return 1.0
		cached = self._factor_cache.get((item, uom))
		if cached is not None:
			return cached
		if self._factors is None:
			self._factors = {}
			for row in frappe.get_all(
				"UOM Conversion Detail",
				{"parenttype": "Item"},
				["parent", "uom", "conversion_factor"],
			):
				self._factors[(row.parent, normalize_name(row.uom))] = flt(row.conversion_factor) or 1.0
		factor = self._factor_cache[(item, uom)] = self._factors.get((item, normalize_name(uom)), 1.0)
		return factor

	# --- resolving ----------------------------------------------------------------------------------

	def resolve(self, rows) -> None:
		"""Make sure every item and outlet key of ``rows`` has a mapping (creating new ones)."""
		new_items: dict[str, tuple[str, str]] = {}
		new_outlets: dict[str, object] = {}
		for row in rows:
			key = self.item_key_of(row.item_code, row.item_name)
			if key not in self.items and key not in new_items:
				new_items[key] = (row.item_code, row.item_name)
			key = self.outlet_key_of(row.outlet_code, row.outlet_name)
			if key not in self.outlets and key not in new_outlets:
				new_outlets[key] = row
		if new_items:
			self._new_items(new_items)
		if new_outlets:
			self._new_outlets(new_outlets)

	def _new_items(self, new: dict[str, tuple[str, str]]) -> None:
		keys = list(new)
		queries = [(new[k][1] or new[k][0], new[k][0] or None) for k in keys]
		records = []
		for key, suggestions in zip(keys, self.item_matcher().suggest_many(queries), strict=True):
			chosen, status = decide(suggestions, self.threshold)
			item = chosen if status == "Auto" else None
			self.items[key] = item
			self.scores[key] = (suggestions[0].key, suggestions[0].score) if suggestions else (None, 0.0)
			code, name = new[key]
			records.append(
				(
					{
						"external_key": key,
						"external_code": code,
						"external_name": name,
						"item": item,
						"item_name": suggestions[0].name if item else None,
						"status": status,
						"confidence": suggestions[0].score if suggestions else 0,
					},
					[{"item": s.key, "item_name": s.name, "score": s.score} for s in suggestions],
				)
			)
		if not self.dry_run:
			insert_mappings(
				"Distributor Item Mapping", "Distributor Item Suggestion", self.distributor, records
			)
			self.created_items += len(records)

	def _new_outlets(self, new: dict[str, object]) -> None:
		keys = list(new)
		queries = [(new[k].outlet_name or new[k].outlet_code, new[k].outlet_code or None) for k in keys]
		records = []
		for key, suggestions in zip(keys, self.outlet_matcher().suggest_many(queries), strict=True):
			chosen, status = decide(suggestions, self.threshold)
			customer = chosen if status == "Auto" else None
			self.scores[key] = (suggestions[0].key, suggestions[0].score) if suggestions else (None, 0.0)
			where = (customer, *self.customer_place(customer)) if customer else None
			self.outlets[key] = where
			row = new[key]
			records.append(
				(
					{
						"external_key": key,
						"outlet_code": row.outlet_code,
						"outlet_name": row.outlet_name,
						"outlet_city": row.outlet_city,
						"outlet_address": row.outlet_address,
						"customer": customer,
						"customer_name": suggestions[0].name if customer else None,
						"territory": where[1] if where else None,
						"sales_route": where[2] if where else None,
						"status": status,
						"confidence": suggestions[0].score if suggestions else 0,
					},
					[{"customer": s.key, "customer_name": s.name, "score": s.score} for s in suggestions],
				)
			)
		if not self.dry_run:
			insert_mappings(
				"Distributor Outlet Mapping", "Distributor Outlet Suggestion", self.distributor, records
			)
			self.created_outlets += len(records)

	def customer_place(self, customer: str) -> tuple[str | None, str | None]:
		"""(territory, route) of one of our customers."""
		if not hasattr(self, "_places"):
			self._places = {
				c.name: (c.territory, c.ds_sales_route)
				for c in frappe.get_all(
					"Customer", {"ds_is_distributor": 0}, ["name", "territory", "ds_sales_route"]
				)
			}
		return self._places.get(customer) or tuple(
			frappe.db.get_value("Customer", customer, ["territory", "ds_sales_route"]) or (None, None)
		)

	def item_of(self, key: str) -> str | None:
		return self.items.get(key)

	def outlet_of(self, key: str) -> tuple | None:
		return self.outlets.get(key)


def insert_mappings(
	doctype: str, child: str, distributor: str, records: list[tuple[dict, list[dict]]]
) -> None:
	"""New mappings and their suggestions written in bulk, inside the import's transaction.

	A first import can bring thousands of new names; one document insert each would cost more than the
	rest of the import. Every value here comes from our own master lists (the matcher's candidates), so
	the link checks of a document insert would find nothing to refuse."""
	if not records:
		return
	now, user = frappe.utils.now(), frappe.session.user
	std = {"creation": now, "modified": now, "owner": user, "modified_by": user, "docstatus": 0}
	parents, children = [], []
	for values, suggestions in records:
		name = frappe.generate_hash(length=12)
		parents.append({**std, "name": name, "idx": 0, "distributor": distributor, **values})
		for idx, suggestion in enumerate(suggestions, start=1):
			children.append(
				{
					**std,
					"name": frappe.generate_hash(length=12),
					"parent": name,
					"parenttype": doctype,
					"parentfield": "suggestions",
					"idx": idx,
					**suggestion,
				}
			)
	for target, rows in ((doctype, parents), (child, children)):
		if rows:
			fields = list(rows[0])
			frappe.db.bulk_insert(target, fields, [[r.get(f) for f in fields] for r in rows])


def backfill_items(distributor: str, key: str, item: str | None) -> None:
	"""Ledger rows of a distributor's item key take the mapped item (or lose it); stock qty follows."""
	resolver = Resolver.__new__(Resolver)
	resolver._factors, resolver._factor_cache = None, {}
	entry = frappe.qb.DocType("Sell Out Entry")
	where = (entry.distributor == distributor) & (entry.item_key == key)
	uoms = frappe.qb.from_(entry).select(entry.uom).distinct().where(where).run(pluck=True)
	for uom in uoms:
		factor = resolver.factor(item, uom or "")
		(
			frappe.qb.update(entry)
			.set(entry.item, item)
			.set(entry.stock_qty, entry.qty * factor)
			.where(where & (entry.uom == uom if uom else entry.uom.isnull()))
			.run()
		)


def backfill_outlets(distributor: str, key: str, customer, territory, route, from_date=None) -> None:
	"""Ledger rows of a distributor's outlet key take the mapped customer, territory and route."""
	entry = frappe.qb.DocType("Sell Out Entry")
	where = (entry.distributor == distributor) & (entry.outlet_key == key)
	if from_date:
		where &= entry.posting_date >= from_date
	(
		frappe.qb.update(entry)
		.set(entry.outlet, customer)
		.set(entry.territory, territory)
		.set(entry.sales_route, route)
		.where(where)
		.run()
	)
