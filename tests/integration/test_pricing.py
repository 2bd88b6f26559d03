"""PRC-1..5 in a real site: distribution prices, trade schemes on Quotation / Sales Order / Sales
Invoice, free goods kept in step with edits, explanations, coupons, the Pricing Rule policy, budgets."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import flt, today

from distribution_sales.demo import ABBR, COMPANY
from distribution_sales.pricing.doctype.trade_scheme.trade_scheme import TradeSchemeError
from distribution_sales.utils import DistributionValidationError

PRICE_LIST = "Standard Selling"
WAREHOUSE = f"Central Warehouse - {ABBR}"


def customer_in(group: str) -> str:
	return frappe.get_all(
		"Customer",
		{"customer_group": group, "ds_company": COMPANY, "ds_is_blacklisted": 0},
		pluck="name",
		limit=1,
		order_by="name",
	)[0]


def order(customer: str, lines: list[tuple], doctype: str = "Sales Order", **kwargs):
	doc = frappe.get_doc(
		{
			"doctype": doctype,
			"company": COMPANY,
			("party_name" if doctype == "Quotation" else "customer"): customer,
			"transaction_date": today(),
			"posting_date": today(),
			"delivery_date": today(),
			"selling_price_list": PRICE_LIST,
			"set_warehouse": WAREHOUSE,
			"items": [
				{
					"item_code": item,
					"qty": qty,
					"uom": uom,
					"warehouse": WAREHOUSE,
					**(extra[0] if extra else {}),
				}
				for item, qty, uom, *extra in lines
			],
			**kwargs,
		}
	)
	return doc.insert()


def base_price(item: str) -> float:
	return flt(
		frappe.db.get_value("Item Price", {"item_code": item, "price_list": PRICE_LIST}, "price_list_rate")
	)


def applied(doc, item: str) -> dict[str, object]:
	return {a.scheme: a for a in doc.ds_scheme_applications if a.item_code == item}


def free_rows(doc) -> list:
	return [r for r in doc.items if r.ds_is_scheme_free]


class TestPrices(FrappeTestCase):
	"""PRC-1: the most specific price record wins, and the line says which one."""

	def test_customer_group_price_beats_the_price_list(self):
		retail, wholesale = customer_in("Grocery"), customer_in("Wholesaler")
		so_retail = order(retail, [("DAI-001", 1, "Unit")])
		so_wholesale = order(wholesale, [("DAI-001", 1, "Unit")])
		self.assertEqual(so_retail.items[0].price_list_rate, base_price("DAI-001"))
		self.assertEqual(so_wholesale.items[0].price_list_rate, round(base_price("DAI-001") * 0.96, -3))
		self.assertIn("customer group", so_wholesale.items[0].ds_price_source)
		# Chain Store is a sub group of Wholesale and has its own, nearer price
		so_chain = order(customer_in("Chain Store"), [("DAI-001", 1, "Unit")])
		self.assertEqual(so_chain.items[0].price_list_rate, round(base_price("DAI-001") * 0.94, -3))

	def test_price_in_cartons_is_converted_from_the_unit_price(self):
		so = order(customer_in("Grocery"), [("DAI-004", 2, "Carton")])
		row = so.items[0]
		self.assertEqual(row.price_list_rate, base_price("DAI-004") * row.conversion_factor)

	def test_batch_price_on_an_invoice(self):
		batch = frappe.db.get_value(
			"Distribution Price", {"batch_no": ("is", "set")}, ["batch_no", "rate"], as_dict=True
		)
		invoice = order(
			customer_in("Grocery"),
			[("DAI-002", 2, "Unit", {"batch_no": batch.batch_no, "use_serial_batch_fields": 1})],
			doctype="Sales Invoice",
			update_stock=1,
		)
		self.assertEqual(invoice.items[0].price_list_rate, batch.rate)
		self.assertIn("batch", invoice.items[0].ds_price_source)
		invoice.submit()
		self.assertEqual(invoice.docstatus, 1)

	def test_overlapping_duplicate_price_is_refused(self):
		existing = frappe.get_doc(
			"Distribution Price", {"customer_group": "Wholesale", "item_code": "DAI-001"}
		)
		copy = frappe.copy_doc(existing)
		with self.assertRaisesRegex(DistributionValidationError, "already prices this"):
			copy.insert()


class TestSchemes(FrappeTestCase):
	"""PRC-2, PRC-3, PRC-5 with the demo's schemes."""

	def test_slab_tiers_in_packs_and_compound_stacking(self):
		so = order(customer_in("Wholesaler"), [("DAI-001", 15, "Carton")])
		row = so.items[0]
		schemes = applied(so, "DAI-001")
		self.assertEqual(schemes["Dairy Volume 5-8%"].tier, 1)
		self.assertAlmostEqual(schemes["Dairy Volume 5-8%"].discount_percent, 5)
		self.assertIn("Wholesale Extra 2%", schemes)  # stacked on top, compounding
		self.assertAlmostEqual(row.rate, row.price_list_rate * 0.95 * 0.98, places=2)
		so.items[0].qty = 60
		so.save()
		self.assertEqual(applied(so, "DAI-001")["Dairy Volume 5-8%"].tier, 2)
		self.assertAlmostEqual(so.items[0].rate, so.items[0].price_list_rate * 0.92 * 0.98, places=2)
		self.assertAlmostEqual(
			so.items[0].ds_scheme_discount, (so.items[0].price_list_rate - so.items[0].rate) * 60, places=0
		)

	def test_free_goods_follow_the_order_as_it_is_edited(self):
		so = order(customer_in("Grocery"), [("SNA-001", 30, "Unit")])
		self.assertEqual([(r.item_code, r.qty, r.rate) for r in free_rows(so)], [("SNA-001", 2, 0)])
		free_name = free_rows(so)[0].name
		so.items[0].qty = 36
		so.save()
		self.assertEqual([(r.name, r.qty) for r in free_rows(so)], [(free_name, 3)])  # updated in place
		free_rows(so)[0].rate = 99_000  # nobody can price a free line
		so.save()
		self.assertEqual(free_rows(so)[0].rate, 0)
		so.items[0].qty = 11
		so.save()
		self.assertEqual(free_rows(so), [])
		so.items[0].qty = 84
		so.save()
		self.assertEqual([r.qty for r in free_rows(so)], [7])
		so.submit()
		self.assertEqual(frappe.db.count("Sales Order Item", {"parent": so.name, "ds_is_scheme_free": 1}), 1)

	def test_prizes_have_a_value(self):
		"""PRC-3: free goods carry what they would have cost at this customer's price, on the free row and
		on the explanation, apart from the discount amount; an invoice made from the order keeps it."""
		customer = customer_in("Grocery")
		so = order(customer, [("SNA-001", 30, "Unit"), ("CAN-004", 1, "Unit")])
		unit_price = {r.item_code: r.price_list_rate for r in so.items if not r.ds_is_scheme_free}
		free = free_rows(so)[0]
		self.assertEqual((free.item_code, free.qty, free.rate), ("SNA-001", 2, 0))
		self.assertGreater(unit_price["SNA-001"], 0)
		self.assertAlmostEqual(free.ds_prize_value, 2 * unit_price["SNA-001"], places=2)
		snacks = applied(so, "SNA-001")["Snacks Buy 12 Get 1"]
		self.assertEqual((snacks.free_qty, snacks.discount_amount), (2, 0))
		self.assertAlmostEqual(snacks.prize_value, 2 * unit_price["SNA-001"], places=2)
		# another item as the prize: valued at that item's own price for the customer
		gift = make_scheme(
			"Snacks Give Canned",
			[("Item", "SNA-001")],
			[{"min_value": 30, "free_qty": 3, "free_item": "CAN-004"}],
		)
		so.save()
		canned = applied(so, "SNA-001")[gift]
		self.assertEqual((canned.free_item, canned.free_qty), ("CAN-004", 3))
		self.assertAlmostEqual(canned.prize_value, 3 * unit_price["CAN-004"], places=2)
		row = next(r for r in free_rows(so) if r.ds_scheme == gift)
		self.assertAlmostEqual(row.ds_prize_value, 3 * unit_price["CAN-004"], places=2)
		so.submit()
		stored = frappe.get_all(
			"Scheme Application", {"parent": so.name, "scheme": gift}, ["prize_value", "discount_amount"]
		)
		self.assertEqual(len(stored), 1)
		self.assertAlmostEqual(stored[0].prize_value, 3 * unit_price["CAN-004"], places=2)
		self.assertEqual(stored[0].discount_amount, 0)

	def test_explanations_written_in_one_statement_stay_in_step(self):
		"""The explanation rows are written by one INSERT: saving again replaces them (never doubles),
		submitting stores them submitted, and the document read back has the same rows."""
		so = order(customer_in("Grocery"), [("SNA-001", 30, "Unit"), ("DAI-001", 60, "Unit")])

		def stored():
			return frappe.get_all(
				"Scheme Application",
				{"parent": so.name, "parenttype": "Sales Order"},
				["scheme", "item_code", "discount_amount", "free_qty", "docstatus", "idx"],
				order_by="idx",
			)

		in_memory = [(a.scheme, a.item_code, a.free_qty) for a in so.ds_scheme_applications]
		self.assertTrue(in_memory)
		self.assertEqual([(r.scheme, r.item_code, r.free_qty) for r in stored()], in_memory)
		so.items[0].qty = 36
		so.save()
		so.save()
		self.assertEqual(len(stored()), len(so.ds_scheme_applications))
		self.assertEqual([r.idx for r in stored()], list(range(1, len(stored()) + 1)))
		so.submit()
		self.assertEqual({r.docstatus for r in stored()}, {1})
		again = frappe.get_doc("Sales Order", so.name)
		self.assertEqual(
			[(a.scheme, a.item_code, a.free_qty) for a in again.ds_scheme_applications],
			[(a.scheme, a.item_code, a.free_qty) for a in so.ds_scheme_applications],
		)
		again.cancel()
		self.assertEqual({r.docstatus for r in stored()}, {2})

	def test_recurring_rule_42_gives_6_and_84_gives_12(self):
		scheme = make_scheme(
			"Every 7 One Free",
			[("Item", "CAN-004")],
			[{"min_value": 7, "every": 7, "free_qty": 1}],
			tier_type="Recurring",
		)
		so = order(customer_in("Grocery"), [("CAN-004", 42, "Unit")])
		self.assertEqual([r.qty for r in free_rows(so) if r.ds_scheme == scheme], [6])
		so.items[0].qty = 84
		so.save()
		self.assertEqual([r.qty for r in free_rows(so) if r.ds_scheme == scheme], [12])

	def test_exclusive_layer_stops_later_schemes(self):
		chain = customer_in("Chain Store")
		so = order(chain, [("SNA-002", 150, "Unit")])  # 150 x 250,000 IRR: above the 30M threshold
		schemes = applied(so, "SNA-002")
		self.assertIn("Chain Store Exclusive 12%", schemes)
		self.assertNotIn("Wholesale Extra 2%", schemes)
		self.assertNotIn("Snacks Buy 12 Get 1", schemes)

	def test_schemes_on_quotation_and_invoice_too(self):
		customer = customer_in("Grocery")
		quotation = order(customer, [("SNA-001", 24, "Unit")], doctype="Quotation", quotation_to="Customer")
		self.assertEqual([r.qty for r in free_rows(quotation)], [2])
		invoice = order(customer, [("SNA-001", 24, "Unit")], doctype="Sales Invoice", update_stock=1)
		self.assertEqual([r.qty for r in free_rows(invoice)], [2])
		invoice.submit()
		self.assertEqual(invoice.docstatus, 1)

	def test_no_scheme_no_change(self):
		so = order(customer_in("Grocery"), [("DET-005", 1, "Unit")])
		self.assertEqual(so.ds_scheme_applications, [])
		self.assertEqual(so.items[0].rate, so.items[0].price_list_rate)


