"""Pure rules: normalising names and codes, and checking a route's stops (per-item cost)."""

import random
import statistics
import time

from distribution_sales.rules.routes import RouteStop, check_stops
from distribution_sales.rules.text import normalize_code, normalize_text

rng = random.Random(7)
letters = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكـ۰۱۲۳۴۵۶۷۸۹ "
names = ["".join(rng.choice(letters) for _ in range(24)) for _ in range(100_000)]
codes = [f"n{rng.choice('۰۱۲۳۴۵۶۷۸۹')}{i}" for i in range(100_000)]


def timed(label, fn, n):
	runs = []
	for _ in range(5):
		start = time.perf_counter()
		fn()
		runs.append(time.perf_counter() - start)
	best = statistics.median(runs)
	print(f"{label}: {n / best:,.0f} per second (median of 5 runs over {n:,})")


timed("normalize_text", lambda: [normalize_text(n) for n in names], len(names))
timed("normalize_code", lambda: [normalize_code(c) for c in codes], len(codes))
stops = [RouteStop(f"C{i}", i + 1, i + 1) for i in range(500)]
timed("check_stops (500-customer route)", lambda: [check_stops(stops) for _ in range(100)], 100)
