"""Names and codes as distributors write them, folded to one spelling (SEC-2): Arabic/Persian letters and
digits, Cyrillic look-alikes, full-width forms, case, punctuation and pack sizes in fa, ru and zh.
The folded name is the key of stored mappings: change it only with a migration of those keys."""

import re
import unicodedata

from distribution_sales.rules.text import normalize_text

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
