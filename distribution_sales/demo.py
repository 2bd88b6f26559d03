"""Demo data (PLT-4): a believable Iranian food distributor on a fresh ERPNext site.

    bench --site SITE execute distribution_sales.demo.make

Builds company "Alborz Pakhsh" with 2 regions, 5 areas and 12 routes in real provinces and cities,
a supervisor per region and a visitor per route (each with a login), 300 shops placed on the routes,
60 items in groups and brands with batches and carton/unit UOMs, stock in 2 warehouses, vehicles,
drivers and distribution teams, return reasons and the base dictionaries.

Every record is looked up before it is made, so running it again changes nothing.
"""

import random
from datetime import date, timedelta

import frappe
from frappe.utils import add_days, getdate, today
from frappe.utils.nestedset import get_root_of

COMPANY = "Alborz Pakhsh"
ABBR = "AP"
SEED = 1404

# region -> (code, main province, areas); area -> (code, province, city, routes)
ORGANISATION = {
	"North": (
		"N",
		"Tehran",
		{
			"Tehran East": ("TE", "Tehran", "Tehran", ["Tehranpars", "Narmak", "Pirouzi"]),
			"Tehran West": ("TW", "Tehran", "Tehran", ["Sadeghieh", "Ekbatan", "Shahrak Gharb"]),
			"Karaj": ("KJ", "Alborz", "Karaj", ["Gohardasht", "Mehrshahr"]),
		},
	),
	"South": (
		"S",
		"Fars",
		{
			"Shiraz": ("SZ", "Fars", "Shiraz", ["Maaliabad", "Zerhi"]),
			"Isfahan": ("IF", "Isfahan", "Isfahan", ["Chaharbagh", "Jolfa"]),
		},
	),
}
CITY_CENTRES = {
	"Tehran": (35.6892, 51.3890),
	"Karaj": (35.8400, 50.9391),
	"Shiraz": (29.5918, 52.5837),
	"Isfahan": (32.6546, 51.6680),
}
CUSTOMER_GROUPS = {
	"Retail": ("RT", {"Supermarket": "SM", "Grocery": "GR", "Kiosk": "KI"}),
	"Wholesale": ("WH", {"Wholesaler": "WS", "Chain Store": "CH"}),
}
SHOP_KINDS = ["سوپرمارکت", "فروشگاه", "هایپر", "بقالی", "لبنیات", "خواربارفروشی"]
SHOP_NAMES = [
	"آفتاب",
	"ستاره",
	"بهار",
	"نگین",
	"پارس",
	"البرز",
	"سپید",
	"امید",
	"رضا",
	"مهتاب",
	"کوثر",
	"سحر",
	"دنا",
	"زاگرس",
	"ارغوان",
	"نیکان",
	"آریا",
	"سینا",
	"یاس",
	"مهر",
	"پردیس",
	"شقایق",
	"آسمان",
	"کیان",
	"رویا",
]
ITEM_GROUPS = {
	"Dairy": (
		"Alborz Dairy",
		[
			"Milk 1L",
			"Low-fat Milk 1L",
			"Yogurt 900g",
			"Doogh 1.5L",
			"Cheese 400g",
			"Butter 100g",
			"Cream 200g",
			"Kashk 250g",
			"Chocolate Milk 200ml",
			"Labneh 300g",
		],
	),
	"Beverages": (
		"Zagros Drinks",
		[
			"Orange Juice 1L",
			"Apple Juice 1L",
			"Cola 1.5L",
			"Lemon Soda 330ml",
			"Mineral Water 1.5L",
			"Mineral Water 500ml",
			"Malt Drink 330ml",
			"Iced Tea 500ml",
			"Mango Nectar 1L",
			"Pomegranate Juice 1L",
		],
	),
	"Snacks": (
		"Kaveh Foods",
		[
			"Potato Chips 60g",
			"Cheese Puffs 80g",
			"Salted Pistachio 100g",
			"Roasted Almonds 100g",
			"Crackers 150g",
			"Popcorn 90g",
			"Corn Chips 70g",
			"Sunflower Seeds 100g",
			"Mixed Nuts 200g",
			"Rice Cakes 100g",
		],
	),
	"Confectionery": (
		"Shirin Asal",
		[
			"Chocolate Bar 45g",
			"Wafer 30g",
			"Biscuit 200g",
			"Gaz 250g",
			"Sohan 200g",
			"Toffee 500g",
			"Cake Slice 70g",
			"Dark Chocolate 100g",
			"Cookies 150g",
			"Jelly 100g",
		],
	),
	"Canned Food": (
		"Kaveh Foods",
		[
			"Tuna 180g",
			"Tomato Paste 800g",
			"Baked Beans 400g",
			"Green Peas 400g",
			"Corn 380g",
			"Canned Mushrooms 400g",
			"Olives 650g",
			"Pickles 700g",
			"Jam 300g",
			"Honey 500g",
		],
	),
	"Detergents": (
		"Pak Home",
		[
			"Dish Soap 750ml",
			"Laundry Powder 500g",
			"Laundry Liquid 2.5L",
			"Bleach 1L",
			"Glass Cleaner 500ml",
			"Hand Soap 500ml",
			"Shampoo 400ml",
			"Toilet Cleaner 750ml",
			"Floor Cleaner 1L",
			"Tissue 100pcs",
		],
	),
}
RETURN_REASONS = [
	("Expired at shop", "Customer"),
	("Customer over-ordered", "Customer"),
	("Shop closed at delivery", "Customer"),
	("Wrong item delivered", "Staff"),
	("Damaged in transit", "Staff"),
	("Order entry error", "Staff"),
]
DICTIONARIES = {
	"Customer Nature": ["Retail", "Wholesale", "Chain", "HoReCa"],
	"Outlet Type": ["Supermarket", "Grocery", "Kiosk", "Pharmacy", "Bakery", "Restaurant"],
	"Follow Up Method": ["Phone Call", "Visit", "SMS", "Messenger"],
}
VEHICLES = [
	# plate (as typed, with Persian digits), make, model, capacity kg, capacity m3, driver
	("۱۲ ب ۳۴۵ ایران ۶۷", "Iran Khodro", "Bari 2400", 2400, 12.0, "Hossein Karimi"),
	("۲۳ ج ۴۵۶ ایران ۱۱", "Zamyad", "Z24", 1500, 8.0, "Mehdi Rahimi"),
	("۴۵ د ۶۷۸ ایران ۶۳", "Iran Khodro", "Bari 2400", 2400, 12.0, "Ali Hosseini"),
]


