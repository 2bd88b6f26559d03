"""Reading distributors' sell-out files (SEC-1): CSV in any of their encodings, XLSX and XLS.

Plain Python over bytes or a path: the Frappe layer keeps the import profile, calls :func:`open_source`
and stores the batches. Everything is streamed in batches, so memory does not grow with the file:

* CSV is decoded by the ``csv`` module over a text stream; files that are regular (every row as wide as
  the header) take a faster path through ``pyarrow.csv.open_csv`` with every column read as text, and
  fall back to the ``csv`` module from the first irregular block on (row numbers stay exact).
* XLSX/XLS rows come from python-calamine one row at a time (calamine holds the sheet's cells in its own
  compact form; Python objects are made per batch only).

Values are converted once per distinct text (sell-out files repeat dates, quantities and names
heavily), so a cell costs a dictionary look-up. A row that cannot be read becomes a :class:`RowError`
with its row number and reason; the other rows are kept. Problems with the file as a whole (empty, not a
spreadsheet, unknown sheet, missing columns, undecodable text) raise :class:`RuleError` from
:func:`open_source`, before any row is produced.

Numbers are read per column, not per value: whether "1,000" is a thousand or one depends on the rest of
its column ("1234,5" in it means one). A Quantity or Amount column whose values contradict the profile's
separators or each other raises :class:`RuleError` from ``batches()`` (see :class:`_Marks`): from the
first batch when the values that disagree are in it, else from the batch that shows it, and then the
rows of the earlier batches were read under a contradicted assumption and must be dropped (the import
job runs in one transaction; :func:`parse_file` returns nothing).
"""

import codecs
import csv
import datetime
import hashlib
import io
import math
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from operator import itemgetter
from typing import NamedTuple

from distribution_sales.rules import RuleError, _
from distribution_sales.rules.text import normalize_text

FIELDS = (
	"date",
	"outlet_code",
	"outlet_name",
	"outlet_address",
	"outlet_city",
	"item_code",
	"item_name",
	"qty",
	"uom",
	"amount",
	"doc_no",
)
FIELD_LABELS = {
	"date": _("Date"),
	"outlet_code": _("Outlet Code"),
	"outlet_name": _("Outlet Name"),
	"outlet_address": _("Outlet Address"),
	"outlet_city": _("Outlet City"),
	"item_code": _("Item Code"),
	"item_name": _("Item Name"),
	"qty": _("Quantity"),
	"uom": _("UOM"),
	"amount": _("Amount"),
	"doc_no": _("Document Number"),
}
FILE_TYPES = ("csv", "xlsx", "xls")
DATE_FORMATS = {
	"auto": _("Detect"),
	"jalali": _("Jalali (1403/07/15)"),
	"ymd": _("Year Month Day (2024-07-05)"),
	"dmy": _("Day Month Year (05.07.2024)"),
	"mdy": _("Month Day Year (07/05/2024)"),
	"chinese": _("Chinese (2024年7月5日)"),
}
ENCODINGS = (
	"utf-8",
	"utf-8-sig",
	"windows-1256",
	"cp1251",
	"gbk",
)  # the ones a profile offers; any Python codec works
DELIMITERS = (";", ",", "\t", "|")
SAMPLE_BYTES = 1 << 20  # read to detect encoding and delimiter and to check for mixed encodings
_CHUNK = 1 << 20
_CACHE_LIMIT = 200_000  # distinct values remembered per column before the cache starts afresh


@dataclass(frozen=True)
class ImportSpec:
	"""How one distributor's file is read (the import profile, as plain data)."""

	file_type: str
	columns: dict[str, str]
	sheet: str | None = None
	header_row: int = 1
	delimiter: str | None = None
	date_format: str = "auto"
	decimal_separator: str = "."
	thousands_separator: str = ""
	encoding: str | None = None
	allow_returns: bool = False


class SellOutRow(NamedTuple):
	row_no: int
	date: datetime.date
	outlet_code: str
	outlet_name: str
	outlet_address: str
	outlet_city: str
	item_code: str
	item_name: str
	qty: float
	uom: str
	amount: float | None
	doc_no: str


class RowError(NamedTuple):
	row_no: int
	column: str
	template: str
	params: tuple

	@property
	def message(self) -> str:
		"""The English message (the Frappe layer translates ``template`` and formats it instead)."""
		return self.template.format(*self.params)


class Batch(NamedTuple):
	rows: list[SellOutRow]
	errors: list[RowError]


@dataclass
class Parsed:
	rows: list[SellOutRow] = field(default_factory=list)
	errors: list[RowError] = field(default_factory=list)
	encoding: str | None = None
	total_rows: int = 0
	period: tuple[datetime.date, datetime.date] | None = None
	headers: list[str] = field(default_factory=list)
	sheet_names: list[str] = field(default_factory=list)


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


