"""Encodings of legacy files (UTF-8 with or without BOM, Windows-1256, CP1251, GBK/GB18030): detection,
and refusing files that mix them."""

import codecs
import re
from collections.abc import Iterator

from distribution_sales.parsing.spec import SAMPLE_BYTES
from distribution_sales.rules import RuleError, _

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
