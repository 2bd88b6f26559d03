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
   differs from the name's loses points;
4. each candidate is checked token by token with :func:`conflicts`: one that agrees with the name on
   every distinguishing token (brand and product words, numbers with their units, negations, flavours;
   brands compared across scripts in Latin letters) scores 100, one that disagrees at most 99 and
   carries the disagreeing tokens in ``Suggestion.conflicts``. Items that may agree but that the fuzzy
   scores missed (a long brand in another script) are found by a script-free key and checked too.

:func:`decide` accepts the best suggestion automatically only when it has no conflicts, reaches the
profile's threshold and is clearly ahead of any other suggestion without conflicts; otherwise the name
waits for review. A high fuzzy score never accepts a product we do not sell: "Молоко Домик в деревне
2,5% 900г" is not our 3,2% milk, «آب معدنی بدون گاز» is not our sparkling water.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

from distribution_sales.rules.text import normalize_text

PACK_PENALTY = 25.0  # points off when the name says 500g and the candidate 900g
MARGIN = 5.0  # an automatic match must lead the runner-up without conflicts by this many points
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


# --- conflicts: the distinguishing tokens of two names must agree before a match is automatic ----------

_COUNT_UNITS = (
	"pcs|pc|pack|pk|шт|штук|штуки|пак|пакетиков|уп|عدد|عددی|تایی|"
	"个|包|袋|片|支|瓶|盒|罐|听|枚|粒|块|条|入|瓶装|包装|袋装|盒装|罐装|支装|听装"
).split("|")
_PERCENT_UNITS = ["%", "درصد", "процент", "процента", "процентов"]
# spellings read as quantities here but not (yet) by normalize_name, whose output keys stored mappings
_MORE_UNITS = {"кгр": ("g", 1000), "kgr": ("g", 1000), "грамма": ("g", 1), "литров": ("ml", 1000)}
_QUANTITY_PUNCTUATION = re.compile(r"[^\w.%×*]+|_|(?<!\d)\.|\.(?!\d)")
_PERCENT_SIGNS = str.maketrans({"٪": "%", "﹪": "%", "％": "%"})
_QUANTITY_UNITS = {
	**{_fold(k).replace(" ", ""): v for k, v in {**_UNITS, **_MORE_UNITS}.items()},
	**{_fold(k): ("pcs", 1) for k in _COUNT_UNITS},
	**{u if u == "%" else _fold(u): ("%", 1) for u in _PERCENT_UNITS},
}
_QUANTITY_SPELLINGS = sorted({*_UNIT_SPELLINGS, *(u.strip() for u in _QUANTITY_UNITS)}, key=len, reverse=True)
_QUANTITY = re.compile(
	r"(?<![\d.])(\d+(?:\.\d+)?) ?("
	+ "|".join(re.escape(u).replace(r"\ ", " ?") for u in _QUANTITY_SPELLINGS)
	+ r")(?![a-zа-яё\u0600-\u06ff])"
)
_MULTIPLIER = re.compile(r"(?<![\w.])(\d+) ?[x×*] ?(?=\d)|(?<![\w.])[x×*] ?(\d+)(?![\w.])")  # 6x500, x12
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")
_STANDALONE_UNITS = frozenset(_fold(u).strip() for u in _COUNT_UNITS if not _HAN.match(u))
_LOOKALIKE_LATIN = frozenset("abekmhopctyx")
# Latin letters typed inside a Russian word, read back as the Cyrillic letters they stand for
_CYRILLIC_OF_LOOKALIKE = str.maketrans("abekmhopctyx", "авекмнорстух")


class _Word(NamedTuple):
	folded: str  # spelling-folded as normalize_name does: equal strings are the same word
	text: str  # as written (case-folded, no look-alike folding): for display and transliteration
	script: str  # "latin", "cyrillic", "arabic", or "either" (Latin look-alike letters in a Russian name)
	at: int  # position among the name's words: only neighbours are joined


class _Features(NamedTuple):
	quantities: tuple[tuple[str, str], ...]  # (unit, amount): % g ml pcs, "" for a bare number
	han: str  # the Chinese characters in order
	words: tuple[_Word, ...]
	gate: tuple  # quantities and characters: names that agree have equal gates
	key: tuple  # gate and words: equal keys, nothing to compare


def _quantity(amount: str, unit: str, factor: float = 1) -> tuple[str, str]:
	return unit, _amount(float(amount) * factor)