# ---------------------------------------------------------------------------------------------- encodings

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_ENCODING_NAMES = {
	"utf_8": "utf-8",
	"utf-8": "utf-8",
	"utf8": "utf-8",
	"utf_8_sig": "utf-8-sig",
	"utf-8-sig": "utf-8-sig",
	"cp1256": "windows-1256",
	"windows-1256": "windows-1256",
	"windows_1256": "windows-1256",
	"cp1251": "cp1251",
	"windows-1251": "cp1251",
	"windows_1251": "cp1251",
	"gbk": "gbk",
	"gb2312": "gbk",
	"gb18030": "gbk",
	"cp936": "gbk",
}
_CANDIDATES = ["utf_8", "cp1256", "cp1251", "gb18030"]
# a run of UTF-8 letters of one script: impossible text in the single-byte code pages that share the bytes
_UTF8_RUNS = {
	"cp1251": re.compile(rb"[\xd0\xd1][\x80-\xbf][\xd0\xd1][\x80-\xbf][\xd0\xd1][\x80-\xbf]"),
	"windows-1256": re.compile(rb"[\xd8-\xdb][\x80-\xbf][\xd8-\xdb][\x80-\xbf][\xd8-\xdb][\x80-\xbf]"),
}
# the commonest letters in UTF-8 (Russian о а е, Persian ا و ی): a cheap look before the regex
_UTF8_MARKERS = {
	"cp1251": (b"\xd0\xbe", b"\xd0\xb0", b"\xd0\xb5"),
	"windows-1256": (b"\xd8\xa7", b"\xd9\x88", b"\xdb\x8c"),
}


def _codec(encoding: str) -> str:
	"""The Python codec that reads an encoding name; GBK files are read as GB18030, its superset."""
	name = _ENCODING_NAMES.get(encoding.lower().replace(" ", ""), encoding)
	return "gb18030" if name == "gbk" else name


def _cut_at_line(sample: bytes) -> bytes:
	end = sample.rfind(b"\n")
	return sample[: end + 1] if end > 0 else sample


def detect_encoding(data: bytes) -> str:
	"""The text encoding of a CSV sample: "utf-8", "utf-8-sig", "windows-1256", "cp1251", "gbk" or another
	that charset-normalizer names. Raises RuleError when the bytes are not text in any of them."""
	for bom, name in _BOMS:
		if data.startswith(bom):
			return name
	sample = data[:SAMPLE_BYTES]
	if len(data) > SAMPLE_BYTES:
		sample = _cut_at_line(sample)
	try:
		sample.decode("utf-8")
		return "utf-8"
	except UnicodeDecodeError:
		pass
	_refuse_mixed_utf8(sample)
	from charset_normalizer import from_bytes

	sample = _cut_at_line(sample[: 1 << 16]) if len(sample) > 1 << 16 else sample
	best = from_bytes(sample, cp_isolation=_CANDIDATES).best() or from_bytes(sample).best()
	if best is None:
		raise RuleError(
			_("The text encoding of the file could not be detected; set it in the import profile")
		)
	return _ENCODING_NAMES.get(best.encoding, best.encoding)


def _refuse_mixed_utf8(sample: bytes) -> None:
	"""Some lines are UTF-8 text and others are not: a file pasted together from two systems."""
	first_bad = None
	utf8_lines = 0
	for number, line in enumerate(sample.split(b"\n"), 1):
		if line.isascii():
			continue
		try:
			text = line.decode("utf-8")
		except UnicodeDecodeError:
			first_bad = first_bad or number
			continue
		if sum(c.isalpha() and not c.isascii() for c in text) >= 2:
			utf8_lines += 1
	if first_bad and utf8_lines:
		raise _mixed("utf-8", first_bad)


def _check_decodes(chunks: Iterator[bytes], encoding: str) -> None:
	"""Decode the whole file once (strictly, in chunks) so a file mixing encodings is refused before any
	row is stored; the message names the first line that cannot be read."""
	decoder = codecs.getincrementaldecoder(_codec(encoding))("strict")
	name = _ENCODING_NAMES.get(encoding.lower(), "")
	runs, markers = _UTF8_RUNS.get(name), _UTF8_MARKERS.get(name, ())
	lines = 0
	tail = b""
	for chunk in chunks:
		try:
			decoder.decode(chunk)
		except UnicodeDecodeError as e:
			raise _mixed(encoding, lines + chunk.count(b"\n", 0, max(e.start, 0)) + 1)
		if runs and any(marker in chunk for marker in markers):
			m = runs.search(tail + chunk)
			if m:
				raise _mixed(
					encoding, lines + (tail + chunk).count(b"\n", 0, m.start()) - tail.count(b"\n") + 1
				)
			tail = chunk[-8:]
		lines += chunk.count(b"\n")
	try:
		decoder.decode(b"", final=True)
	except UnicodeDecodeError:
		raise _mixed(encoding, lines + 1)


def _mixed(encoding: str, line: int) -> RuleError:
	return RuleError(
		_(
			"Line {0} of the file cannot be read as {1} text; the file may mix encodings. Save it again in one encoding (UTF-8) and import it again"
		),
		line,
		encoding,
	)


def _check_lines_agree(sample: bytes, encoding: str) -> None:
	"""In a file read in a legacy code page, a line that is valid UTF-8 with letters means mixed encodings."""
	if _ENCODING_NAMES.get(encoding.lower(), encoding) in ("utf-8", "utf-8-sig"):
		return
	for number, line in enumerate(sample.split(b"\n"), 1):
		if line.isascii():
			continue
		try:
			text = line.decode("utf-8")
		except UnicodeDecodeError:
			continue
		if sum(c.isalpha() and not c.isascii() for c in text) >= 2:
			raise _mixed(encoding, number)


# ---------------------------------------------------------------------------------------------- sources