class TestCouponsAndPolicy(FrappeTestCase):
	"""PRC-4: a coupon unlocks a scheme; the per-company policy towards ERPNext Pricing Rules."""

	def test_coupon_unlocks_a_scheme(self):
		rule = make_pricing_rule("Coupon Carrier", "DET-001", 0, coupon_code_based=1)
		coupon = frappe.get_doc(
			{
				"doctype": "Coupon Code",
				"coupon_name": "SPRING",
				"coupon_code": "SPRING-" + frappe.generate_hash(length=4),
				"coupon_type": "Promotional",
				"pricing_rule": rule,
				"maximum_use": 10,
			}
		).insert()
		scheme = make_scheme(
			"Spring Coupon 15%",
			[("Item", "DET-001")],
			[{"min_value": 1, "discount_percent": 15}],
			coupon_code=coupon.name,
		)
		customer = customer_in("Grocery")
		without = order(customer, [("DET-001", 2, "Unit")])
		self.assertNotIn(scheme, applied(without, "DET-001"))
		with_coupon = order(customer, [("DET-001", 2, "Unit")], coupon_code=coupon.name)
		self.assertAlmostEqual(applied(with_coupon, "DET-001")[scheme].discount_percent, 15)

	def test_replace_policy_ignores_pricing_rules_and_on_top_stacks_on_them(self):
		make_pricing_rule("Ten Off Tissue", "DET-010", 10)
		scheme = make_scheme("Tissue 5%", [("Item", "DET-010")], [{"min_value": 1, "discount_percent": 5}])
		customer = customer_in("Grocery")
		price = base_price("DET-010")
		replaced = order(customer, [("DET-010", 1, "Unit")])
		self.assertEqual(replaced.ignore_pricing_rule, 1)
		self.assertAlmostEqual(replaced.items[0].rate, price * 0.95, places=2)
		frappe.db.set_value(
			"Distribution Settings", COMPANY, "scheme_policy", "Schemes on Top of Pricing Rules"
		)
		try:
			on_top = order(customer, [("DET-010", 1, "Unit")])
			self.assertFalse(on_top.ignore_pricing_rule)
			self.assertAlmostEqual(on_top.items[0].rate, price * 0.90 * 0.95, places=2)
			self.assertIn(scheme, applied(on_top, "DET-010"))
		finally:
			frappe.db.set_value(
				"Distribution Settings", COMPANY, "scheme_policy", "Schemes Replace Pricing Rules"
			)