def _features(name: str | None) -> _Features:
	"""The tokens of a name that tell products apart: quantities with their units, Chinese characters,
	and words with their script (for transliteration)."""
	text = unicodedata.normalize("NFKC", str(name or "")).translate(_PERCENT_SIGNS)
	text = unicodedata.normalize("NFKC", normalize_text(text).casefold())
	arabic = _ARABIC_SCRIPT.search(text) is not None
	text = _DECIMAL_COMMA.sub(".", text.translate(_ARABIC) if arabic else text)
	raw = _SPACES.sub(" ", _QUANTITY_PUNCTUATION.sub(" ", text))  # the letters as written
	cyrillic_name = _CYRILLIC.search(raw) is not None
	quantities: list[tuple[str, str]] = []

	def count(match: re.Match) -> str:
		quantities.append(_quantity(match[1] or match[2], "pcs"))
		return " " * len(match[0])  # blanks of the same length: positions stay raw's

	def quantity(match: re.Match) -> str:
		unit, factor = _QUANTITY_UNITS[match[2].replace(" ", "")]
		if not (unit == "pcs" and float(match[1]) == 1):  # "1 шт" says nothing
			quantities.append(_quantity(match[1], unit, factor))
		return " " * len(match[0])

	def number(match: re.Match) -> str:
		quantities.append(_quantity(match[0], ""))
		return " " * len(match[0])

	# the look-alike fold is one character for one too
	rest = _MULTIPLIER.sub(count, raw.translate(_LOOKALIKE) if cyrillic_name else raw)
	rest = _NUMBER.sub(number, _QUANTITY.sub(quantity, rest))
	han = "".join(_HAN.findall(rest))
	words = []
	for match in _WORD.finditer(_HAN.sub(" ", rest) if han else rest):
		word, written = match[0], raw[match.start() : match.end()]
		if word in _STANDALONE_UNITS:
			continue  # "шт", "عدد" without a number: the unit of measure column, not the product
		if cyrillic_name and _CYRILLIC.search(written):
			script = "cyrillic"
		elif arabic and _ARABIC_SCRIPT.search(written):
			script = "arabic"
		elif cyrillic_name and set(written) <= _LOOKALIKE_LATIN:
			script = "either"
		else:
			script = "latin"
		words.append(_Word(word, written, script, len(words)))
	quantities.sort()
	gate = (tuple(quantities), "".join(sorted(han)))
	return _Features(
		tuple(quantities), han, tuple(words), gate, (*gate, tuple(sorted(w.folded for w in words)))
	)


def conflicts(distributor_name: str | None, item_name: str | None) -> list[str]:
	"""The distinguishing tokens on which a distributor's name and one of our items disagree: empty when
	they name the same product, however differently spelled.

	Every token counts, on both sides: brand and product words, numbers with their unit (%, g, ml, l,
	kg, pack counts such as "6 шт", "x12", "۶ عددی", "12瓶装"; bare numbers too), negations («не»,
	«без», «بدون», «بی», «无», «不») and flavour words. Two tokens agree when they are

	* the same quantity: "0,5 кг" = "500 г", "1,5л" = "1500 мл", "3,2%" = "3.2 %" = "۳٫۲٪" (but 3.2%
	  is not 2.5%, nor a bare "3.2");
	* the same word after spelling folds (case, ё/е, Arabic/Persian letter forms, Latin look-alike
	  letters inside Russian words), or the same Chinese characters in any order;
	* one word written in two scripts: Cyrillic and Persian words are transliterated to Latin with
	  anyascii and compared with Latin ones ("Гринфилд" = "Greenfield", "کاله" = "Kalleh"; see
	  ``_same_word``). Within one script only equal spellings agree ("Добрый" is not "Добрыня");
	* neighbouring words written as one ("کم چرب" = "کمچرب", "سن ایچ" = "Sunich").

	A negation is a token like any other, so "газированная" never agrees with "негазированная" or
	with "не газированная" without its «не». A pack count of 1 ("1 шт") and a unit of measure without
	a number ("шт", "عدد") say nothing about the product and are left out.

	Each entry of the result is "+token" (only in the distributor's name), "-token" (only in the
	item's) or "3.2% vs 2.5%" (the same unit, two values); tokens as written, not transliterated.
	"""
	return _conflicts(_features(distributor_name), _features(item_name))


def _conflicts(name: _Features, item: _Features) -> list[str]:
	if name.key == item.key:
		return []
	out = []
	if name.quantities != item.quantities:
		out += _quantity_conflicts(name.quantities, item.quantities)
	if name.gate[1] != item.gate[1]:
		out += [*_han_runs(name.han, item.han, "+"), *_han_runs(item.han, name.han, "-")]
	if name.key[2] != item.key[2]:
		out += _word_conflicts(name.words, item.words)
	return out