def _read_head(source, size: int) -> tuple[bytes, int]:
	if isinstance(source, bytes | bytearray | memoryview):
		data = bytes(source)
		return data[:size], len(data)
	path = os.fspath(source)
	try:
		with open(path, "rb") as f:
			return f.read(size), os.fstat(f.fileno()).st_size
	except FileNotFoundError:
		raise RuleError(_("File {0} not found"), os.path.basename(path))


def _open_binary(source):
	if isinstance(source, bytes | bytearray | memoryview):
		return io.BytesIO(source)
	return open(os.fspath(source), "rb")


def _chunks(source) -> Iterator[bytes]:
	with _open_binary(source) as f:
		while chunk := f.read(_CHUNK):
			yield chunk


def file_hash(source) -> str:
	"""sha256 (hex) of the file's bytes, read in chunks (to refuse importing one file twice)."""
	digest = hashlib.sha256()
	for chunk in _chunks(source):
		digest.update(chunk)
	return digest.hexdigest()


def _norm_header(text) -> str:
	if text is None:
		return ""
	if isinstance(text, float) and text.is_integer():
		text = int(text)
	return normalize_text(_fold_width(str(text)).replace("\ufeff", "")).casefold().strip(" \"'")


_LETTERS = re.compile(r"[A-Z]{1,3}")


def _column_letter_index(letters: str) -> int:
	index = 0
	for c in letters:
		index = index * 26 + ord(c) - 64
	return index - 1


def _locate_columns(headers: list[str], spec: ImportSpec, offset: int = 0) -> dict[str, int]:
	"""FIELD -> column index in a row, by header text (normalised) or Excel column letter."""
	normal = [_norm_header(h) for h in headers]
	found, missing = {}, []
	for name in FIELDS:
		wanted = (spec.columns.get(name) or "").strip()
		if not wanted:
			continue
		key = _norm_header(wanted)
		if key in normal:
			found[name] = normal.index(key)
		elif _LETTERS.fullmatch(wanted) and _column_letter_index(wanted) - offset >= 0:
			found[name] = _column_letter_index(wanted) - offset
		else:
			missing.append(f"{wanted} ({FIELD_LABELS[name]})")
	if missing:
		shown = ", ".join(h for h in headers if str(h).strip()) or "-"
		raise RuleError(
			_("Columns not found in header row {0}: {1}. The header row has: {2}"),
			spec.header_row,
			"; ".join(missing),
			shown,
		)
	return found


def check_spec(spec: ImportSpec) -> None:
	"""The profile itself: file type, date format, header row and the fields every row needs."""
	if spec.file_type not in FILE_TYPES:
		raise RuleError(_("Unknown file type {0}; use one of {1}"), spec.file_type, ", ".join(FILE_TYPES))
	if spec.date_format not in DATE_FORMATS:
		raise RuleError(_("Unknown date format {0}"), spec.date_format)
	if spec.header_row < 1:
		raise RuleError(_("The header row must be 1 or more"))
	unknown = sorted(set(spec.columns) - set(FIELDS))
	if unknown:
		raise RuleError(_("Unknown fields in the column mapping: {0}"), ", ".join(unknown))
	mapped = {k for k, v in spec.columns.items() if v and str(v).strip()}
	needed = []
	for group in (("date",), ("qty",), ("item_code", "item_name"), ("outlet_code", "outlet_name")):
		if not mapped & set(group):
			needed.append(" / ".join(FIELD_LABELS[f] for f in group))
	if needed:
		raise RuleError(_("Map a column for: {0}"), ", ".join(needed))
	if spec.decimal_separator and spec.decimal_separator == spec.thousands_separator:
		raise RuleError(_("The decimal and thousands separators must differ"))
	if spec.encoding:
		try:
			codecs.lookup(_codec(spec.encoding))
		except LookupError:
			raise RuleError(_("Unknown encoding {0}"), spec.encoding)


# ---------------------------------------------------------------------------------------------- converting


class _Bad(NamedTuple):
	template: str
	params: tuple


_ROLE_LABELS = {"decimal": _("Decimal Separator"), "thousands": _("Thousands Separator")}
_SEPARATOR_LABELS = {".": _("Point"), ",": _("Comma"), " ": _("Space"), "'": _("Apostrophe")}


