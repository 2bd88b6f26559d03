"""SEC-2 name matching: 20,000 distributors' item names against 10,000 items (target: <= 10 s).

The 20,000 names are the sample generator's, with their truth:

* names of items we sell, spelled the messy ways distributors spell them (look-alike letters, pack
  sizes written another way, Persian digits, full-width forms), and for ru and fa 1,500 of them with
  the brand in Latin letters ("Молоко Prostokvashino 3,2% 900г", "شیر Kalleh ...");
* 3,500 look-alikes we do not sell (samples.make_look_alikes: another brand, fat percentage, pack
  size or pack count, a negation, another flavour, a look-alike brand in Latin letters), which must
  never be accepted automatically.

Per language it prints, at the default threshold (90, margin 5): top-1 accuracy on the names we sell
(and on those with a Latin brand), wrong automatic acceptances (a name we sell given another item, a
look-alike given any item; goal 0), the share of names we sell accepted automatically and right (goal
>= 70 %), and the time of the 20,000 x 10,000 run, wall and CPU (the machine may be shared: CPU time
is the steadier figure; the load average is printed). Then the naive way for comparison:
rapidfuzz.process.extractOne per name with WRatio, timed on a slice and scaled.

    python benchmarks/name_matching.py [LANG ...]      # default: ru fa zh
"""

import importlib.util
import os
import random
import sys
import time
from collections import Counter

MISSING = [m for m in ("rapidfuzz", "numpy", "anyascii") if importlib.util.find_spec(m) is None]
if (
	MISSING
):  # a Python without the app's requirements (pip install -e .; in a bench: bench setup requirements)
	print(f"skipped: needs {', '.join(MISSING)}")
	sys.exit(0)

from distribution_sales.rules.matching import Matcher, decide
from distribution_sales.rules.names import normalize_name
from tests.sellout_samples import (
	make_catalogue,
	make_foreign_script_names,
	make_look_alikes,
	messy_name,
)

ITEMS, NAMES, LOOK_ALIKES, LATIN_BRANDS, NAIVE_SLICE = 10_000, 20_000, 3_500, 1_500, 200
THRESHOLD = 90


def queries(lang: str) -> list[tuple[str, str | None, str]]:
	"""(name, our item code or None for a look-alike, kind), shuffled."""
	items, _outlets = make_catalogue(lang, items=ITEMS, outlets=1, seed=1)
	rng = random.Random(5)
	latin = [(n, code, "latin brand") for code, n in make_foreign_script_names(lang, ITEMS, 1, LATIN_BRANDS)]
	alike = [(a.name, None, a.kind) for a in make_look_alikes(lang, ITEMS, 1, LOOK_ALIKES)]
	sold = []
	for _ in range(NAMES - len(latin) - len(alike)):
		code, name = items[rng.randrange(len(items))]
		sold.append((messy_name(name, lang, rng), code, "sold"))
	out = sold + latin + alike
	rng.shuffle(out)
	return out


def run(lang: str) -> None:
	items, _outlets = make_catalogue(lang, items=ITEMS, outlets=1, seed=1)
	names = queries(lang)
	load = os.getloadavg()[0]
	wall, cpu = time.perf_counter(), time.process_time()
	matcher = Matcher((code, name, code) for code, name in items)  # its token index: on the first call
	built = time.perf_counter() - wall
	suggestions = matcher.suggest_many([(name, None) for name, _code, _kind in names], limit=3)
	wall, cpu = time.perf_counter() - wall, time.process_time() - cpu

	ours = [(code, s, kind) for (_n, code, kind), s in zip(names, suggestions, strict=True) if code]
	right = sum(1 for code, s, _k in ours if s and s[0].key == code)
	latin = [(code, s) for code, s, kind in ours if kind == "latin brand"]
	latin_right = sum(1 for code, s in latin if s and s[0].key == code)
	wrong: Counter = Counter()
	auto_right = 0
	for (_n, code, kind), s in zip(names, suggestions, strict=True):
		key, status = decide(s, THRESHOLD)
		if status != "Auto":
			continue
		if key == code:
			auto_right += 1
		else:
			wrong[kind] += 1
	latin_line = f", with a Latin brand {latin_right / len(latin):.1%}" if latin else ""
	print(
		f"{lang}: {NAMES:,} names x {ITEMS:,} items: {wall:.2f} s wall, {cpu:.2f} s CPU "
		f"(Matcher built in {built:.2f} s; load average {load:.1f}); "
		f"top-1 right on names we sell {right / len(ours):.2%}{latin_line}; "
		f"wrong auto-accepts {sum(wrong.values())} "
		f"({', '.join(f'{k} {n}' for k, n in sorted(wrong.items())) or 'none'}) "
		f"of {len(names) - len(ours):,} look-alikes and {len(ours):,} names we sell; "
		f"names we sell accepted automatically and right {auto_right / len(ours):.1%}",
		flush=True,
	)

	from rapidfuzz import fuzz, process

	choices = [normalize_name(name) for _code, name in items]
	start = time.perf_counter()
	for name, _code, _kind in names[:NAIVE_SLICE]:
		process.extractOne(normalize_name(name), choices, scorer=fuzz.WRatio)
	naive = (time.perf_counter() - start) * NAMES / NAIVE_SLICE
	print(
		f"{lang}: naive extractOne(WRatio) loop: {naive:.1f} s estimated ({NAIVE_SLICE} names timed and scaled)"
	)


if __name__ == "__main__":
	for lang in sys.argv[1:] or ["ru", "fa", "zh"]:
		run(lang)
