"""Dates as distributors write them: Gregorian and Jalali, numeric, Chinese and compact forms, Excel
serials."""

import datetime
import re

from distribution_sales.parsing.numbers import _DIGITS
from distribution_sales.parsing.spec import DATE_FORMATS
from distribution_sales.rules import RuleError, _

# ---------------------------------------------------------------------------------------------- dates

_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_NUMERIC_DATE = re.compile(r"(\d{1,4})\s*[./\-\s]\s*(\d{1,2})\s*[./\-\s]\s*(\d{1,4})(?:[ T].*)?")
_CHINESE_DATE = re.compile(r"(\d{2,4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?(?:\s.*)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")


def _gregorian(y: int, m: int, d: int) -> datetime.date:
	if not 1900 <= y <= 2200:
		raise ValueError
	return datetime.date(y, m, d)


def _jalali(y: int, m: int, d: int) -> datetime.date:
	import jdatetime

	if not 1300 <= y <= 1599:
		raise ValueError
	return jdatetime.date(y, m, d).togregorian()


def _year(text: str) -> int:
	y = int(text)
	return 2000 + y if len(text) <= 2 else y


def _from_parts(a: str, b: str, c: str, fmt: str) -> datetime.date:
	if len(a) == 4:  # a four-digit first part is a year whatever the profile says
		y = int(a)
		if fmt == "jalali" or (fmt == "auto" and y < 1600):
			return _jalali(y, int(b), int(c))
		return _gregorian(y, int(b), int(c))
	if fmt == "jalali":
		if len(c) != 4:
			raise ValueError
		return _jalali(int(c), int(b), int(a))
	if len(c) not in (2, 4):
		raise ValueError
	if fmt == "ymd":
		return _gregorian(_year(a), int(b), int(c))
	if fmt == "auto" and len(c) == 4 and int(c) < 1600:
		return _jalali(int(c), int(b), int(a))
	y = _year(c)
	if fmt == "mdy" or (fmt == "auto" and int(a) <= 12 < int(b)):
		return _gregorian(y, int(a), int(b))
	return _gregorian(y, int(b), int(a))


def parse_date(value, fmt: str = "auto") -> datetime.date:
	"""A date as distributors print it; raises RuleError when it is not one.

	``fmt``: "jalali" (1403/07/15, ۱۴۰۳/۰۷/۱۵, 1403-7-5, 14030715), "ymd", "dmy" (05.07.2024), "mdy",
	"chinese" (2024年7月5日) or "auto" (a year below 1600 is Jalali; 2024年7月5日 is Chinese; a/b/yyyy is
	day first unless the first part is above 12). Excel dates and serial numbers are read in every
	Gregorian format; a four-digit first part is always the year. A time after the date is ignored.
	"""
	if isinstance(value, datetime.datetime):
		return value.date()
	if isinstance(value, datetime.date):
		return value
	if fmt not in DATE_FORMATS:
		raise RuleError(_("Unknown date format {0}"), fmt)
	if isinstance(value, int | float) and not isinstance(value, bool):
		if value == int(value) and 10_000_000 <= value <= 99_999_999:
			value = str(int(value))  # 14030715 / 20240705 stored as a number
		elif fmt != "jalali" and 1 <= value < 2_958_466:
			return _EXCEL_EPOCH + datetime.timedelta(days=int(value))
		else:
			raise RuleError(_("{0} is not a valid date"), str(value))
	text = str(value).translate(_DIGITS).strip()
	try:
		if "年" in text:
			m = _CHINESE_DATE.fullmatch(text)
			if m:
				return _gregorian(_year(m[1]), int(m[2]), int(m[3]))
			raise ValueError
		m = _NUMERIC_DATE.fullmatch(text)
		if m:
			return _from_parts(m[1], m[2], m[3], "ymd" if fmt == "chinese" else fmt)
		m = _COMPACT_DATE.fullmatch(text)
		if m:
			return _from_parts(m[1], m[2], m[3], "ymd" if fmt == "chinese" else fmt)
		if fmt != "jalali" and _SERIAL.fullmatch(text):
			return _EXCEL_EPOCH + datetime.timedelta(days=int(float(text)))
	except ValueError:
		pass
	raise RuleError(_("{0} is not a valid date"), str(value).strip())


def to_jalali(value: datetime.date) -> tuple[int, int, int]:
	"""(year, month, day) of a Gregorian date in the Jalali calendar."""
	import jdatetime

	j = jdatetime.date.fromgregorian(date=value)
	return j.year, j.month, j.day