class _Marks:
	"""The decimal mark of one number column (Quantity or Amount), held against every value in it.

	A value's "," or "." may say what it is whatever the profile says (:func:`_mark_role`): "1234,5"
	has a decimal comma, "1,234,567" thousands commas and so a decimal point, "1,234.5" both; "1,000"
	says nothing (a thousand, or one). Each telling value implies the column's decimal mark.

	* With a thousands separator in the profile, the profile's decimal separator is the column's; a
	  value implying the other one contradicts the profile ("1234,5" or "1,5" while the thousands
	  separator is a comma: read as thousands they would be 12345 and 15).
	* With "Detect" (no thousands separator), the column's values decide: the first telling value sets
	  the decimal mark, and every value of its batch is read with it, so a Russian column with "1234,5"
	  reads its "1,000" as one. A column whose first values tell nothing ("1,000" only) is read with
	  the mark the file's other number column has told (1C prints quantities as "1,000" and amounts
	  as "1 234,50"), else with the profile's decimal separator. A value implying the other mark
	  contradicts the column's; so does one implying another mark than the one earlier batches read a
	  "1,000" with (those rows are gone already: they cannot be read again).

	A contradiction is a :class:`RuleError` naming the column, the row and the value, and both rows for
	two values that disagree: the file is refused, none of its figures are to be kept.
	"""

	def __init__(self, field: str, decimal: str, thousands: str):
		self.label = FIELD_LABELS[field]
		self.decimal = decimal  # the mark read as decimal now
		self.profile = (decimal, thousands)
		self.facts: dict[tuple[str, str], object] = {}  # (mark, role) -> first value, while converting
		# the decimal mark the column is known to have -> (row, value, mark, role) of the value that
		# settled it, None when the profile does
		self.known: dict[str, tuple | None] = {decimal: None} if thousands else {}
		self.either: list[tuple] = []  # (row, value, mark) of this batch's values that told nothing

	@property
	def blank(self) -> bool:
		"""Nothing is known of the column's marks yet, so plain numbers ("1.000") are looked at too; the fast
		paths for plain numbers skip that once something is known (they read with the known mark)."""
		return not self.known

	def settle(self, raw: list, row_nos: list[int]) -> bool:
		"""Take in what the values of one batch told (``facts``, filled while converting ``raw``); True when
		the column's decimal mark changed, so the batch must be read again. Raises RuleError. Values that
		tell nothing wait for :meth:`assume`."""
		telling = []
		for (mark, role), value in self.facts.items():
			if role == "either":
				if not self.known:
					self.either.append((row_nos[raw.index(value)], value, mark))
			elif self._implied(mark, role) not in self.known:
				telling.append((row_nos[raw.index(value)], value, mark, role))
		self.facts.clear()
		for row, value, mark, role in sorted(telling, key=itemgetter(0)):
			implied = self._implied(mark, role)
			if implied in self.known:
				continue
			if self.known:
				raise self._contradiction(row, value, mark, role)
			self.known[implied] = (row, value, mark, role)
		return self._read_as(next(iter(self.known), self.decimal))

	def assume(self, told: str | None) -> bool:
		"""After :meth:`settle` of the batch's number columns: a column whose values told nothing but have
		a mark ("1,000") is read with the mark ``told`` by the file's other number column, else with the
		profile's, and later values must agree. True when the batch must be read again."""
		either, self.either = self.either, []
		if self.known or not either:
			return False
		decimal = told or self.decimal
		row, value, mark = min(either)
		self.known[decimal] = (row, value, mark, "decimal" if mark == decimal else "thousands")
		return self._read_as(decimal)

	def learn(self, row: int, value: str) -> None:
		"""A plain number telling the decimal mark it was read with while nothing was known (the fast path)."""
		if not self.known:
			self.known[self.decimal] = (row, value, self.decimal, "decimal")

	def _read_as(self, decimal: str) -> bool:
		changed, self.decimal = decimal != self.decimal, decimal
		return changed

	@staticmethod
	def _implied(mark: str, role: str) -> str:
		return mark if role == "decimal" else _OTHER_MARK[mark]

	def _contradiction(self, row: int, value, mark: str, role: str) -> RuleError:
		earlier = next(iter(self.known.values()))
		if earlier is None:
			decimal, thousands = self.profile
			return RuleError(
				_(
					'Column {0}, row {1}: {2} has "{3}" as {4}, but the import profile has {5} as Decimal Separator and {6} as Thousands Separator. Nothing was imported: correct the import profile or the file and import it again'
				),
				self.label,
				row,
				_shown(value),
				_mark_shown(value, mark),
				_ROLE_LABELS[role],
				_SEPARATOR_LABELS.get(decimal, decimal),
				_SEPARATOR_LABELS.get(thousands, thousands),
			)
		first_row, first_value, first_mark, first_role = earlier
		return RuleError(
			_(
				'Column {0} mixes number formats: row {1} has {2} with "{3}" as {4}, but row {5} has {6} with "{7}" as {8}. Nothing was imported: set the Decimal Separator and Thousands Separator of the import profile to those of the file, or correct the file, and import it again'
			),
			self.label,
			first_row,
			_shown(first_value),
			_mark_shown(first_value, first_mark),
			_ROLE_LABELS[first_role],
			row,
			_shown(value),
			_mark_shown(value, mark),
			_ROLE_LABELS[role],
		)


def _mark_shown(value, mark: str) -> str:
	"""The character of ``value`` that folds to ``mark`` (the Arabic "٫" for "."), as the file has it."""
	return next((c for c in str(value) if c.translate(_NUMBER_MARKS) == mark), mark)