class TestCoexistence(FrappeTestCase):
	"""PRC-4: Shipping Rules and Product Bundles keep working on documents priced by schemes."""

	def test_shipping_rule_and_product_bundle_with_schemes(self):
		bundle_item = frappe.get_doc(
			{"doctype": "Item", "item_code": "GIFT-PACK-" + frappe.generate_hash(length=4), "item_group": "Snacks",
			 "stock_uom": "Unit", "is_stock_item": 0, "brand": "Kaveh Foods"}
		).insert()  # fmt: skip
		frappe.get_doc(
			{"doctype": "Product Bundle", "new_item_code": bundle_item.name,
			 "items": [{"item_code": "DAI-001", "qty": 2}, {"item_code": "SNA-001", "qty": 3}]}
		).insert()  # fmt: skip
		frappe.get_doc(
			{
				"doctype": "Item Price",
				"item_code": bundle_item.name,
				"price_list": PRICE_LIST,
				"price_list_rate": 1_000_000,
			}
		).insert()
		rule = frappe.get_doc(
			{"doctype": "Shipping Rule", "label": "Flat Delivery " + frappe.generate_hash(length=4), "company": COMPANY,
			 "shipping_rule_type": "Selling", "calculate_based_on": "Fixed", "shipping_amount": 500_000,
			 "account": frappe.db.get_value("Account", {"company": COMPANY, "account_type": "Chargeable", "is_group": 0})
				or frappe.db.get_value("Account", {"company": COMPANY, "root_type": "Income", "is_group": 0}),
			 "cost_center": frappe.db.get_value("Company", COMPANY, "cost_center")}
		).insert()  # fmt: skip
		so = order(
			customer_in("Grocery"),
			[(bundle_item.name, 24, "Unit"), ("SNA-001", 12, "Unit")],
			shipping_rule=rule.name,
		)
		self.assertEqual(so.items[0].price_list_rate, 1_000_000)
		self.assertEqual(
			{p.item_code for p in so.packed_items}, {"DAI-001", "SNA-001"}
		)  # the bundle is packed
		self.assertEqual(sum(t.tax_amount for t in so.taxes), 500_000)  # the shipping charge stands
		free = {r.item_code: r.qty for r in free_rows(so)}
		self.assertEqual(free, {bundle_item.name: 2, "SNA-001": 1})  # Kaveh snacks, the bundle included
		self.assertAlmostEqual(so.grand_total, so.net_total + 500_000, places=2)


