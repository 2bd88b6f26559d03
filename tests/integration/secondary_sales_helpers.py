"""Factories for the secondary-sales tests: distributors, profiles from generated files, imports."""

import datetime

import frappe
from frappe.utils import add_days, getdate

from distribution_sales.demo import ABBR, COMPANY
from distribution_sales.secondary_sales.doctype.sell_out_import_profile.sell_out_import_profile import (
	profile_values,
)

WAREHOUSE = f"Central Warehouse - {ABBR}"


def make_distributor(name: str) -> str:
	existing = frappe.db.get_value("Customer", {"customer_name": name})
	if existing:
		return existing
	doc = frappe.get_doc(
		{
			"doctype": "Customer",
			"customer_name": name,
			"customer_group": "Wholesaler",
			"territory": frappe.db.get_value("Territory", {"is_group": 0}, "name"),
			"ds_company": COMPANY,
			"ds_is_distributor": 1,
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	return doc.name


def our_items(limit: int = 20) -> list[tuple[str, str]]:
	"""(code, name) of demo items, as a distributor would list them when it uses our codes."""
	return [
		(i.name, i.item_name)
		for i in frappe.get_all(
			"Item",
			{"item_group": ("in", ["Dairy", "Beverages", "Snacks"]), "disabled": 0},
			["name", "item_name"],
			order_by="name asc",
			limit=limit,
		)
	]


def our_outlets(limit: int = 30, offset: int = 0, lang: str = "fa") -> list[tuple[str, str, str]]:
	"""(distributor's outlet code, shop name, city) for shops that are our customers.

	fa: the demo's shops (Persian names). ru/zh: shops with Russian or Chinese names from the sample
	catalogue, created as our customers the first time (a GBK or CP1251 file cannot hold Persian names)."""
	if lang != "fa":
		from tests.sellout_samples import make_catalogue

		shops = make_catalogue(lang, outlets=offset + limit, seed=0)[1][offset : offset + limit]
		territory = frappe.db.get_value("Sales Route", {}, "territory")
		for _code, name, _city in shops:
			if not frappe.db.exists("Customer", {"customer_name": name}):
				frappe.get_doc(
					{
						"doctype": "Customer",
						"customer_name": name,
						"customer_group": "Supermarket",
						"territory": territory,
						"ds_company": COMPANY,
					}
				).insert(ignore_permissions=True)
		frappe.db.commit()
		return [
			(f"{lang.upper()}-{offset + i + 1:04d}", name, city) for i, (_c, name, city) in enumerate(shops)
		]
	customers = frappe.get_all(
		"Customer",
		{"ds_is_distributor": 0, "ds_sales_route": ("is", "set")},
		["name", "customer_name", "ds_city"],
		order_by="name asc",
		limit=limit,
		limit_start=offset,
	)
	return [(f"OUT-{offset + i + 1:04d}", c.customer_name, c.ds_city or "") for i, c in enumerate(customers)]


def sample(lang: str, rows: int = 300, file_type: str = "csv", start=None, end=None, seed: int = 0, **kw):
	from tests.sellout_samples import make_sellout_file

	start = getdate(start or "2026-07-01")
	end = getdate(end or "2026-07-31")
	return make_sellout_file(
		lang,
		rows,
		file_type=file_type,
		items=kw.pop("items", None) or our_items(),
		outlets=kw.pop("outlets", None) or our_outlets(lang=lang),
		start=start,
		end=end,
		seed=seed,
		**kw,
	)


def make_profile(distributor: str, spec_kwargs: dict, name: str | None = None, **overrides) -> str:
	name = name or f"{distributor} {spec_kwargs.get('file_type', 'csv')} {frappe.generate_hash(length=5)}"
	doc = frappe.get_doc(
		{
			"doctype": "Sell Out Import Profile",
			"profile_name": name,
			"distributor": distributor,
			"company": COMPANY,
			"match_threshold": 90,
			"overlap_rule": "Replace Period",
			"max_error_percent": 10,
			**profile_values(spec_kwargs),
			**overrides,
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	return doc.name


def attach(content: bytes, file_name: str) -> str:
	if not content:  # Frappe refuses empty uploads; a distributor's empty file can still land on disk
		name = f"{frappe.generate_hash(length=8)}-{file_name}"
		with open(frappe.get_site_path("private", "files", name), "wb") as f:
			f.write(content)
		values = {"file_url": f"/private/files/{name}"}
	else:
		values = {"content": content}
	file = frappe.get_doc({"doctype": "File", "file_name": file_name, "is_private": 1, **values}).insert(
		ignore_permissions=True
	)
	frappe.db.commit()
	return file.file_url


def new_import(profile: str, content: bytes, file_name: str):
	doc = frappe.get_doc(
		{"doctype": "Sell Out Import", "profile": profile, "import_file": attach(content, file_name)}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	return doc


def run_import(profile: str, content: bytes, file_name: str = "sellout.csv"):
	"""Create an import and run it (the job runs in this process under tests); returns it reloaded."""
	doc = new_import(profile, content, file_name)
	doc.start_import()
	doc.reload()
	return doc


def ledger_count(**filters) -> int:
	return frappe.db.count("Sell Out Entry", filters)


def ledger_qty(**filters) -> float:
	entry = frappe.qb.DocType("Sell Out Entry")
	query = frappe.qb.from_(entry).select(frappe.query_builder.functions.Sum(entry.qty))
	for field, value in filters.items():
		query = query.where(entry[field] == value)
	return float(query.run()[0][0] or 0)


def mapping_count(distributor: str) -> int:
	return frappe.db.count("Distributor Item Mapping", {"distributor": distributor}) + frappe.db.count(
		"Distributor Outlet Mapping", {"distributor": distributor}
	)


def invoice(distributor: str, item: str, qty: float, posting_date, uom: str = "Unit"):
	"""A submitted Sales Invoice to the distributor (our sell-in)."""
	doc = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"company": COMPANY,
			"customer": distributor,
			"posting_date": posting_date,
			"set_posting_time": 1,
			"due_date": add_days(posting_date, 30),
			"currency": "IRR",
			"selling_price_list": "Standard Selling",
			"items": [{"item_code": item, "qty": qty, "uom": uom, "warehouse": WAREHOUSE}],
		}
	)
	doc.flags.ignore_permissions = True
	doc.flags.ds_skip_controls = True  # past sell-in for the reports: no credit or stock decision to make
	doc.insert()
	doc.submit()
	return doc


def cleanup(distributor: str) -> None:
	"""Remove what a test class built for its distributor (imports commit, so rollback does not)."""
	frappe.db.delete("Sell Out Entry", {"distributor": distributor})
	for doctype in ("Distributor Item Mapping", "Distributor Outlet Mapping"):
		names = frappe.get_all(doctype, {"distributor": distributor}, pluck="name")
		child = "Distributor Item Suggestion" if "Item" in doctype else "Distributor Outlet Suggestion"
		if names:
			frappe.db.delete(child, {"parent": ("in", names)})
			frappe.db.delete(doctype, {"name": ("in", names)})
	for name in frappe.get_all("Sell Out Import", {"distributor": distributor}, pluck="name"):
		frappe.db.delete("Sell Out Import Error", {"parent": name})
		frappe.db.delete("Sell Out Import", {"name": name})
	for name in frappe.get_all("Sell Out Import Profile", {"distributor": distributor}, pluck="name"):
		frappe.delete_doc("Sell Out Import Profile", name, force=True, ignore_permissions=True)
	frappe.db.delete("Distributor Target", {"distributor": distributor})
	for name in frappe.get_all("Sales Invoice", {"customer": distributor, "docstatus": 1}, pluck="name"):
		frappe.get_doc("Sales Invoice", name).cancel()
	frappe.db.commit()


def truth_totals(truth) -> tuple[int, float]:
	return len(truth), round(sum(t[3] for t in truth), 6)


def month_of(day: datetime.date) -> str:
	return f"{day.year:04d}-{day.month:02d}"