class _Converter:
	"""Turns the raw values of one batch into row values and row errors, once per distinct value."""

	def __init__(self, spec: ImportSpec, present: set[str]):
		self.spec = spec
		self.present = present
		self.caches: dict[str, dict] = {f: {} for f in FIELDS}
		decimal = (spec.decimal_separator or ".").translate(_NUMBER_MARKS)
		self.marks = {
			name: _Marks(name, decimal, spec.thousands_separator or "") for name in ("qty", "amount")
		}
		self.functions = {
			"date": partial(self._date, spec.date_format),
			"outlet_code": self._code,
			"item_code": self._code,
			"doc_no": self._code,
		}
		for name in self.marks:
			self._read_with(name)

	def _read_with(self, name: str) -> None:
		"""Convert number column ``name`` with its decimal mark as :class:`_Marks` knows it now."""
		marks = self.marks[name]
		dec, thou = marks.decimal, self.spec.thousands_separator or ""
		if name == "qty":
			self.functions[name] = partial(self._qty, dec, thou, self.spec.allow_returns, marks.facts)
		else:
			self.functions[name] = partial(self._amount, dec, thou, marks.facts)
			self._decimal = dec
			self._plain = re.compile(r"-?\d+(?:" + re.escape(dec) + r"\d+)?").fullmatch
		self.caches[name].clear()

	def arrow_amounts(self, column, first_row: int):
		"""A pyarrow text column of amounts whose first value is on row ``first_row``: numbers when
		pyarrow could convert them all (:func:`_arrow_amounts`), else the text for :meth:`column`."""
		return _arrow_amounts(column, self.marks["amount"], first_row)

	def amount(self, value):
		"""An amount: plain numbers ("1234.5", "1 234,5" in a comma profile) without parse_number (only
		once the column's decimal mark is known: a plain number with the mark cannot contradict it)."""
		if type(value) is str:
			plain = value.replace(" ", "").replace("\xa0", "") if self._decimal != " " else value
			if self._plain(plain):
				return float(plain.replace(self._decimal, ".") if self._decimal != "." else plain)
		return self.functions["amount"](value)

	@staticmethod
	def _date(fmt, value):
		if value == "" or value is None:
			return _Bad(_("{0} is empty"), (FIELD_LABELS["date"],))
		try:
			return parse_date(value, fmt)
		except RuleError as e:
			return _Bad(e.template, e.params)

	@staticmethod
	def _qty(dec, thou, allow_returns, facts, value):
		if value == "" or value is None:
			return _Bad(_("{0} is empty"), (FIELD_LABELS["qty"],))
		number, role = _number(value, dec, thou)
		if role is not None and role not in facts:
			facts[role] = value
		if number is None:
			return _Bad(_("{0} is not a number"), (_shown(value),))
		if number < 0 and not allow_returns:
			return _Bad(
				_("Negative quantity {0}: this import profile does not accept returns"), (_shown(value),)
			)
		return number

	@staticmethod
	def _amount(dec, thou, facts, value):
		if value == "" or value is None:
			return None
		number, role = _number(value, dec, thou)
		if role is not None and role not in facts:
			facts[role] = value
		if number is None:
			return _Bad(_("{0} is not a number"), (_shown(value),))
		return number

	@staticmethod
	def _code(value):
		if value is None:
			return ""
		if type(value) is str and value.isascii():
			return " ".join(value.split())  # what normalize_text does to ASCII, faster
		if isinstance(value, float) and value.is_integer():
			value = int(value)  # a numeric code cell: 1025.0 -> "1025"
		return normalize_text(_fold_width(str(value)))

	@staticmethod
	def _text(value):
		if type(value) is str and value.isascii():
			return " ".join(value.split())
		if value is None:
			return ""
		if isinstance(value, float) and value.is_integer():
			value = int(value)
		return normalize_text(str(value))

	def column(self, name: str, raw, row_nos: list[int]) -> tuple[list, bool]:
		"""Converted values of one column, and whether any of them is an error. Number columns are read
		with the decimal mark their values tell (:class:`_Marks`; RuleError when they contradict)."""
		if type(raw) is _Numbers:
			return raw, False
		values, bad = self._values(name, raw)
		marks = self.marks.get(name)
		if marks is not None and marks.facts and marks.settle(raw, row_nos):
			self._read_with(name)
			values, bad = self._values(name, raw)
			marks.facts.clear()  # the same values say the same again
		return values, bad

	def _values(self, name: str, raw) -> tuple[list, bool]:
		if name == "amount":  # mostly distinct values: a cache would cost more than it saves
			convert = self.functions["amount"] if self.marks["amount"].blank else self.amount
			values = list(map(convert, raw))
			return values, any(type(v) is _Bad for v in values)
		cache = self.caches[name]
		if len(cache) > _CACHE_LIMIT:
			cache.clear()
		fn = self.functions.get(name, self._text)
		distinct = set(raw)
		new = distinct.difference(cache)
		if name in self.marks and len(new) > 1:  # in row order: a contradiction names the first row
			new = [value for value in dict.fromkeys(raw) if value in new]
		bad = False
		for value in new:
			cache[value] = converted = fn(value)
			bad = bad or isinstance(converted, _Bad)
		if not bad and name in ("date", "qty", "amount"):
			bad = any(isinstance(cache[v], _Bad) for v in distinct)
		return list(map(cache.__getitem__, raw)), bad

	def batch(self, row_nos: list[int], raw: dict[str, list]) -> Batch:
		"""One batch: raw columns (FIELD -> values, present fields only) to rows and row errors."""
		n = len(row_nos)
		blank = [""] * n
		columns, bad = {}, set()
		for name in FIELDS:
			if name in raw:
				columns[name], is_bad = self.column(name, raw[name], row_nos)
				if is_bad:
					bad.add(name)
			else:
				columns[name] = [None] * n if name == "amount" else blank
		for name, marks in self.marks.items():
			told = next((m.decimal for other, m in self.marks.items() if other != name and m.known), None)
			if marks.assume(told):  # "1,000" only, and the other number column told a decimal comma
				self._read_with(name)
				columns[name], is_bad = self._values(name, raw[name])
				marks.facts.clear()
				if is_bad:
					bad.add(name)
				else:
					bad.discard(name)
		failed = [name for name in FIELDS if name in bad]
		problems: dict[int, list[RowError]] = {}
		skip: set[int] = set()
		if "date" in failed:
			self._blank_rows(raw, skip)
		for name in failed:
			for i, value in enumerate(columns[name]):
				if isinstance(value, _Bad) and i not in skip:
					problems.setdefault(i, []).append(
						RowError(row_nos[i], name, value.template, value.params)
					)
		for code, label, template in (
			("item_code", "item_name", _("Item code and item name are both empty")),
			("outlet_code", "outlet_name", _("Outlet code and outlet name are both empty")),
		):
			a, b = columns[code], columns[label]
			if (a is blank or "" in set(a)) and (b is blank or "" in set(b)):
				for i in range(n):
					if not a[i] and not b[i] and i not in skip:
						problems.setdefault(i, []).append(RowError(row_nos[i], "", template, ()))
		rows = list(
			map(partial(tuple.__new__, SellOutRow), zip(row_nos, *(columns[f] for f in FIELDS), strict=True))
		)
		if not problems and not skip:
			return Batch(rows, [])
		rows = [r for i, r in enumerate(rows) if i not in problems and i not in skip]
		errors = [e for i in sorted(problems) if i not in skip for e in problems[i]]
		return Batch(rows, errors)

	@staticmethod
	def _blank_rows(raw: dict[str, list], skip: set[int]) -> None:
		"""Rows whose mapped cells are all empty (blank lines, spacer rows) are skipped without an error."""
		dates = raw["date"]
		others = [v for k, v in raw.items() if k != "date"]
		for i, value in enumerate(dates):
			if (value == "" or value is None) and all(col[i] in ("", None) for col in others):
				skip.add(i)