class TestSchemeSetup(FrappeTestCase):
	"""Setup errors: clear, translated, nothing saved."""

	def assert_refused(self, pattern: str, **kwargs):
		before = frappe.db.count("Trade Scheme")
		with self.assertRaisesRegex(DistributionValidationError, pattern):
			make_scheme(
				**{
					"name": "Bad " + frappe.generate_hash(length=5),
					"conditions": [("Item", "DAI-001")],
					**kwargs,
				}
			)
		self.assertEqual(frappe.db.count("Trade Scheme"), before)

	def test_bad_tiers(self):
		self.assert_refused(
			"must start above",
			tiers=[{"min_value": 10, "discount_percent": 5}, {"min_value": 10, "discount_percent": 8}],
		)
		self.assert_refused(
			"Discount % must be a number of at least 0", tiers=[{"min_value": 10, "discount_percent": -5}]
		)
		self.assert_refused("100", tiers=[{"min_value": 1, "discount_percent": 120}])

	def test_free_item_must_be_a_sales_item(self):
		item = frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": "NOT-FOR-SALE-" + frappe.generate_hash(length=4),
				"item_group": "Dairy",
				"stock_uom": "Unit",
				"is_sales_item": 0,
			}
		).insert()
		self.assert_refused(
			"not a sales item", tiers=[{"min_value": 1, "free_qty": 1, "free_item": item.name}]
		)

	def test_two_exclusive_schemes_at_one_stacking_order(self):
		make_scheme(
			"Exclusive A",
			[("Item", "DAI-005")],
			[{"min_value": 1, "discount_percent": 3}],
			exclusive=1,
			priority=77,
		)
		self.assert_refused(
			"both exclusive", tiers=[{"min_value": 1, "discount_percent": 3}], exclusive=1, priority=77
		)

	def test_condition_type_search_offers_only_what_a_scheme_understands(self):
		from distribution_sales.pricing.doctype.trade_scheme.trade_scheme import condition_types

		self.assertEqual(
			[r[0] for r in condition_types("DocType", "", "name", 0, 20)],
			["Item", "Item Group", "Brand", "Customer", "Customer Group", "Territory", "Province"],
		)
		self.assertEqual(
			[r[0] for r in condition_types("DocType", "group", "name", 0, 20)],
			["Item Group", "Customer Group"],
		)

	def test_condition_on_an_unknown_doctype(self):
		with self.assertRaisesRegex(TradeSchemeError, "a scheme applies to"):
			make_scheme(
				"Odd Condition", [("Warehouse", WAREHOUSE)], [{"min_value": 1, "discount_percent": 3}]
			)


