"""SEC-2 name matching: 20,000 distributors' item names against 10,000 items (target: <= 10 s).

Names are the sample generator's messy spellings of real catalogue names (look-alike letters, pack sizes
written another way, Persian digits, full-width forms), so the accuracy printed is that of the top
suggestion. The comparison is the naive way: rapidfuzz.process.extractOne per name with WRatio, timed on
a slice and scaled (it would take too long in full).

    python benchmarks/name_matching.py [LANG ...]      # default: ru fa zh
"""

import importlib.util
import random
import sys
import time

MISSING = [m for m in ("rapidfuzz", "numpy") if importlib.util.find_spec(m) is None]
if MISSING:  # a Python without the app's requirements (pip install -e .)
	print(f"skipped: needs {', '.join(MISSING)}")
	sys.exit(0)

from distribution_sales.rules.matching import Matcher, decide, normalize_name
from distribution_sales.secondary_sales.samples import make_catalogue, messy_name

ITEMS, NAMES, NAIVE_SLICE = 10_000, 20_000, 200


def run(lang: str) -> None:
	items, _outlets = make_catalogue(lang, items=ITEMS, outlets=1, seed=1)
	rng = random.Random(5)
	picks = [items[rng.randrange(len(items))] for _ in range(NAMES)]
	queries = [(messy_name(name, lang, rng), None) for _code, name in picks]

	start = time.perf_counter()
	matcher = Matcher((code, name, code) for code, name in items)
	built = time.perf_counter() - start
	start = time.perf_counter()
	suggestions = matcher.suggest_many(queries, limit=3)
	took = time.perf_counter() - start
	right = sum(1 for (code, _n), s in zip(picks, suggestions, strict=True) if s and s[0].key == code)
	auto = sum(1 for s in suggestions if decide(s, 90)[1] == "Auto")
	auto_right = sum(
		1 for (code, _n), s in zip(picks, suggestions, strict=True) if decide(s, 90) == (code, "Auto")
	)
	print(
		f"{lang}: {NAMES:,} names x {ITEMS:,} items: {built + took:.2f} s "
		f"(index {built:.2f} s, matching {took:.2f} s); top suggestion right {right / NAMES:.1%}; "
		f"auto-accepted at 90: {auto / NAMES:.1%} of names, {auto_right / max(auto, 1):.2%} of them right"
	)

	from rapidfuzz import fuzz, process

	choices = [normalize_name(name) for _code, name in items]
	start = time.perf_counter()
	for name, _code in queries[:NAIVE_SLICE]:
		process.extractOne(normalize_name(name), choices, scorer=fuzz.WRatio)
	naive = (time.perf_counter() - start) * NAMES / NAIVE_SLICE
	print(
		f"{lang}: naive extractOne(WRatio) loop: {naive:.1f} s estimated ({NAIVE_SLICE} names timed and scaled)"
	)


if __name__ == "__main__":
	for lang in sys.argv[1:] or ["ru", "fa", "zh"]:
		run(lang)