def make():
	"""Build (or complete) the demo company. Safe to run again: it changes nothing the second time."""
	frappe.flags.mute_emails = True
	rng = random.Random(SEED)
	ensure_company()
	make_dictionaries()
	make_settings()
	groups = make_customer_groups()
	people = make_sales_people()
	routes = make_organisation(people)
	make_customers(routes, groups, rng)
	make_assignments(routes, people)
	warehouses = make_warehouses()
	make_items()
	make_stock(warehouses, rng)
	make_fleet(people)
	make_pricing()
	frappe.db.commit()
	return summary()


def before_tests():
	"""``before_tests`` hook: a site with ERPNext set up and the demo company present."""
	make()


def summary() -> dict:
	return {
		dt: frappe.db.count(dt, filters)
		for dt, filters in (
			("Sales Region", {"company": COMPANY}),
			("Sales Area", {"company": COMPANY}),
			("Sales Route", {"company": COMPANY}),
			("Route Assignment", {"company": COMPANY}),
			("Sales Route Customer", {"parent": ("in", demo_routes())}),
			("Item", {"item_group": ("in", list(ITEM_GROUPS))}),
			("Batch", {}),
			("Vehicle", {}),
			("Distribution Team", {"company": COMPANY}),
			("Trade Scheme", {"company": COMPANY}),
			("Distribution Price", {}),
		)
	}


def demo_routes() -> list[str]:
	return [
		route for _c, _p, areas in ORGANISATION.values() for *_x, routes in areas.values() for route in routes
	]


def _ensure(doctype: str, name_or_filters, values: dict):
	"""Insert ``values`` unless a ``doctype`` record matching ``name_or_filters`` exists; return its name."""
	existing = frappe.db.exists(doctype, name_or_filters)
	if existing:
		return existing
	doc = frappe.get_doc({"doctype": doctype, **values})
	doc.insert(ignore_permissions=True)
	return doc.name


# --- company ------------------------------------------------------------------------------------


def iranian_fiscal_year(day: date) -> tuple[date, date]:
	"""1 Farvardin to the last day of Esfand of the Jalali year containing ``day``."""
	import jdatetime

	jyear = jdatetime.date.fromgregorian(date=day).year
	start = jdatetime.date(jyear, 1, 1).togregorian()
	end = jdatetime.date(jyear + 1, 1, 1).togregorian() - timedelta(days=1)
	return start, end


