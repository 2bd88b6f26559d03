"""Demo data (PLT-4): a believable Iranian food distributor on a fresh ERPNext site.

    bench --site SITE execute distribution_sales.demo.make

The data sits in data.json beside this package (regions, areas and routes, shops, items, vehicles,
schemes); organisation.py builds the sales organisation and customers, catalogue.py the items, stock,
fleet and prices.

Builds company "Alborz Pakhsh" with 2 regions, 5 areas and 12 routes in real provinces and cities,
a supervisor per region and a visitor per route (each with a login), 300 shops placed on the routes,
60 items in groups and brands with batches and carton/unit UOMs, stock in 2 warehouses, vehicles,
drivers and distribution teams, return reasons and the base dictionaries.

Every record is looked up before it is made, so running it again changes nothing.
"""

import random

import frappe

from distribution_sales.demo.catalogue import (
	make_fleet,
	make_items,
	make_pricing,
	make_stock,
	make_warehouses,
)
from distribution_sales.demo.data import ABBR, COMPANY, ITEM_GROUPS, ORGANISATION, SEED
from distribution_sales.demo.organisation import (
	ensure_company,
	make_assignments,
	make_customer_groups,
	make_customers,
	make_dictionaries,
	make_organisation,
	make_sales_people,
	make_settings,
)

__all__ = ["ABBR", "COMPANY", "before_tests", "demo_routes", "make", "summary"]


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
