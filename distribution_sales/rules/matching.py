"""Matching distributors' item and outlet names to ours (SEC-2): normalised names, ranked suggestions.

A distributor writes "Молоко 3,2% 900гр", "شير پاستوريزه ۹۰۰ گرمی" or "牛奶 ９００克" for an item we call
"Milk 3.2% 900g". :func:`rules.names.normalize_name` folds what differs only in spelling (Arabic/Persian letters and
digits, Cyrillic letters that look Latin, full-width forms, case, punctuation, pack sizes written in
three languages); :class:`Matcher` ranks our candidates for each name with rapidfuzz:

1. a code equal to a candidate's code (normalised) scores 100;
2. every name is compared with every candidate in one ``rapidfuzz.process.cdist`` call per block of
   names (all cores, token-sorted ``ratio``; characters are mapped to one byte each so the bit-parallel
   path applies, which makes it several times faster for Persian, Russian and Chinese text);
3. the best few are scored again with the token-set ratio as well, and a candidate whose pack size
   differs from the name's loses points;
4. each candidate is checked token by token with :func:`rules.conflicts.conflicts`: one that agrees with the name on
   every distinguishing token (brand and product words, numbers with their units, negations, flavours;
   brands compared across scripts in Latin letters) scores 100, one that disagrees at most 99 and
   carries the disagreeing tokens in ``Suggestion.conflicts``. Items that may agree but that the fuzzy
   scores missed (a long brand in another script) are found by a script-free key and checked too.

:func:`decide` accepts the best suggestion automatically only when it has no conflicts, reaches the
profile's threshold and is clearly ahead of any other suggestion without conflicts; otherwise the name
waits for review. A high fuzzy score never accepts a product we do not sell: "Молоко Домик в деревне
2,5% 900г" is not our 3,2% milk, «آب معدنی بدون گاز» is not our sparkling water.
"""

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from distribution_sales.rules.conflicts import _conflicts, _Features, _features, _lookup_key
from distribution_sales.rules.names import _packs, normalize_code, normalize_name

PACK_PENALTY = 25.0  # points off when the name says 500g and the candidate 900g
MARGIN = 5.0  # an automatic match must lead the runner-up without conflicts by this many points
SHORTLIST = 12  # at most this many candidates per name get the finer score...
SHORTLIST_BAND = 25  # ...those within this many points of the best coarse score
_BLOCK = 1024  # names per cdist call (memory: block x candidates bytes)

# Cyrillic letters that look like Latin ones, after casefolding (ё is written е more often than not)


class Suggestion(NamedTuple):
	key: str
	name: str
	score: float
	conflicts: tuple[str, ...] = ()  # the name's tokens this candidate disagrees on (see conflicts())


class _ByteAlphabet:
	"""Maps characters to code points below 256 so rapidfuzz compares with its fastest (table) path.

	Characters are numbered by frequency in the candidates; when more than fit, the rarest share codes
	(only the first, coarse pass uses this; the final score compares the real text)."""

	def __init__(self, texts: Iterable[str]):
		counts: dict[str, int] = {}
		for text in texts:
			for c in text:
				counts[c] = counts.get(c, 0) + 1
		used = {ord(c) for c in counts if ord(c) < 256}
		spare = [i for i in range(255, 0, -1) if i not in used and not chr(i).isspace()]
		self.table = {}
		for c in sorted((c for c in counts if ord(c) >= 256), key=lambda c: (-counts[c], c)):
			self.table[ord(c)] = chr(spare.pop()) if spare else chr(128 + ord(c) % 128)

	def __call__(self, text: str) -> str:
		mapped = text.translate(self.table)
		if mapped.isascii() or max(mapped) < "\u0100":
			return mapped
		return "".join(c if c < "\u0100" else chr(128 + ord(c) % 128) for c in mapped)


def _sorted_tokens(text: str) -> str:
	return " ".join(sorted(text.split()))


