"""Numbers as distributors write them: Persian/Arabic and full-width digits, decimal and thousands marks
of fa, ru and zh styles, currency signs."""

import math
import re
import unicodedata

from distribution_sales.rules import RuleError, _

# ---------------------------------------------------------------------------------------------- digits


def _digit_table() -> dict[int, str]:
	table = {}
	for zero in ("۰", "٠", "０"):  # Persian, Arabic-Indic, full-width
		table.update({ord(zero) + i: str(i) for i in range(10)})
	return table


_DIGITS = _digit_table()
# what a number may carry besides digits, folded to ASCII: Arabic decimal/thousands marks, full-width signs
_NUMBER_MARKS = {
	ord("٫"): ".",
	ord("٬"): ",",
	ord("，"): ",",
	ord("．"): ".",
	ord("－"): "-",
	ord("−"): "-",  # minus sign
	ord("＋"): "+",
	ord("（"): "(",
	ord("）"): ")",
	ord("\u066c"): ",",
}
_NUMBER_TABLE = {**_DIGITS, **_NUMBER_MARKS}
_SPACE_CHARS = re.compile(r"[\s\u00a0\u2007\u2009\u202f'’]")
_CURRENCY = re.compile(r"^[¥￥₽$€﷼]|[¥￥₽$€﷼]$|\s*(?:руб\.?|р\.|ریال|تومان|元)$")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_GROUPED = re.compile(r"\d{1,3}(?:X\d{3})+")
_OTHER_MARK = {",": ".", ".": ","}


def _fold_width(text: str) -> str:
	"""Full-width ASCII (as Chinese input methods type it) to ASCII."""
	if text.isascii():
		return text
	return unicodedata.normalize("NFKC", text) if any("\uff01" <= c <= "\uff5e" for c in text) else text


def parse_number(text, decimal_separator: str = ".", thousands_separator: str = "") -> float:
	"""A number as distributors print it: ``1 234,50``, ``1,234.50``, ``۱۲٬۳۴۵٫۵``, ``(12)``, ``12-``.

	``thousands_separator`` "" accepts ``,`` ``٬`` ``.`` spaces and apostrophes as thousands marks only
	when the digits are grouped by three (``1,234`` but not ``1,23``, which reads as a decimal comma
	when the profile's separator is not used in the number). Raises RuleError when it is not a number.

	One number alone cannot tell whether ``1,000`` is a thousand or one: the reader checks every number
	column as a whole (:class:`_Marks`).
	"""
	value, _role = _number(text, decimal_separator, thousands_separator)
	if value is None:
		raise RuleError(_("{0} is not a number"), str(text).strip())
	return value


def _number(text, decimal_separator: str, thousands_separator: str) -> tuple[float | None, tuple | None]:
	""":func:`parse_number` (None when it is not a number), and what the number's "," or "." says it is
	(:func:`_mark_role`), also when the separators given cannot read it ("1.234.567" with a decimal point)."""
	if isinstance(text, bool):
		return None, None
	if isinstance(text, int | float):
		return (float(text) if math.isfinite(text) else None), None
	raw = str(text)
	s = raw.strip()
	if _PLAIN_NUMBER.fullmatch(s) and (
		"." not in s or (decimal_separator == "." and thousands_separator != ".")
	):
		return float(s), (_mark_role(s.lstrip("-").translate(_DIGITS)) if "." in s else None)
	s = s.translate(_NUMBER_TABLE)
	s = _CURRENCY.sub("", s).strip()
	s = _SPACE_CHARS.sub("", s)
	negative = False
	if s.startswith("(") and s.endswith(")"):
		negative, s = True, s[1:-1]
	if s.endswith("-"):
		negative, s = not negative, s[:-1]
	if s.startswith(("-", "+")):
		negative, s = (not negative) if s[0] == "-" else negative, s[1:]
	role = _mark_role(s)
	decimal = decimal_separator.translate(_NUMBER_MARKS)
	try:
		if role is not None and not thousands_separator:
			value = _told(s, role, decimal)
		else:
			value = _unsigned(s, decimal, thousands_separator.translate(_NUMBER_MARKS))
	except ValueError:  # digits of other scripts that str.isdigit() accepts but float() does not
		value = None
	if value is None:
		return None, role
	return (-value if negative else value), role


