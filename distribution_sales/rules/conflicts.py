"""The distinguishing tokens of two names must agree before a match is automatic (SEC-2): brand and
product words, numbers with their units, negations and flavours; brands compared across scripts in
Latin letters (anyascii). :func:`conflicts` lists the tokens that disagree."""

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from distribution_sales.rules.names import (
	_ARABIC,
	_DECIMAL_COMMA,
	_LOOKALIKE,
	_SPACES,
	_UNIT_SPELLINGS,
	_UNITS,
	_amount,
	_fold,
)
from distribution_sales.rules.text import normalize_text

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