def _shown(value) -> str:
	if isinstance(value, float) and value.is_integer():
		return str(int(value))
	return str(value).strip()


# ---------------------------------------------------------------------------------------------- readers


class Reader:
	"""An opened sell-out file: headers known, columns located, rows read on demand in batches."""

	encoding: str | None = None
	headers: list[str]
	sheet_names: list[str]
	delimiter: str | None = None

	def __init__(self, source, spec: ImportSpec):
		self.source = source
		self.spec = spec
		self.sheet_names = []
		self.headers = []
		self.columns: dict[str, int] = {}
		self.total_rows = 0
		self.blank_rows = 0

	def batches(self, size: int = 10000) -> Iterator[Batch]:
		raise NotImplementedError

	def _convert(self, converter: _Converter, row_nos: list[int], records: list) -> Batch:
		getters = {name: itemgetter(i) for name, i in self.columns.items()}
		width = max(self.columns.values()) + 1
		if any(len(r) < width for r in records):
			records = [r if len(r) >= width else [*r, *[""] * (width - len(r))] for r in records]
		raw = {name: list(map(getter, records)) for name, getter in getters.items()}
		batch = converter.batch(row_nos, raw)
		read = len(batch.rows) + len({e.row_no for e in batch.errors})
		self.total_rows += read
		self.blank_rows += len(row_nos) - read
		return batch