class TestBudget(FrappeTestCase):
	def test_quantity_budget_caps_free_goods_and_is_spent_on_submit(self):
		scheme = make_scheme(
			"Budgeted Gift",
			[("Item", "CAN-007")],
			[{"min_value": 10, "every": 10, "free_qty": 1}],
			tier_type="Recurring",
			budget_basis="Quantity",
			budget=3,
		)
		customer = customer_in("Grocery")
		first = order(customer, [("CAN-007", 20, "Unit")])
		self.assertEqual([r.qty for r in free_rows(first)], [2])
		first.submit()
		second = order(customer, [("CAN-007", 30, "Unit")])
		self.assertEqual([r.qty for r in free_rows(second)], [1])  # 3 earned, 1 left in the budget
		self.assertEqual(applied(second, "CAN-007")[scheme].note, "capped by budget")
		second.submit()
		third = order(customer, [("CAN-007", 30, "Unit")])
		self.assertEqual(free_rows(third), [])
		doc = frappe.get_doc("Trade Scheme", scheme)
		doc.priority = 61
		with self.assertRaisesRegex(TradeSchemeError, "already spent"):
			doc.save()


def make_scheme(name: str, conditions: list[tuple], tiers: list[dict], **kwargs) -> str:
	name = name if not frappe.db.exists("Trade Scheme", name) else f"{name} {frappe.generate_hash(length=4)}"
	return (
		frappe.get_doc(
			{
				"doctype": "Trade Scheme",
				"scheme_name": name,
				"company": COMPANY,
				"tier_type": kwargs.pop("tier_type", "Slab"),
				"measure": kwargs.pop("measure", "Stock Units"),
				"priority": kwargs.pop("priority", 60),
				"conditions": [{"condition_type": t, "value": v} for t, v in conditions],
				"tiers": tiers,
				**kwargs,
			}
		)
		.insert()
		.name
	)


