"""The readers: CSV (pyarrow blocks, csv module fallback) and XLSX/XLS (python-calamine), streamed in
batches; open_source, parse_file and preview."""

import codecs
import csv
import io
import os
from collections.abc import Iterator
from itertools import islice
from operator import itemgetter

from distribution_sales.parsing.convert import _Converter, _shown
from distribution_sales.parsing.encodings import (
	_check_decodes,
	_check_lines_agree,
	_codec,
	_cut_at_line,
	detect_encoding,
)
from distribution_sales.parsing.sources import (
	_chunks,
	_locate_columns,
	_norm_header,
	_open_binary,
	_read_head,
	check_spec,
)
from distribution_sales.parsing.spec import _CHUNK, DELIMITERS, SAMPLE_BYTES, Batch, ImportSpec, Parsed
from distribution_sales.rules import RuleError, _

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