def _mark_role(s: str) -> tuple[str, str] | None:
	"""What the "," or "." of an unsigned number (digits and marks folded to ASCII, spaces dropped) says
	it is, whatever a profile says: ``(mark, "decimal")`` ("1234,5", "0,500", "1,234.5" for the point),
	``(mark, "thousands")`` ("1,234,567"), ``(mark, "either")`` for one mark before three digits after
	one to three ("1,000": a thousand, or one), None when the number has no mark or is not one."""
	comma, point = "," in s, "." in s
	if not comma and not point:
		return None
	if comma and point:
		last, other = (",", ".") if s.rfind(",") > s.rfind(".") else (".", ",")
		whole, _sep, frac = s.rpartition(last)
		if frac.isdigit() and _GROUPED.fullmatch(whole.replace(other, "X")):
			return last, "decimal"
		return None
	mark = "," if comma else "."
	if s.count(mark) > 1:
		return (mark, "thousands") if _GROUPED.fullmatch(s.replace(mark, "X")) else None
	whole, _sep, frac = s.partition(mark)
	if not frac.isdigit() or (whole and not whole.isdigit()):
		return None
	if len(frac) == 3 and 0 < len(whole) <= 3 and whole[0] != "0":
		return mark, "either"
	return mark, "decimal"


def _told(s: str, role: tuple[str, str], decimal: str) -> float | None:
	"""What :func:`_unsigned` reads without a thousands separator, from what :func:`_mark_role` has
	already seen in ``s`` (the marks are not looked at twice)."""
	mark, kind = role
	other = _OTHER_MARK[mark]
	if other in s:  # "1,234.5": the last mark is the decimal one, the other groups thousands
		return float(s.replace(other, "").replace(mark, "."))
	if kind == "thousands":
		return float(s.replace(mark, "")) if mark != decimal else None
	if mark == decimal:
		return float(s.replace(mark, "."))
	if kind == "either":
		return float(s.replace(mark, ""))  # "1,000" with a decimal point: a thousand
	return _unsigned(s, decimal, "")


def _unsigned(s: str, decimal: str, thousands: str) -> float | None:
	if not s or (not s[0].isdigit() and s[0] not in ".,"):
		return None
	if thousands and thousands.strip():
		s = s.replace(thousands, "")
	marks = [c for c in dict.fromkeys(s) if not c.isdigit()]
	if not marks:
		return float(s) if s.isascii() else None
	if len(marks) > 2:
		return None
	if len(marks) == 2:
		# "1,234.50" / "1.234,50": the last one is the decimal mark, the other groups thousands
		dec = max(marks, key=s.rfind)
		group = next(m for m in marks if m != dec)
		whole, _sep, frac = s.rpartition(dec)
		if not _GROUPED.fullmatch(whole.replace(group, "X")) or not frac.isdigit():
			return None
		return float(whole.replace(group, "") + "." + frac)
	mark = marks[0]
	if mark == decimal:
		if s.count(mark) != 1:
			return None
		whole, _sep, frac = s.partition(mark)
		if not (whole or frac) or (whole and not whole.isdigit()) or (frac and not frac.isdigit()):
			return None
		return float((whole or "0") + "." + (frac or "0"))
	if mark in ",.٬" and _GROUPED.fullmatch(s.replace(mark, "X")):
		return float(s.replace(mark, ""))  # "1,234" / "1.234.567": thousands
	if mark in ",." and s.count(mark) == 1:
		whole, _sep, frac = s.partition(mark)
		if whole.isdigit() and frac.isdigit():
			return float(whole + "." + frac)  # "2,5" in a "."-profile: one mark, not a thousands group
	return None


def format_number(
	value: float, decimal_separator: str = ".", thousands_separator: str = "", digits: str = "latin"
) -> str:
	"""The opposite of :func:`parse_number` (used by the sample generator and its tests)."""
	text = f"{abs(value):,.2f}" if thousands_separator else f"{abs(value):.2f}"
	if text.endswith(".00"):
		text = text[:-3]
	elif text.endswith("0") and "." in text:
		text = text[:-1]
	text = text.replace(",", "\0").replace(".", decimal_separator).replace("\0", thousands_separator)
	if digits == "persian":
		text = text.translate({ord(str(i)): "۰۱۲۳۴۵۶۷۸۹"[i] for i in range(10)})
	return ("-" if value < 0 else "") + text