def _difference(a: Sequence, b: Sequence) -> tuple[list, list]:
	"""(what a has and b has not, what b has and a has not), as multisets; tiny lists, no Counter."""
	rest, extra = list(b), []
	for x in a:
		try:
			rest.remove(x)
		except ValueError:
			extra.append(x)
	return extra, rest


def _show(quantity: tuple[str, str]) -> str:
	unit, amount = quantity
	return f"{amount}{unit}"


def _quantity_conflicts(name: tuple, item: tuple) -> list[str]:
	extra, missing = _difference(name, item)
	out = []
	for unit in sorted({u for u, _a in (*extra, *missing)}):
		ours = [q for q in extra if q[0] == unit]
		theirs = [q for q in missing if q[0] == unit]
		out += [f"{_show(a)} vs {_show(b)}" for a, b in zip(ours, theirs, strict=False)]
		out += [f"+{_show(q)}" for q in ours[len(theirs) :]]
		out += [f"-{_show(q)}" for q in theirs[len(ours) :]]
	return out


def _han_runs(text: str, other: str, sign: str) -> list[str]:
	"""The runs of characters of ``text`` that ``other`` has not (as a multiset), signed."""
	rest, runs, run = list(other), [], ""
	for c in text:
		if c in rest:
			rest.remove(c)
			if run:
				runs.append(sign + run)
				run = ""
		else:
			run += c
	return [*runs, sign + run] if run else runs


def _unpaired(name: Sequence[_Word], item: Sequence[_Word]) -> tuple[list[_Word], list[_Word]]:
	"""The words of each side that the other has not in the same spelling."""
	rest, left = list(item), []
	for word in name:
		for n, other in enumerate(rest):
			if other.folded == word.folded:
				del rest[n]
				break
		else:
			left.append(word)
	return left, rest


def _joined(words: Sequence[_Word]) -> _Word:
	scripts = {w.script for w in words} - {"either"}
	script = scripts.pop() if len(scripts) == 1 else "either" if not scripts else "mixed"
	return _Word("".join(w.folded for w in words), "".join(w.text for w in words), script, words[0].at)


def _pair_off(left: list[_Word], right: list[_Word]) -> None:
	"""Remove from both lists the words that agree one to one across scripts, then runs of 2-3
	neighbours of one side written as one word on the other."""
	scripts = {w.script for w in left} | {w.script for w in right}
	cross = len(scripts) > 1 or "either" in scripts
	if cross:
		for word in list(left):
			match = next((other for other in right if _same_word(word, other)), None)
			if match is not None:
				left.remove(word)
				right.remove(match)
	for side, other in ((left, right), (right, left)):
		for size in (3, 2):
			start = 0
			while start + size <= len(side) and other:
				run = side[start : start + size]
				if run[-1].at - run[0].at == size - 1:
					whole = _joined(run)
					match = next(
						(o for o in other if o.folded == whole.folded or (cross and _same_word(whole, o))),
						None,
					)
					if match is not None:
						del side[start : start + size]
						other.remove(match)
						continue
				start += 1


def _word_conflicts(name: Sequence[_Word], item: Sequence[_Word]) -> list[str]:
	left, right = _unpaired(name, item)
	if left and right:
		_pair_off(left, right)
	return [*(f"+{w.text}" for w in left), *(f"-{w.text}" for w in right)]


def _same_word(a: _Word, b: _Word) -> bool:
	"""One word in two spellings: equal when folded; across scripts, the same Latin transliteration.

	Cyrillic and Latin both write vowels, so their Latin forms must be equal once the usual variants of
	transliteration are folded (``_latin_spelling``: ee/ie = i, kh = h, -iy/-yy/-yi = -y, c = k or s...).
	Persian writes no short vowels and anyascii drops alef, so a Persian word agrees with a Latin (or
	transliterated Cyrillic) word when its consonants are the Latin word's, in order, with the long
	vowels «و» «ی» where the Latin word has o/u or i/y (``_persian_pattern``): "Kalleh" = «کاله»,
	"Minoo" = «مینو», but "Kala" is not «کاله» and "Mina" is not «مینو»."""
	if a.folded == b.folded:
		return True
	if a.script == b.script and a.script != "either":
		return False  # one script: only the same spelling
	if a.script == "mixed" or b.script == "mixed":
		return False
	if "arabic" in (a.script, b.script):
		persian, other = (a, b) if a.script == "arabic" else (b, a)
		written = _ascii(persian.text)
		return any(_persian_pattern(latin).fullmatch(written) for latin in _latin_readings(other))
	return bool(
		{_latin_spelling(x) for x in _latin_readings(a)} & {_latin_spelling(x) for x in _latin_readings(b)}
	)