def ensure_company():
	start, end = iranian_fiscal_year(getdate(today()))
	if not frappe.is_setup_complete():
		from frappe.desk.page.setup_wizard.setup_wizard import setup_complete

		setup_complete(
			{
				"language": "english",
				"country": "Iran",
				"timezone": "Asia/Tehran",
				"currency": "IRR",
				"full_name": "Demo Administrator",
				"email": "demo.admin@example.com",
				"password": frappe.generate_hash(length=16),
				"company_name": COMPANY,
				"company_abbr": ABBR,
				"company_tagline": "Food distribution",
				"chart_of_accounts": "Standard",
				"fy_start_date": str(start),
				"fy_end_date": str(end),
				"industry": "Distribution",
			}
		)
	if not frappe.db.exists("Company", COMPANY):
		frappe.get_doc(
			{
				"doctype": "Company",
				"company_name": COMPANY,
				"abbr": ABBR,
				"country": "Iran",
				"default_currency": "IRR",
				"chart_of_accounts": "Standard",
				"create_chart_of_accounts_based_on": "Standard Template",
			}
		).insert(ignore_permissions=True)
	fiscal_year = f"{start.year}-{end.year}"
	if not frappe.db.get_value(
		"Fiscal Year", {"year_start_date": ("<=", today()), "year_end_date": (">=", today())}
	):
		_ensure(
			"Fiscal Year", fiscal_year, {"year": fiscal_year, "year_start_date": start, "year_end_date": end}
		)
	frappe.db.set_single_value("Stock Settings", "use_serial_batch_fields", 1)


# --- base data ----------------------------------------------------------------------------------


def make_dictionaries():
	fieldnames = {
		"Customer Nature": "nature_name",
		"Outlet Type": "outlet_type_name",
		"Follow Up Method": "method_name",
	}
	for doctype, names in DICTIONARIES.items():
		for name in names:
			_ensure(doctype, name, {fieldnames[doctype]: name})
	for reason, cause in RETURN_REASONS:
		_ensure("Return Reason", reason, {"reason_name": reason, "cause": cause})
	for uom, whole in (("Carton", 1), ("Unit", 1)):
		_ensure("UOM", uom, {"uom_name": uom, "must_be_whole_number": whole})


def make_settings():
	receivable = frappe.db.get_value(
		"Account", {"company": COMPANY, "account_name": "Accounts Receivable", "is_group": 1}
	)
	_ensure(
		"Distribution Settings",
		COMPANY,
		{
			"company": COMPANY,
			"customer_code_pattern": "{REGION}{GROUP}{#####}",
			"auto_customer_account": 1 if receivable else 0,
			"customer_account_parent": receivable,
		},
	)


def make_customer_groups() -> list[tuple[str, str]]:
	"""Main and sub customer groups; returns the sub groups with their main group."""
	root = get_root_of("Customer Group")
	subs = []
	for main, (code, children) in CUSTOMER_GROUPS.items():
		_ensure(
			"Customer Group",
			main,
			{
				"customer_group_name": main,
				"parent_customer_group": root,
				"is_group": 1,
				"ds_group_code": code,
			},
		)
		for sub, sub_code in children.items():
			_ensure(
				"Customer Group",
				sub,
				{
					"customer_group_name": sub,
					"parent_customer_group": main,
					"is_group": 0,
					"ds_group_code": sub_code,
				},
			)
			subs.append((sub, main))
	return subs


def _user(email: str, first_name: str, roles: list[str]) -> str:
	if frappe.db.exists("User", email):
		return email
	user = frappe.get_doc(
		{"doctype": "User", "email": email, "first_name": first_name, "send_welcome_email": 0, "enabled": 1}
	)
	user.flags.no_welcome_mail = True
	user.insert(ignore_permissions=True)
	user.add_roles(*roles)
	return email


def _sales_person(name: str, parent: str, code: str, role: str, user: str | None = None) -> str:
	return _ensure(
		"Sales Person",
		name,
		{
			"sales_person_name": name,
			"parent_sales_person": parent,
			"is_group": 0,
			"ds_personnel_code": code,
			"ds_sales_role": role,
			"ds_user": user,
		},
	)


