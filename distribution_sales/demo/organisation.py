"""The demo's company, dictionaries, sales organisation, people, customers and route assignments."""

import random
from datetime import date, timedelta

import frappe
from frappe.utils import add_days, getdate, today
from frappe.utils.nestedset import get_root_of

from distribution_sales.demo.data import (
	ABBR,
	CITY_CENTRES,
	COMPANY,
	CUSTOMER_GROUPS,
	DICTIONARIES,
	ORGANISATION,
	RETURN_REASONS,
	SHOP_KINDS,
	SHOP_NAMES,
)


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
