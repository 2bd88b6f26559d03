"""PRC engine speed: a 50-line order against 5,000 active schemes and 100,000 price records.

Target: <= 20 ms per order (median). Also printed: the same orders priced by scanning every record
and every scheme (no PriceBook / SchemeIndex), and the ratio.
"""

import random
import statistics
import time
from datetime import date

from distribution_sales.rules.pricing import PriceBook, PriceQuery, PriceRecord, resolve_price
from distribution_sales.rules.schemes import Context, Line, Scheme, SchemeIndex, Tier, apply_schemes

rng = random.Random(2026)
ON = date(2026, 11, 23)
ITEMS = [f"ITEM-{i:05d}" for i in range(20_000)]
GROUPS = [f"GROUP-{i:03d}" for i in range(400)]
BRANDS = [f"BRAND-{i:03d}" for i in range(200)]
ITEM_GROUP = {item: rng.choice(GROUPS) for item in ITEMS}
ITEM_BRAND = {item: rng.choice(BRANDS) for item in ITEMS}
CUSTOMER_GROUPS = ["Supermarket", "Grocery", "Kiosk", "Wholesaler", "Chain Store"]

records = []
for i in range(100_000):
	item = rng.choice(ITEMS)
	kind = rng.random()
	records.append(
		PriceRecord(
			name=f"P{i:06d}",
			rate=rng.uniform(1, 100),
			uom="Unit",
			price_list="Standard Selling",
			item_code=item if kind > 0.05 else None,
			item_group=None if kind > 0.05 else ITEM_GROUP[item],
			customer_group=rng.choice([None, None, *CUSTOMER_GROUPS]),
			batch_no=f"{item}-B{rng.randint(1, 3)}" if rng.random() < 0.2 else None,
			valid_from=date(2026, rng.randint(1, 11), 1) if rng.random() < 0.5 else None,
		)
	)


def random_scheme(i: int) -> Scheme:
	kind = rng.random()
	conditions = (
		{"items": frozenset(rng.sample(ITEMS, 3))}
		if kind < 0.5
		else {"item_groups": frozenset({rng.choice(GROUPS)})}
		if kind < 0.8
		else {"brands": frozenset({rng.choice(BRANDS)})}
		if kind < 0.97
		else {}
	)
	tier_type = rng.choice(["slab", "stepped", "recurring"])
	if tier_type == "recurring":
		tiers = (Tier(12, free_qty=1, every=12),)
	else:
		tiers = (Tier(10, discount_percent=3), Tier(50, discount_percent=6))
	return Scheme(
		name=f"S{i:05d}",
		tiers=tiers,
		tier_type=tier_type,
		measure=rng.choice(["stock", "pack", "amount"]) if tier_type != "recurring" else "stock",
		aggregate=rng.random() < 0.5,
		priority=rng.randint(1, 50),
		exclusive=rng.random() < 0.1,
		compound=rng.random() < 0.7,
		customer_groups=frozenset({rng.choice(CUSTOMER_GROUPS)}) if rng.random() < 0.3 else frozenset(),
		**conditions,
	)


schemes = [random_scheme(i) for i in range(5_000)]
book = PriceBook(records)
index = SchemeIndex(schemes)
context = Context(on=ON, customer="Shop 1", customer_groups=("Supermarket", "Retail", "All Customer Groups"))


def order() -> list[tuple[str, float]]:
	return [(item, float(rng.choice([6, 12, 24, 48, 120]))) for item in rng.sample(ITEMS, 50)]


def price(lines, indexed: bool):
	out = []
	for n, (item, qty) in enumerate(lines):
		query = PriceQuery(item, "Standard Selling", "Unit", ON, (ITEM_GROUP[item], "All Item Groups"), "Shop 1",
			context.customer_groups, None, "Unit", 1.0)  # fmt: skip
		found = book.resolve(query) if indexed else resolve_price(query, records)
		rate = found.rate if found else 10.0
		out.append(
			Line(
				f"{n:03d}", item, qty, rate, "Unit", 1.0, 12.0, (ITEM_GROUP[item],), ITEM_BRAND[item], "Unit"
			)
		)
	candidates = index.candidates(out) if indexed else schemes
	return apply_schemes(out, candidates, context)


def median_ms(indexed: bool, orders: list) -> float:
	times = []
	for lines in orders:
		start = time.perf_counter()
		price(lines, indexed)
		times.append((time.perf_counter() - start) * 1000)
	return statistics.median(times)


orders = [order() for _ in range(200)]
indexed = median_ms(True, orders)
scan = median_ms(False, orders[:10])
same = all(price(o, True) == price(o, False) for o in orders[:5])
print(
	f"pricing engine: 50-line order, 5,000 schemes, 100,000 prices: median {indexed:.2f} ms per order over 200 orders (target <= 20 ms)"
)
print(
	f"  without PriceBook/SchemeIndex (full scan): median {scan:.1f} ms, ratio {scan / indexed:.0f}x slower; same results: {same}"
)
