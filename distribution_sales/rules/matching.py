"""Matching distributors' item and outlet names to ours (SEC-2): normalised names, ranked suggestions.

A distributor writes "Молоко 3,2% 900гр", "شير پاستوريزه ۹۰۰ گرمی" or "牛奶 ９００克" for an item we call
"Milk 3.2% 900g". :func:`normalize_name` folds what differs only in spelling (Arabic/Persian letters and
digits, Cyrillic letters that look Latin, full-width forms, case, punctuation, pack sizes written in
three languages); :class:`Matcher` ranks our candidates for each name with rapidfuzz:

1. a code equal to a candidate's code (normalised) scores 100;
2. every name is compared with every candidate in one ``rapidfuzz.process.cdist`` call per block of
   names (all cores, token-sorted ``ratio``; characters are mapped to one byte each so the bit-parallel
   path applies, which makes it several times faster for Persian, Russian and Chinese text);
3. the best few are scored again with the token-set ratio as well, and a candidate whose pack size
   differs from the name's loses points.

:func:`decide` accepts the best suggestion when it reaches the profile's threshold and is clearly ahead
of the next one; otherwise the name waits for review.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from distribution_sales.rules.text import normalize_text

PACK_PENALTY = 25.0  # points off when the name says 500g and the candidate 900g
MARGIN = 5.0  # an automatic match must lead the runner-up by this many points
SHORTLIST = 12  # at most this many candidates per name get the finer score...
SHORTLIST_BAND = 25  # ...those within this many points of the best coarse score
_BLOCK = 1024  # names per cdist call (memory: block x candidates bytes)

# Cyrillic letters that look like Latin ones, after casefolding (ё is written е more often than not)
_LOOKALIKE = str.maketrans(
	{
		"а": "a",
		"в": "b",
		"е": "e",
		"ё": "e",
		"к": "k",
		"м": "m",
		"н": "h",
		"о": "o",
		"р": "p",
		"с": "c",
		"т": "t",
		"у": "y",
		"х": "x",
		"і": "i",
		"ј": "j",
		"ѕ": "s",
	}
)
_ARABIC = {
	**{ord(c): "ا" for c in "أإآٱ"},
	ord("ة"): "ه",
	ord("ؤ"): "و",
	ord("ئ"): "ی",
	0x200C: " ",  # zero-width non-joiner: "شیر‌کاکائو" and "شیر کاکائو" are one name
	0x200D: None,
	0x200F: None,
	0x200E: None,
	**{c: None for c in range(0x064B, 0x0660)},  # harakat
	0x0670: None,
}
_DECIMAL_COMMA = re.compile(r"(?<=\d)[,٫](?=\d)")
_PUNCTUATION = re.compile(r"[^\w.]+|_|(?<!\d)\.|\.(?!\d)")
_SPACES = re.compile(r"\s+")

# unit spellings -> (canonical unit, factor); written as people do, folded like the names they stand in
_UNITS = {
	"g": ("g", 1),
	"gr": ("g", 1),
	"grm": ("g", 1),
	"gram": ("g", 1),
	"grams": ("g", 1),
	"г": ("g", 1),
	"гр": ("g", 1),
	"грамм": ("g", 1),
	"граммов": ("g", 1),
	"گرم": ("g", 1),
	"گرمی": ("g", 1),
	"克": ("g", 1),
	"kg": ("g", 1000),
	"kgs": ("g", 1000),
	"кг": ("g", 1000),
	"кило": ("g", 1000),
	"килограмм": ("g", 1000),
	"کیلو": ("g", 1000),
	"کیلوگرم": ("g", 1000),
	"کیلوگرمی": ("g", 1000),
	"公斤": ("g", 1000),
	"千克": ("g", 1000),
	"ml": ("ml", 1),
	"мл": ("ml", 1),
	"میلی لیتر": ("ml", 1),
	"میلیلیتر": ("ml", 1),
	"میلی لیتری": ("ml", 1),
	"毫升": ("ml", 1),
	"l": ("ml", 1000),
	"lt": ("ml", 1000),
	"ltr": ("ml", 1000),
	"liter": ("ml", 1000),
	"litre": ("ml", 1000),
	"л": ("ml", 1000),
	"лит": ("ml", 1000),
	"литр": ("ml", 1000),
	"литра": ("ml", 1000),
	"لیتر": ("ml", 1000),
	"لیتری": ("ml", 1000),
	"升": ("ml", 1000),
}


def _fold(text: str) -> str:
	"""Spelling-only differences folded; no pack sizes yet."""
	text = unicodedata.normalize("NFKC", text)
	text = unicodedata.normalize("NFKC", normalize_text(text).casefold())
	text = _DECIMAL_COMMA.sub(".", text.translate(_ARABIC))
	text = _PUNCTUATION.sub(" ", text)
	return text.translate(_LOOKALIKE)


_UNIT_SPELLINGS = sorted({_fold(k).strip() for k in _UNITS}, key=len, reverse=True)
_UNIT_BY_SPELLING = {_fold(k).replace(" ", ""): v for k, v in _UNITS.items()}
_PACK = re.compile(
	r"(?<![\d.])(\d+(?:\.\d+)?) ?("
	+ "|".join(re.escape(u).replace(r"\ ", " ?") for u in _UNIT_SPELLINGS)
	+ r")(?![a-zа-яё\u0600-\u06ff])"
)
_CANONICAL_PACK = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(g|ml)(?!\w)")


def _amount(number: float) -> str:
	number = round(number, 3)
	return str(int(number)) if number == int(number) else f"{number:.3f}".rstrip("0").rstrip(".")


def _canonical(match: re.Match) -> str:
	unit, factor = _UNIT_BY_SPELLING[match[2].replace(" ", "")]
	return f" {_amount(float(match[1]) * factor)}{unit} "


def normalize_name(text: str | None) -> str:
	"""One spelling of a product or outlet name for comparing: see the module's docstring.

	>>> normalize_name("Молоко 3,2% 900ГР.")
	'moлoko 3.2 900g'
	"""
	if not text:
		return ""
	text = _PACK.sub(_canonical, _fold(str(text)))
	return _SPACES.sub(" ", text).strip()


def pack_size(text: str | None) -> tuple[float, str] | None:
	"""The first pack size in a name, in grams or millilitres: "0,5 кг" -> (500.0, "g"); None if none."""
	match = _CANONICAL_PACK.search(normalize_name(text))
	return (float(match[1]), match[2]) if match else None


def _packs(normalised: str) -> frozenset:
	return frozenset(_CANONICAL_PACK.findall(normalised))


def normalize_code(text: str | None) -> str:
	"""A code for comparing: normalised, upper case, without spaces and punctuation ("dai-001" = "DAI 001")."""
	return re.sub(r"[\W_]+", "", _fold(text or "")).upper()


class Suggestion(NamedTuple):
	key: str
	name: str
	score: float


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
		out = []
		for (_name, code), text in zip(queries, normal, strict=True):
			scored = by_text.get(text, [])
			exact = self.by_code.get(normalize_code(code)) if code else None
			if exact is not None:
				scored = [(100.0, exact), *(s for s in scored if s[1] != exact)]
			out.append([Suggestion(self.keys[i], self.names[i], score) for score, i in scored[:limit]])
		return out

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
	"""(key, "Auto") when the best suggestion reaches ``threshold`` and leads the next by MARGIN points;
	otherwise (best key or None, "Review") for a person to confirm."""
	if not suggestions:
		return None, "Review"
	best = suggestions[0]
	runner_up = suggestions[1].score if len(suggestions) > 1 else 0.0
	if best.score >= threshold and best.score - runner_up >= MARGIN:
		return best.key, "Auto"
	return best.key, "Review"