def make_sales_people() -> dict:
	"""A supervisor (a group node) per region with visitors and distribution staff below them."""
	root = get_root_of("Sales Person")
	people: dict = {"supervisors": {}, "visitors": [], "staff": {}}
	serial = 100
	first_names = [
		"Reza",
		"Ali",
		"Sara",
		"Maryam",
		"Hamid",
		"Nima",
		"Parisa",
		"Omid",
		"Leila",
		"Kaveh",
		"Arash",
		"Neda",
	]
	visitor_index = 0
	for region, (_code, _province, areas) in ORGANISATION.items():
		serial += 1
		supervisor = f"Supervisor {region}"
		user = _user(
			f"supervisor.{region.lower()}@alborz-pakhsh.example",
			supervisor,
			["Sales User", "Sales Supervisor"],
		)
		_ensure(
			"Sales Person",
			supervisor,
			{
				"sales_person_name": supervisor,
				"parent_sales_person": root,
				"is_group": 1,
				"ds_personnel_code": f"P{serial}",
				"ds_sales_role": "Sales Supervisor",
				"ds_user": user,
			},
		)
		people["supervisors"][region] = supervisor
		for _area, (_c, _p, _city, routes) in areas.items():
			for _route in routes:
				name = f"Visitor {first_names[visitor_index]}"
				visitor_index += 1
				serial += 1
				email = f"{name.split()[1].lower()}.visitor@alborz-pakhsh.example"
				_sales_person(
					name, supervisor, f"P{serial}", "Salesman", _user(email, name, ["Sales User", "Salesman"])
				)
				people["visitors"].append(name)
		for role in ("Distribution Agent", "Driver", "Distribution Worker"):
			serial += 1
			name = f"{role} {region}"
			_sales_person(name, supervisor, f"P{serial}", role)
			people["staff"][(region, role)] = name
	return people


def _province(name: str) -> str:
	province = frappe.db.get_value("Province", {"province_name": name, "country": "Iran"})
	if not province:
		frappe.throw(f"Province {name} of Iran is missing: run bench migrate to load the fixtures")
	return province


def _city(name: str, province: str) -> str:
	return _ensure(
		"City", {"city_name": name, "province": province}, {"city_name": name, "province": province}
	)


def make_organisation(people: dict) -> list[dict]:
	routes = []
	visitors = iter(people["visitors"])
	for region, (region_code, main_province, areas) in ORGANISATION.items():
		_ensure(
			"Sales Region",
			region,
			{
				"region_name": region,
				"region_code": region_code,
				"company": COMPANY,
				"province": _province(main_province),
			},
		)
		for area, (area_code, province_name, city_name, route_names) in areas.items():
			province = _province(province_name)
			city = _city(city_name, province)
			_ensure(
				"Sales Area",
				area,
				{
					"area_name": area,
					"area_code": area_code,
					"sales_region": region,
					"province": province,
					"city": city,
				},
			)
			for i, route in enumerate(route_names, start=1):
				_ensure(
					"Sales Route",
					route,
					{
						"route_name": route,
						"route_code": f"{region_code}{area_code}{i:02d}",
						"sales_region": region,
						"sales_area": area,
						"province": province,
						"city": city,
					},
				)
				routes.append(
					{
						"route": route,
						"region": region,
						"province": province,
						"city": city,
						"city_name": city_name,
						"visitor": next(visitors),
					}
				)
	return routes


def make_customers(routes: list[dict], groups: list[tuple[str, str]], rng: random.Random):
	"""25 shops per route, coded by the company pattern, placed on the route in visit order."""
	natures = {"Retail": "Retail", "Wholesale": "Wholesale"}
	outlet_for = {
		"Supermarket": "Supermarket",
		"Grocery": "Grocery",
		"Kiosk": "Kiosk",
		"Wholesaler": "Grocery",
		"Chain Store": "Supermarket",
	}
	sources = frappe.get_all("Lead Source", pluck="name") or [None]
	visit_days = [("saturday", "tuesday"), ("sunday", "wednesday"), ("monday", "thursday")]
	names = [f"{kind} {shop}" for shop in SHOP_NAMES for kind in SHOP_KINDS]
	rng.shuffle(names)
	for index, r in enumerate(routes):
		route = frappe.get_doc("Sales Route", r["route"])
		on_route = {row.customer for row in route.customers}
		lat0, lon0 = CITY_CENTRES[r["city_name"]]
		days = visit_days[index % len(visit_days)]
		for stop in range(1, 26):
			shop = f"{names[(index * 25 + stop) % len(names)]} {r['route']}"
			group, main = groups[rng.randrange(len(groups))]
			lat, lon = lat0 + rng.uniform(-0.05, 0.05), lon0 + rng.uniform(-0.05, 0.05)
			source = sources[rng.randrange(len(sources))]
			customer = frappe.db.get_value("Customer", {"customer_name": shop})
			if not customer:
				customer = (
					frappe.get_doc(
						{
							"doctype": "Customer",
							"customer_name": shop,
							"customer_type": "Company",
							"customer_group": group,
							"territory": route.territory,
							"ds_company": COMPANY,
							"ds_sales_person": r["visitor"],
							"ds_customer_nature": natures[main],
							"ds_outlet_type": outlet_for[group],
							"ds_customer_source": source,
							"ds_province": r["province"],
							"ds_city": r["city"],
							"ds_latitude": round(lat, 6),
							"ds_longitude": round(lon, 6),
						}
					)
					.insert(ignore_permissions=True)
					.name
				)
			if customer not in on_route:
				route.append("customers", {"customer": customer, "visit_order": stop, **{d: 1 for d in days}})
		if len(route.customers) != len(on_route):
			route.save(ignore_permissions=True)