class CsvReader(Reader):
	def __init__(self, source, spec: ImportSpec, check_all: bool = True):
		super().__init__(source, spec)
		head, size = _read_head(source, SAMPLE_BYTES)
		if not head.strip(b" \t\r\n\x00\xef\xbb\xbf"):
			raise RuleError(_("The file is empty"))
		_refuse_binary(head, "csv")
		self.encoding = spec.encoding or detect_encoding(head)
		sample = head if size <= SAMPLE_BYTES else _cut_at_line(head)
		_check_lines_agree(sample, self.encoding)
		if check_all:
			_check_decodes(_chunks(source), self.encoding)
		text = sample.decode(_codec(self.encoding), errors="replace").lstrip("\ufeff")
		self.delimiter = spec.delimiter or _sniff_delimiter(text, spec.header_row)
		records = list(
			islice(csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter), spec.header_row)
		)
		if len(records) < spec.header_row or not any(c.strip() for c in records[-1]):
			raise RuleError(_("The file has no column headers in row {0}"), spec.header_row)
		self.headers = [h.strip() for h in records[-1]]
		self.columns = _locate_columns(self.headers, spec)

	def _text_stream(self):
		binary = _open_binary(self.source)
		return io.TextIOWrapper(binary, encoding=_codec(self.encoding), newline="", errors="strict")

	def batches(self, size: int = 10000) -> Iterator[Batch]:
		converter = _Converter(self.spec, set(self.columns))
		done = yield from self._arrow_batches(converter, size)
		if done is True:
			return
		with self._text_stream() as stream:
			reader = csv.reader(stream, delimiter=self.delimiter)
			row_no = self.spec.header_row + (done or 0)
			for _skip in islice(reader, row_no):
				pass
			while records := list(islice(reader, size)):
				row_nos = list(range(row_no + 1, row_no + 1 + len(records)))
				row_no += len(records)
				yield self._convert(converter, row_nos, records)

	def _arrow_batches(self, converter: _Converter, size: int):
		"""The fast path: pyarrow parses blocks of a regular file in C. Returns True when the whole file
		was read, else the number of data records already produced (the csv module goes on from there)."""
		if len(self.delimiter) != 1 or self.delimiter in "\"'\r\n":
			return 0
		try:
			import pyarrow as pa
			import pyarrow.csv as pcsv
		except ImportError:  # pragma: no cover - pyarrow is a dependency; the csv module still reads the file
			return 0
		width = len(self.headers)
		names = [f"c{i}" for i in range(width)]
		wanted = sorted(set(self.columns.values()))
		if max(wanted) >= width:
			return 0
		irregular = []
		encoding = _codec(self.encoding)
		read_options = pcsv.ReadOptions(
			column_names=names,
			skip_rows=self.spec.header_row,
			block_size=1 << 20,
			encoding="utf8",
			use_threads=False,
		)
		parse_options = pcsv.ParseOptions(
			delimiter=self.delimiter,
			newlines_in_values=True,
			ignore_empty_lines=False,
			invalid_row_handler=lambda row: irregular.append(row) or "skip",
		)
		convert_options = pcsv.ConvertOptions(
			column_types={names[i]: pa.string() for i in wanted},
			include_columns=[names[i] for i in wanted],
			strings_can_be_null=False,
			quoted_strings_can_be_null=False,
		)
		done = 0
		try:
			with _open_binary(self.source) as f:
				if encoding == "utf-8-sig":
					f.read(3)
				elif encoding != "utf-8":
					f = _Utf8Stream(f, encoding)  # faster than pyarrow's own transcoding
				stream = pcsv.open_csv(
					f, read_options=read_options, parse_options=parse_options, convert_options=convert_options
				)
				for record_batch in stream:
					if irregular:
						return done
					first = self.spec.header_row + done + 1
					columns = {
						name: converter.arrow_amounts(record_batch.column(f"c{i}"), first)
						if name == "amount"
						else record_batch.column(f"c{i}").to_pylist()
						for name, i in self.columns.items()
					}
					n = record_batch.num_rows
					for start in range(0, n, size):
						part = {k: type(v)(v[start : start + size]) for k, v in columns.items()}
						m = len(next(iter(part.values())))
						first = self.spec.header_row + done + 1
						row_nos = list(range(first, first + m))
						done += m
						batch = converter.batch(row_nos, part)
						read = len(batch.rows) + len({e.row_no for e in batch.errors})
						self.total_rows += read
						self.blank_rows += m - read
						yield batch
		except pa.ArrowInvalid:
			return done  # e.g. an unterminated quote: the csv module reads it as Excel would
		return True if not irregular else done


class SheetReader(Reader):
	def __init__(self, source, spec: ImportSpec):
		super().__init__(source, spec)
		head, _size = _read_head(source, 8)
		if not head:
			raise RuleError(_("The file is empty"))
		from python_calamine import CalamineWorkbook

		try:
			if not isinstance(source, bytes | bytearray | memoryview) and str(source).lower().endswith(
				(".xlsx", ".xls", ".xlsm", ".xlsb", ".ods")
			):
				self.book = CalamineWorkbook.from_path(os.fspath(source))
			else:
				self.book = CalamineWorkbook.from_filelike(_open_binary(source))
		except Exception:  # calamine raises its own kinds for zip, xml and format errors
			raise RuleError(_("The file is not an Excel workbook ({0}) or it is damaged"), spec.file_type)
		self.sheet_names = list(self.book.sheet_names)
		if not self.sheet_names:
			raise RuleError(_("The file is empty"))
		name = self._sheet_name(spec.sheet)
		self.sheet_name = name
		self.sheet = self.book.get_sheet_by_name(name)
		start = self.sheet.start
		if start is None:
			raise RuleError(_("Sheet {0} is empty"), name)
		self.col_offset = start[1]
		self.rows = self.sheet.iter_rows()  # from the sheet's first row; columns from the first used one
		header = None
		for _index in range(spec.header_row):
			header = next(self.rows, None)
			if header is None:
				break
		if header is None or not any(str(c).strip() for c in header):
			raise RuleError(_("The file has no column headers in row {0}"), spec.header_row)
		self.headers = [_shown(c) if c not in (None, "") else "" for c in header]
		self.columns = _locate_columns(self.headers, spec, self.col_offset)

	def _sheet_name(self, wanted: str | None) -> str:
		if not wanted:
			return self.sheet_names[0]
		if wanted in self.sheet_names:
			return wanted
		key = _norm_header(wanted)
		for name in self.sheet_names:
			if _norm_header(name) == key:
				return name
		raise RuleError(
			_("Sheet {0} is not in the file; its sheets are: {1}"), wanted, ", ".join(self.sheet_names)
		)

	def batches(self, size: int = 10000) -> Iterator[Batch]:
		converter = _Converter(self.spec, set(self.columns))
		row_no = self.spec.header_row
		while records := list(islice(self.rows, size)):
			row_nos = list(range(row_no + 1, row_no + 1 + len(records)))
			row_no += len(records)
			yield self._convert(converter, row_nos, records)


class _Numbers(list):
	"""A column already converted to numbers (None where empty)."""


_PLAIN_AMOUNT = r"^-?\d+(?:\.\d+)?$"


