"""Customer codes from a per-company pattern, e.g. ``{REGION}{GROUP}{#####}`` -> ``N01RT00042``.

Tokens: {REGION}, {AREA}, {ROUTE}, {GROUP}, {PROVINCE} and one serial {###...} (its length is the
number of digits). Anything else outside braces is copied literally.
"""

import re
from dataclasses import dataclass

from distribution_sales.rules import RuleError, _

TOKENS = ("REGION", "AREA", "ROUTE", "GROUP", "PROVINCE")
_TOKEN = re.compile(r"\{([^{}]*)\}")
_LITERAL = re.compile(r"^[A-Za-z0-9\-/.]*$")


@dataclass(frozen=True)
class CodeParts:
	prefix: str
	digits: int
	suffix: str

	@property
	def series_key(self) -> str:
		"""One counter per distinct prefix/suffix pair (a key for a naming-series table)."""
		return f"{self.prefix}{'#' * self.digits}{self.suffix}"

	def format(self, serial: int) -> str:
		number = str(serial)
		if len(number) > self.digits:
			raise RuleError(_("Customer code series {0} is full"), self.series_key)
		return f"{self.prefix}{number.zfill(self.digits)}{self.suffix}"


def parse_pattern(pattern: str) -> list[tuple[str, str]]:
	"""Split a pattern into ("literal", text), ("token", NAME) and ("serial", "#####") parts."""
	if not pattern:
		raise RuleError(_("Customer code pattern is empty"))
	parts: list[tuple[str, str]] = []
	pos = 0
	for m in _TOKEN.finditer(pattern):
		if m.start() > pos:
			parts.append(("literal", pattern[pos : m.start()]))
		body = m.group(1).strip().upper()
		if body and set(body) == {"#"}:
			parts.append(("serial", body))
		elif body in TOKENS:
			parts.append(("token", body))
		else:
			raise RuleError(_("Unknown part {0} in customer code pattern {1}"), m.group(0), pattern)
		pos = m.end()
	if pos < len(pattern):
		parts.append(("literal", pattern[pos:]))
	for kind, text in parts:
		if kind == "literal" and ("{" in text or "}" in text or not _LITERAL.match(text)):
			raise RuleError(
				_("Customer code pattern {0} has characters a code cannot hold: {1}"), pattern, text
			)
	serials = [p for p in parts if p[0] == "serial"]
	if len(serials) != 1:
		raise RuleError(
			_("Customer code pattern {0} needs exactly one serial part such as {{#####}}"), pattern
		)
	return parts


def tokens_needed(pattern: str) -> list[str]:
	return [text for kind, text in parse_pattern(pattern) if kind == "token"]


def code_parts(pattern: str, values: dict[str, str | None]) -> CodeParts:
	"""Fill the tokens of ``pattern`` from ``values``; the serial is left to a counter."""
	before: list[str] = []
	after: list[str] = []
	digits = 0
	for kind, text in parse_pattern(pattern):
		if kind == "serial":
			digits = len(text)
			continue
		if kind == "token":
			value = (values.get(text) or "").strip()
			if not value:
				raise RuleError(
					_("The customer code pattern needs a {0} code, but this customer has none"), text.title()
				)
			text = value.upper()
		(after if digits else before).append(text)
	return CodeParts("".join(before), digits, "".join(after))
