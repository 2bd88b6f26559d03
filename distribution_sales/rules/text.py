"""Normalising what people type: Persian/Arabic digits and letter variants, codes."""

import re
import unicodedata

from distribution_sales.rules import RuleError, _

# Persian (U+06F0..) and Arabic-Indic (U+0660..) digits to ASCII, Arabic letter variants to Persian.
_TRANSLATE = {ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")}
_TRANSLATE.update({ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")})
_TRANSLATE.update(
	{
		ord("ي"): "ی",  # Arabic yeh -> Farsi yeh
		ord("ى"): "ی",  # alef maksura -> Farsi yeh
		ord("ك"): "ک",  # Arabic kaf -> keheh
		ord("ـ"): None,  # tatweel (kashida) carries no meaning
		ord("٫"): ".",  # Arabic decimal separator
		ord("٬"): ",",  # Arabic thousands separator
		0x00A0: " ",  # no-break space
	}
)
_SPACES = re.compile(r"\s+")
_CODE_CHARS = re.compile(r"^[\w\-/.]+$")


def normalize_digits(value: str) -> str:
	"""Persian and Arabic-Indic digits to ASCII digits; nothing else changes."""
	return value.translate({k: v for k, v in _TRANSLATE.items() if v is not None and v.isdigit()})


def normalize_text(value: str | None) -> str:
	"""One spelling for what users type: NFC, ASCII digits, Persian ی/ک, single spaces, trimmed."""
	if not value:
		return ""
	value = unicodedata.normalize("NFC", str(value)).translate(_TRANSLATE)
	return _SPACES.sub(" ", value).strip()


def script_of(char: str) -> str | None:
	"""The writing system of a letter (LATIN, CYRILLIC, ARABIC, CJK, ...); None for non-letters."""
	if not char.isalpha():
		return None
	name = unicodedata.name(char, "")
	if name.startswith("CJK") or name.startswith(("HIRAGANA", "KATAKANA")):
		return "CJK"
	return name.split(" ", 1)[0] or None


def normalize_code(value: str | None, label: str = "Code") -> str:
	"""A code as stored: normalised, Latin letters upper-cased; no spaces, one script, no symbols.

	Raises RuleError for an empty code, a code with spaces, mixed scripts or other characters.
	"""
	code = normalize_text(value)
	if not code:
		raise RuleError(_("{0} is required"), label)
	if " " in code:
		raise RuleError(_("{0} {1} must not contain spaces"), label, code)
	if not _CODE_CHARS.match(code):
		raise RuleError(_("{0} {1} may only contain letters, digits and - _ / ."), label, code)
	scripts = {s for s in map(script_of, code) if s}
	if len(scripts) > 1:
		raise RuleError(
			_("{0} {1} mixes writing systems ({2}); use one"), label, code, ", ".join(sorted(scripts))
		)
	return code.upper()
