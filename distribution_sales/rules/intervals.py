"""Dated validity windows: assignments, price validity, quotas. An open end means "until further notice"."""

from dataclasses import dataclass
from datetime import date

from distribution_sales.rules import RuleError, _


@dataclass(frozen=True)
class Window:
	start: date
	end: date | None = None  # inclusive; None = open-ended
	key: str | None = None  # the record this window belongs to

	def __post_init__(self):
		if self.end is not None and self.end < self.start:
			raise RuleError(_("The end date {0} is before the start date {1}"), self.end, self.start)

	def contains(self, day: date) -> bool:
		return self.start <= day and (self.end is None or day <= self.end)

	def overlaps(self, other: "Window") -> bool:
		return (self.end is None or other.start <= self.end) and (
			other.end is None or self.start <= other.end
		)


def first_overlap(new: Window, existing: list[Window]) -> Window | None:
	"""The earliest existing window that overlaps ``new`` (ignoring ``new`` itself by key)."""
	clashes = [w for w in existing if w.key != new.key and w.overlaps(new)]
	return min(clashes, key=lambda w: (w.start, w.key or ""), default=None)


def active_on(windows: list[Window], day: date) -> list[Window]:
	"""Windows in force on ``day``, earliest start first."""
	return sorted((w for w in windows if w.contains(day)), key=lambda w: (w.start, w.key or ""))
