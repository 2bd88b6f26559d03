"""The demo's items, warehouses and stock, fleet, prices and trade schemes."""

import random

import frappe
from frappe.utils import add_days, today
from frappe.utils.nestedset import get_root_of

from distribution_sales.demo.data import ABBR, COMPANY, ITEM_GROUPS, ORGANISATION, SCHEMES, VEHICLES
from distribution_sales.demo.organisation import _ensure


def item_code(group: str, index: int) -> str:
	return f"{group[:3].upper()}-{index:03d}"


def make_items():
	root = get_root_of("Item Group")
	_ensure(
		"Item Group",
		"Products for Distribution",
		{"item_group_name": "Products for Distribution", "parent_item_group": root, "is_group": 1},
	)
	price_list = frappe.db.get_value("Price List", {"selling": 1, "enabled": 1}) or "Standard Selling"
	for g_index, (group, (brand, items)) in enumerate(ITEM_GROUPS.items()):
		_ensure(
			"Item Group",
			group,
			{"item_group_name": group, "parent_item_group": "Products for Distribution", "is_group": 0},
		)
		_ensure("Brand", brand, {"brand": brand})
		for i, item_name in enumerate(items, start=1):
			code = item_code(group, i)
			per_carton = (6, 12, 24)[(g_index + i) % 3]
			rate = 250_000 + 35_000 * ((g_index * 7 + i * 3) % 20)
			_ensure(
				"Item",
				code,
				{
					"item_code": code,
					"item_name": item_name,
					"item_group": group,
					"brand": brand,
					"stock_uom": "Unit",
					"sales_uom": "Carton",
					"is_stock_item": 1,
					"include_item_in_manufacturing": 0,
					"has_batch_no": 1,
					"create_new_batch": 1,
					"batch_number_series": f"{code}-.YY.MM.-.###",
					"has_expiry_date": 1,
					"shelf_life_in_days": 180 if group != "Detergents" else 720,
					"uoms": [
						{"uom": "Unit", "conversion_factor": 1},
						{"uom": "Carton", "conversion_factor": per_carton},
					],
					"item_defaults": [
						{"company": COMPANY, "default_warehouse": f"Central Warehouse - {ABBR}"}
					],
				},
			)
			_ensure(
				"Item Price",
				{"item_code": code, "price_list": price_list, "uom": "Unit"},
				{"item_code": code, "price_list": price_list, "uom": "Unit", "price_list_rate": rate},
			)


def make_warehouses() -> list[str]:
	parent = frappe.db.get_value("Warehouse", {"company": COMPANY, "is_group": 1})
	return [
		_ensure(
			"Warehouse",
			f"{name} - {ABBR}",
			{"warehouse_name": name, "company": COMPANY, "parent_warehouse": parent},
		)
		for name in ("Central Warehouse", "Shiraz Warehouse")
	]


def make_stock(warehouses: list[str], rng: random.Random):
	"""Two warehouses stocked with two batches of every item, through submitted Material Receipts."""
	items = frappe.get_all(
		"Item",
		filters={"item_group": ("in", list(ITEM_GROUPS))},
		fields=["name", "shelf_life_in_days"],
		order_by="name",
	)
	for w_index, warehouse in enumerate(warehouses):
		remark = f"Demo opening stock {warehouse}"
		if frappe.db.exists("Stock Entry", {"remarks": remark, "docstatus": 1}):
			continue
		rows = []
		for item in items:
			for lot, made in enumerate((add_days(today(), -40), add_days(today(), -10))):
				batch_id = f"{item.name}-{'AB'[lot]}{w_index + 1}"
				_ensure(
					"Batch",
					batch_id,
					{
						"batch_id": batch_id,
						"item": item.name,
						"manufacturing_date": made,
						"expiry_date": add_days(made, item.shelf_life_in_days or 180),
					},
				)
				rows.append(
					{
						"item_code": item.name,
						"t_warehouse": warehouse,
						"qty": 24 * rng.randint(5, 40),
						"uom": "Unit",
						"conversion_factor": 1,
						"batch_no": batch_id,
						"use_serial_batch_fields": 1,
						"basic_rate": 150_000 + 1_000 * rng.randint(0, 200),
					}
				)
		entry = frappe.get_doc(
			{
				"doctype": "Stock Entry",
				"stock_entry_type": "Material Receipt",
				"company": COMPANY,
				"remarks": remark,
				"items": rows,
			}
		)
		entry.insert(ignore_permissions=True)
		entry.submit()


# --- fleet --------------------------------------------------------------------------------------


def make_fleet(people: dict):
	from distribution_sales.rules.text import normalize_text

	litre = frappe.db.exists("UOM", "Litre") or _ensure("UOM", "Litre", {"uom_name": "Litre"})
	vehicles = []
	for plate, make, model, kg, m3, driver_name in VEHICLES:
		driver = _ensure("Driver", {"full_name": driver_name}, {"full_name": driver_name, "status": "Active"})
		vehicles.append(
			(
				_ensure(
					"Vehicle",
					normalize_text(plate).upper(),
					{
						"license_plate": plate,
						"make": make,
						"model": model,
						"last_odometer": 1000,
						"fuel_type": "Diesel",
						"uom": litre,
						"ds_capacity_kg": kg,
						"ds_capacity_m3": m3,
						"ds_driver": driver,
					},
				),
				driver,
			)
		)
	for (region, _data), (vehicle, driver) in zip(ORGANISATION.items(), vehicles, strict=False):
		_ensure(
			"Distribution Team",
			f"Distribution {region}",
			{
				"team_name": f"Distribution {region}",
				"company": COMPANY,
				"vehicle": vehicle,
				"driver": driver,
				"members": [
					{"sales_person": people["staff"][(region, role)], "role": role}
					for role in ("Distribution Agent", "Driver", "Distribution Worker")
				],
			},
		)


def make_pricing():
	price_list = frappe.db.get_value("Price List", {"selling": 1, "enabled": 1})
	for group, rate_off in (("Wholesale", 0.04), ("Chain Store", 0.06)):
		for code in ("DAI-001", "DAI-002", "BEV-005"):
			base = frappe.db.get_value(
				"Item Price", {"item_code": code, "price_list": price_list}, "price_list_rate"
			)
			_ensure(
				"Distribution Price",
				{"item_code": code, "customer_group": group, "price_list": price_list},
				{
					"price_list": price_list,
					"applies_to": "Item",
					"item_code": code,
					"party_type": "Customer Group",
					"customer_group": group,
					"uom": "Unit",
					"rate": round(base * (1 - rate_off), -3),
				},
			)
	# a near-expiry production batch sold cheaper to everyone
	batch = frappe.db.get_value("Batch", {"item": "DAI-002"}, "name", order_by="manufacturing_date asc")
	_ensure(
		"Distribution Price",
		{"batch_no": batch, "price_list": price_list},
		{
			"price_list": price_list,
			"applies_to": "Item",
			"item_code": "DAI-002",
			"batch_no": batch,
			"party_type": "Everyone",
			"uom": "Unit",
			"rate": 150_000,
		},
	)
	for scheme in SCHEMES:
		_ensure("Trade Scheme", scheme["scheme_name"], {"company": COMPANY, **scheme})