def make_pricing_rule(title: str, item: str, discount: float, **kwargs) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Pricing Rule",
				"title": title + " " + frappe.generate_hash(length=4),
				"apply_on": "Item Code",
				"items": [{"item_code": item}],
				"selling": 1,
				"company": COMPANY,
				"price_or_product_discount": "Price",
				"rate_or_discount": "Discount Percentage",
				"discount_percentage": discount,
				"currency": "IRR",
				**kwargs,
			}
		)
		.insert()
		.name
	)


class TestBlanketOrder(FrappeTestCase):
	"""DOC-8: a long-term agreement priced by PRC; orders against it keep the agreed rate."""

	def test_blanket_order_rows_are_priced_and_orders_keep_the_agreed_rate(self):
		customer = customer_in("Wholesaler")
		blanket = frappe.get_doc(
			{
				"doctype": "Blanket Order",
				"blanket_order_type": "Selling",
				"customer": customer,
				"company": COMPANY,
				"from_date": today(),
				"to_date": frappe.utils.add_days(today(), 180),
				"items": [
					{"item_code": "DAI-001", "qty": 1200},
					{"item_code": "DET-003", "qty": 10, "rate": 123_000},
				],
			}
		).insert()
		dairy, detergent = blanket.items
		# 1,200 units = 100 cartons: the 8% Dairy tier, then the Wholesale 2% layer, on the group price
		group_price = round(base_price("DAI-001") * 0.96, -3)
		self.assertAlmostEqual(dairy.rate, group_price * 0.92 * 0.98, places=2)
		self.assertIn("customer group", dairy.ds_price_source)
		self.assertEqual(
			{a.scheme for a in blanket.ds_scheme_applications if a.item_code == "DAI-001"},
			{"Dairy Volume 5-8%", "Wholesale Extra 2%"},
		)
		self.assertEqual(detergent.rate, 123_000)  # a negotiated rate stays
		blanket.submit()

		so = order(
			customer, [("DAI-001", 24, "Unit", {"blanket_order": blanket.name, "against_blanket_order": 1})]
		)
		self.assertAlmostEqual(so.items[0].rate, dairy.rate, places=2)
		self.assertEqual(so.ds_scheme_applications, [])  # not priced twice


class TestCustomerBudget(FrappeTestCase):
	def test_budget_per_customer(self):
		scheme = make_scheme(
			"Per Customer Gift",
			[("Item", "CAN-009")],
			[{"min_value": 10, "every": 10, "free_qty": 1}],
			tier_type="Recurring",
			budget_basis="Quantity",
			customer_budget=2,
		)
		first, second = frappe.get_all(
			"Customer",
			{"customer_group": "Grocery", "ds_company": COMPANY},
			pluck="name",
			limit=2,
			order_by="name",
		)
		so = order(first, [("CAN-009", 30, "Unit")])
		self.assertEqual(
			[r.qty for r in free_rows(so) if r.ds_scheme == scheme], [2]
		)  # capped at 2 for this shop
		so.submit()
		self.assertEqual(
			[r.qty for r in free_rows(order(first, [("CAN-009", 30, "Unit")])) if r.ds_scheme == scheme], []
		)
		self.assertEqual(
			[r.qty for r in free_rows(order(second, [("CAN-009", 30, "Unit")])) if r.ds_scheme == scheme], [2]
		)
