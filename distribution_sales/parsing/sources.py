"""Files and their columns: reading bytes or paths in chunks, the file hash, finding the mapped columns
by header text or column letter, checking a profile."""

import codecs
import hashlib
import io
import os
import re
from collections.abc import Iterator

from distribution_sales.parsing.encodings import _codec
from distribution_sales.parsing.numbers import _fold_width
from distribution_sales.parsing.spec import _CHUNK, DATE_FORMATS, FIELD_LABELS, FIELDS, FILE_TYPES, ImportSpec
from distribution_sales.rules import RuleError, _
from distribution_sales.rules.text import normalize_text

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
