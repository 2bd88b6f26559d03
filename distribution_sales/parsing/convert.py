"""Turning a row of cell texts into a SellOutRow or a RowError, with values converted once per distinct
text and number columns read as a whole (_Marks)."""

import re
from functools import partial
from operator import itemgetter
from typing import NamedTuple

from distribution_sales.parsing.dates import parse_date
from distribution_sales.parsing.numbers import _NUMBER_MARKS, _OTHER_MARK, _fold_width, _number
from distribution_sales.parsing.spec import (
	_CACHE_LIMIT,
	FIELD_LABELS,
	FIELDS,
	Batch,
	ImportSpec,
	RowError,
	SellOutRow,
)
from distribution_sales.rules import RuleError, _
from distribution_sales.rules.text import normalize_text

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