def _arrow_amounts(column, marks: _Marks, first_row: int):
	"""Amounts of a pyarrow text column converted in C when every one is a plain number once spaces are
	dropped and the decimal mark is a point ("1 234,50" in a comma profile); else the text, for the
	general parser. The decimal mark is the column's as ``marks`` knows it (it may not be the profile's).
	While ``marks`` knows nothing yet, the first plain number that tells the mark ("1234.5") settles it
	(the column's first value is on row ``first_row``); when the marked ones tell nothing ("1.000"), the
	general parser weighs them (:meth:`_Marks.assume`)."""
	import pyarrow as pa
	import pyarrow.compute as pc

	decimal = marks.decimal
	text = pc.replace_substring_regex(column, r"[ \x{00a0}\x{202f}]", "")
	marked = pc.match_substring(text, decimal) if marks.blank else None
	if decimal != ".":
		if pc.any(pc.match_substring(text, ".")).as_py():
			return column.to_pylist()
		text = pc.replace_substring(text, decimal, ".")
	empty = pc.equal(text, "")
	if not pc.all(pc.or_(pc.match_substring_regex(text, _PLAIN_AMOUNT), empty)).as_py():
		return column.to_pylist()
	if marked is not None and pc.any(marked).as_py():
		either = pc.match_substring_regex(text, r"^-?[1-9]\d{0,2}\.\d{3}$")  # "1.000", the mark now "."
		index = pc.index(pc.and_not(marked, either), True).as_py()
		if index < 0:
			return column.to_pylist()
		marks.learn(first_row + index, column[index].as_py())
	values = pc.cast(pc.if_else(empty, pa.scalar(None, pa.string()), text), pa.float64())
	return _Numbers(values.to_pylist())


class _Utf8Stream(io.RawIOBase):
	"""A byte stream in a legacy encoding read as UTF-8, decoded in large chunks (pyarrow parses UTF-8)."""

	def __init__(self, raw, encoding: str):
		self.raw = raw
		self.decoder = codecs.getincrementaldecoder(encoding)("strict")
		self.buffer = b""
		self.done = False

	def readable(self) -> bool:
		return True

	def readinto(self, target) -> int:
		while len(self.buffer) < len(target) and not self.done:
			chunk = self.raw.read(_CHUNK)
			self.done = not chunk
			self.buffer += self.decoder.decode(chunk, final=self.done).encode("utf-8")
		n = min(len(target), len(self.buffer))
		target[:n] = self.buffer[:n]
		self.buffer = self.buffer[n:]
		return n


_MAGIC = {
	b"PK\x03\x04": _("an Excel workbook (xlsx) or another zip archive"),
	b"\xd0\xcf\x11\xe0": _("an Excel 97-2003 workbook (xls)"),
	b"%PDF": _("a PDF document"),
	b"\x89PNG": _("an image"),
	b"\xff\xd8\xff": _("an image"),
}


def _refuse_binary(head: bytes, file_type: str) -> None:
	for magic, kind in _MAGIC.items():
		if head.startswith(magic):
			raise RuleError(
				_(
					"The file is not a CSV text file: it looks like {0}. Check the file type of the import profile"
				),
				kind,
			)
	if not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and b"\x00" in head[:4096]:
		raise RuleError(_("The file is not a CSV text file: it contains binary data"))


def _sniff_delimiter(text: str, header_row: int) -> str:
	lines = [line for line in text.splitlines()[header_row - 1 : header_row + 20] if line.strip()]
	if not lines:
		return ","
	header = lines[0]
	best, best_score = ",", (0, 0)
	for d in DELIMITERS:
		count = header.count(d)
		if not count:
			continue
		agree = sum(line.count(d) >= count for line in lines[1:])
		score = (agree, count)
		if score > best_score:
			best, best_score = d, score
	return best


def open_source(source, spec: ImportSpec, check_encoding: bool = True) -> Reader:
	"""Open a sell-out file for reading; RuleError for a bad profile or a file that cannot be read at all.

	``source`` is the file's bytes or a path. ``check_encoding=False`` skips decoding the whole CSV up
	front (a preview of a big file); rows beyond the sample may then fail while reading.
	"""
	check_spec(spec)
	if spec.file_type == "csv":
		return CsvReader(source, spec, check_all=check_encoding)
	return SheetReader(source, spec)


def _collect(reader: Reader, batches) -> Parsed:
	parsed = Parsed(encoding=reader.encoding, headers=reader.headers, sheet_names=reader.sheet_names)
	low = high = None
	for batch in batches:
		parsed.rows.extend(batch.rows)
		parsed.errors.extend(batch.errors)
		if batch.rows:
			dates = [r.date for r in batch.rows]
			lo, hi = min(dates), max(dates)
			low = lo if low is None or lo < low else low
			high = hi if high is None or hi > high else high
	parsed.total_rows = reader.total_rows
	parsed.period = (low, high) if low else None
	return parsed


def parse_file(source, spec: ImportSpec) -> Parsed:
	"""Read a whole file into memory (small files, tests); imports stream with ``open_source().batches()``."""
	reader = open_source(source, spec)
	return _collect(reader, reader.batches())


def preview(source, spec: ImportSpec, limit: int = 20) -> Parsed:
	"""The first ``limit`` data rows (good and bad) of a file, to check an import profile."""
	reader = open_source(source, spec, check_encoding=False)
	return _collect(reader, islice(reader.batches(size=limit), 1))