class Matcher:
	"""Our items (or outlets) ready to be matched against distributors' names.

	``candidates``: (key, name, code) - key is what a match records (an Item or Customer name), code
	may be None. Names and codes are normalised once here.
	"""

	def __init__(self, candidates: Iterable[tuple[str, str, str | None]]):
		self.keys: list[str] = []
		self.names: list[str] = []
		self.normal: list[str] = []
		self.by_code: dict[str, int] = {}
		self.by_name: dict[str, list[int]] = {}
		for key, name, code in candidates:
			i = len(self.keys)
			self.keys.append(key)
			self.names.append(name or "")
			normal = normalize_name(name)
			self.normal.append(normal)
			self.by_name.setdefault(normal, []).append(i)
			if code:
				self.by_code.setdefault(normalize_code(code), i)
		self.packs = [_packs(n) for n in self.normal]
		self.sorted = [_sorted_tokens(n) for n in self.normal]
		self.alphabet = _ByteAlphabet(self.sorted)
		self.coarse = [self.alphabet(s) for s in self.sorted]
		self.features: list[_Features] = []  # tokens for conflicts(), made on the first suggestions
		self.by_lookup: dict[tuple, list[int]] = {}

	def __len__(self) -> int:
		return len(self.keys)

	def suggest(self, name: str | None, code: str | None = None, limit: int = 3) -> list[Suggestion]:
		"""The ``limit`` best candidates for one name (and its code, if the distributor gave ours)."""
		return self.suggest_many([(name, code)], limit)[0]

	def suggest_many(
		self, queries: Sequence[tuple[str | None, str | None]], limit: int = 3
	) -> list[list[Suggestion]]:
		"""Suggestions for many (name, code) pairs at once: one cdist pass over every candidate."""
		if not self.keys:
			return [[] for _ in queries]
		normal = [normalize_name(name) for name, _code in queries]
		distinct = list(dict.fromkeys(n for n in normal if n))
		by_text = dict(zip(distinct, self._rescore(distinct, self._shortlists(distinct)), strict=True))
		self._index_features()
		features: dict[str | None, tuple[_Features, list[int]]] = {}
		out = []
		for (name, code), text in zip(queries, normal, strict=True):
			scored = by_text.get(text, [])
			exact = self.by_code.get(normalize_code(code)) if code else None
			if exact is not None:
				scored = [(100.0, exact), *(s for s in scored if s[1] != exact)]
			if not scored:
				out.append([])
				continue
			if name not in features:
				found = _features(name)
				features[name] = (found, self.by_lookup.get(_lookup_key(found), []))
			found, alike = features[name]
			if alike:  # items that may agree token by token though the fuzzy scores missed them
				seen = {i for _s, i in scored}
				agree = [i for i in alike if i not in seen and not _conflicts(found, self.features[i])]
				scored = [*scored, *((0.0, i) for i in agree)]  # scored 100 by _judge
			out.append(self._judge(found, scored, exact, limit))
		return out

	def _index_features(self) -> None:
		"""Every candidate's tokens (for conflicts) and its lookup key: made on the first suggestions."""
		if self.features or not self.names:
			return
		self.features = [_features(name) for name in self.names]
		for i, features in enumerate(self.features):
			self.by_lookup.setdefault(_lookup_key(features), []).append(i)

	def _judge(
		self, name: _Features, scored: list[tuple[float, int]], exact: int | None, limit: int
	) -> list[Suggestion]:
		"""The ``limit`` best suggestions with their conflicts (see :func:`conflicts`): a candidate that
		agrees with the name on every token scores 100 (the same product, spelled differently), one that
		disagrees at most 99; a code equal to ours stays first with its 100 (its conflicts still listed)."""
		features = self.features
		judged = []
		for score, i in scored:
			item = features[i]
			found = tuple(_conflicts(name, item)) if item.gate == name.gate else None  # None: some
			if found == ():
				score = 100.0
			elif i != exact:
				score = min(score, 99.0)
			judged.append((score, i, found))
		judged.sort(key=lambda s: (s[1] != exact, -s[0], self.normal[s[1]], s[1]))
		judged = [
			(score, i, tuple(_conflicts(name, features[i])) if found is None else found)
			for score, i, found in judged[:limit]
		]
		return [Suggestion(self.keys[i], self.names[i], score, found) for score, i, found in judged]

	def _shortlists(self, texts: list[str]) -> list[list[int]]:
		"""For each normalised text, the indexes of its SHORTLIST nearest candidates (coarse score)."""
		import numpy as np
		from rapidfuzz import fuzz, process

		k = min(SHORTLIST, len(self.keys))
		result: list[list[int]] = []
		for start in range(0, len(texts), _BLOCK):
			block = texts[start : start + _BLOCK]
			exact = [self.by_name.get(t) for t in block]
			coarse = [self.alphabet(_sorted_tokens(t)) for t in block]
			scores = process.cdist(coarse, self.coarse, scorer=fuzz.ratio, dtype=np.uint8, workers=-1)
			# near the best coarse score only (a full argpartition of every row costs more than cdist)
			floor = scores.max(axis=1).astype(np.int16) - SHORTLIST_BAND
			rows, cols = np.nonzero(scores >= np.clip(floor, 0, 255).astype(np.uint8)[:, None])
			near: list[list[int]] = [[] for _ in block]
			for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
				near[r].append(c)
			for r, same in enumerate(exact):
				row = near[r]
				if len(row) > k:
					row = [row[i] for i in np.argsort(-scores[r, row].astype(np.int16), kind="stable")[:k]]
				result.append(list(dict.fromkeys([*(same or ()), *row])))
		return result

	def _rescore(self, texts: list[str], shortlists: list[list[int]]) -> list[list[tuple[float, int]]]:
		"""Finer scores of every (text, shortlisted candidate) pair, computed pairwise in C (cpdist):
		0.6 x ratio of the token-sorted names + 0.4 x token-set ratio, at most 99 unless the normalised
		names are equal (100), minus PACK_PENALTY when the pack sizes differ. Best first per text."""
		import numpy as np
		from rapidfuzz import fuzz, process

		owner = [t for t, shortlist in enumerate(shortlists) for _i in shortlist]
		cands = [i for shortlist in shortlists for i in shortlist]
		if not cands:
			return [[] for _ in texts]
		ordered = [_sorted_tokens(t) for t in texts]
		sorted_ratio = process.cpdist(
			[ordered[t] for t in owner], [self.sorted[i] for i in cands], scorer=fuzz.ratio, workers=-1
		)
		set_ratio = process.cpdist(
			[texts[t] for t in owner],
			[self.normal[i] for i in cands],
			scorer=fuzz.token_set_ratio,
			workers=-1,
		)
		scores = np.minimum(0.6 * sorted_ratio + 0.4 * set_ratio, 99.0)
		packs = [_packs(t) for t in texts]
		for n, (t, i) in enumerate(zip(owner, cands, strict=True)):
			if self.normal[i] == texts[t]:
				scores[n] = 100.0
			elif packs[t] and self.packs[i] and not packs[t] & self.packs[i]:
				scores[n] = max(0.0, scores[n] - PACK_PENALTY)
		scores = np.round(scores, 1).tolist()
		result: list[list[tuple[float, int]]] = [[] for _ in texts]
		for t, i, score in zip(owner, cands, scores, strict=True):
			result[t].append((score, i))
		for scored in result:
			scored.sort(key=lambda s: (-s[0], self.normal[s[1]], s[1]))
		return result


def decide(suggestions: Sequence[Suggestion], threshold: float) -> tuple[str | None, str]:
	"""(key, "Auto") when the best suggestion

	1. agrees with the distributor's name on every distinguishing token (no ``conflicts``), and
	2. reaches ``threshold``, and
	3. leads by MARGIN points every other suggestion that has no conflicts either (two of our items
	   that both fit the name are for a person to tell apart; one that disagrees on a token is not
	   the product whatever its score);

	otherwise (best key or None, "Review") for a person to confirm. The margin guards against two
	similar items of ours, the conflicts against a product we do not sell at all."""
	if not suggestions:
		return None, "Review"
	best = suggestions[0]
	runner_up = max((s.score for s in suggestions[1:] if not s.conflicts), default=0.0)
	if not best.conflicts and best.score >= threshold and best.score - runner_up >= MARGIN:
		return best.key, "Auto"
	return best.key, "Review"