@lru_cache(maxsize=65536)
def _ascii(text: str) -> str:
	"""A word in Latin letters (anyascii), lower case, letters only."""
	from anyascii import anyascii

	return re.sub(r"[^a-z]+", "", anyascii(text).lower())


def _latin_readings(word: _Word) -> tuple[str, ...]:
	if word.script == "cyrillic":
		return (_ascii(word.text.translate(_CYRILLIC_OF_LOOKALIKE)),)
	if word.script == "either":
		return (_ascii(word.text), _ascii(word.text.translate(_CYRILLIC_OF_LOOKALIKE)))
	return (_ascii(word.text),)


_LATIN_VARIANTS = [
	("shch", "sh"),
	("sch", "sh"),
	("tch", "ch"),
	("ph", "f"),
	("kh", "h"),
	("ck", "k"),
	("q", "k"),
	("x", "ks"),
	("w", "v"),
	("ee", "i"),
	("ie", "i"),
	("oo", "u"),
	("ou", "u"),
	("ei", "ey"),
	("iy", "y"),
	("yy", "y"),
	("yi", "y"),
	("ij", "y"),
]


@lru_cache(maxsize=65536)
def _latin_spelling(latin: str) -> str:
	"""One Latin spelling for the ways a Russian word is transliterated (Greenfield/grinfild)."""
	text = latin
	for old, new in _LATIN_VARIANTS:
		text = text.replace(old, new)
	text = re.sub(r"c(?!h)", "k", re.sub(r"c(?=[eiy])", "s", text))
	return re.sub(r"(.)\1+", r"\1", text)


_PERSIAN_CONSONANTS = {
	"sh": "sh",
	"ch": "ch",
	"kh": "(?:kh|h)",
	"zh": "zh",
	"gh": "(?:gh|q)",
	"th": "(?:th|t|s)",
	"dh": "(?:dh|z)",
	"ph": "f",
	"ck": "k",
	"c": "k",
	"q": "(?:q|gh)",
	"k": "k",
	"s": "(?:s|th)",
	"z": "(?:z|dh)",
	"v": "[vw]",
	"w": "[vw]",
	"x": "ks",
}


_LATIN_SOUNDS = re.compile(r"sh|ch|kh|zh|gh|th|dh|ph|ck|[aeiouy]+|[a-z]")


@lru_cache(maxsize=65536)
def _persian_pattern(latin: str) -> re.Pattern:
	"""A Latin word as Persian writes it, as a pattern over anyascii's Persian: consonants in order,
	i/y as an optional «ی» (y), o/u as an optional «و» (w), a and e unwritten (alef, short vowels), a
	final e as an optional «ه» (h), an optional «آ» (a) first; doubled letters once."""
	sounds = _LATIN_SOUNDS.findall(latin)
	parts: list[str] = []
	for n, sound in enumerate(sounds):
		if sound[0] not in "aeiouy":
			part = _PERSIAN_CONSONANTS.get(sound, re.escape(sound))
			if not parts or parts[-1] != part:
				parts.append(part)
			continue
		vowels = "a?" if n == 0 else ""
		if "i" in sound or "y" in sound or "ee" in sound:
			vowels += "y?"
		if "o" in sound or "u" in sound:
			vowels += "w?"
		if sound == "e" and n == len(sounds) - 1:
			vowels += "h?"
		parts.append(vowels)
	return re.compile("".join(parts))


_SKELETON_SOUNDS = [("gh", "k"), ("q", "k"), ("kh", "h"), ("th", "t"), ("dh", "z")]
_VOWELS_AND_GLIDES = re.compile(r"[aeiouywv]+")


@lru_cache(maxsize=65536)
def _skeleton(word: str, script: str) -> str:
	"""The consonants of a word's Latin form, for finding candidates only (lossy: conflicts() decides):
	words that _same_word finds equal have equal skeletons ("Kalleh", «کاله» -> "kl"). Persian is
	transliterated letter by letter («پگاه» is p-g-h, not p-gh)."""
	if script == "arabic":
		text = "".join(_sound(_ascii(c)) for c in word)
	else:
		text = _sound(_latin_spelling(_latin_readings(_Word(word, word, script, 0))[-1]))
	return re.sub(r"(.)\1+", r"\1", _VOWELS_AND_GLIDES.sub("", text)).removesuffix("h")


def _sound(text: str) -> str:
	for old, new in _SKELETON_SOUNDS:
		text = text.replace(old, new)
	return text


def _lookup_key(features: _Features) -> tuple:
	"""A key that names agreeing on every token share whatever their scripts: quantities, characters
	and the consonants of all words (a multiset, so that words written as one still share it)."""
	letters = "".join(_skeleton(w.text, w.script) for w in features.words)
	return (*features.gate, "".join(sorted(letters)))


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