def make_assignments(routes: list[dict], people: dict):
	"""Each route to its visitor since the start of the fiscal year; the first route shows a handover."""
	start, _end = iranian_fiscal_year(getdate(today()))
	for index, r in enumerate(routes):
		if frappe.db.exists("Route Assignment", {"sales_route": r["route"]}):
			continue
		from_date = start
		if index == 0:
			handover = add_days(start, 90)
			frappe.get_doc(
				{
					"doctype": "Route Assignment",
					"sales_route": r["route"],
					"sales_person": people["visitors"][-1],
					"from_date": start,
					"to_date": add_days(handover, -1),
					"notes": "Covered by the neighbouring route's visitor until the new visitor started",
				}
			).insert(ignore_permissions=True)
			from_date = handover
		frappe.get_doc(
			{
				"doctype": "Route Assignment",
				"sales_route": r["route"],
				"sales_person": r["visitor"],
				"from_date": from_date,
			}
		).insert(ignore_permissions=True)


# --- items and stock ----------------------------------------------------------------------------


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


# --- pricing (PRC-1, PRC-2) ---------------------------------------------------------------------


def _scheme(name, conditions, tiers, tier_type="Slab", measure="Stock Units", priority=10, **options) -> dict:
	return {
		"scheme_name": name,
		"conditions": [{"condition_type": kind, "value": value} for kind, value in conditions],
		"tiers": tiers,
		"tier_type": tier_type,
		"measure": measure,
		"priority": priority,
		**options,
	}


SCHEMES = [
	_scheme("Dairy Volume 5-8%", [("Item Group", "Dairy")],
		[{"min_value": 10, "discount_percent": 5}, {"min_value": 50, "discount_percent": 8}],
		measure="Packs", aggregate=1, priority=10),
	_scheme("Snacks Buy 12 Get 1", [("Brand", "Kaveh Foods"), ("Item Group", "Snacks")],
		[{"min_value": 12, "every": 12, "free_qty": 1}], tier_type="Recurring", priority=20),
	_scheme("Wholesale Extra 2%", [("Customer Group", "Wholesale")], [{"min_value": 1, "discount_percent": 2}],
		measure="Amount", aggregate=1, priority=90),
	_scheme("Beverages Stepped", [("Item Group", "Beverages")],
		[{"min_value": 24, "discount_percent": 3}, {"min_value": 120, "discount_percent": 6}],
		tier_type="Stepped", aggregate=1, priority=30),
	_scheme("Detergent Carton Fixed Price", [("Item", "DET-002")], [{"min_value": 5, "fixed_rate": 200_000}],
		measure="Packs", priority=15, exclusive=1),
	_scheme("Confectionery Gift Box", [("Item Group", "Confectionery")],
		[{"min_value": 50_000_000, "free_qty": 1, "free_item": "CON-004"}],
		measure="Amount", aggregate=1, priority=40, budget_basis="Quantity", budget=200),
	_scheme("Canned Food Cash Discount", [("Item Group", "Canned Food")],
		[{"min_value": 20_000_000, "discount_amount": 0.03}],
		measure="Amount", aggregate=1, priority=50, compound=0, budget_basis="Amount", budget=500_000_000),
	_scheme("Tehran Launch Juice", [("Item", "BEV-001"), ("Province", "IR-23")],
		[{"min_value": 6, "discount_percent": 10}], priority=25),
	_scheme("Supermarket Dairy Bonus", [("Item", "DAI-003"), ("Customer Group", "Supermarket")],
		[{"min_value": 10, "every": 10, "free_qty": 1, "free_uom": "Carton"}],
		tier_type="Recurring", measure="Packs", priority=35),
	_scheme("Chain Store Exclusive 12%", [("Customer Group", "Chain Store"), ("Item Group", "Snacks")],
		[{"min_value": 30_000_000, "discount_percent": 12}], measure="Amount", aggregate=1, priority=5, exclusive=1),
]  # fmt: skip


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
