"""Credit arithmetic shown on customer and sales forms."""

from dataclasses import dataclass


@dataclass(frozen=True)
class CreditPosition:
	limit: float  # 0 means no limit
	outstanding: float
	open_orders: float = 0.0

	@property
	def exposure(self) -> float:
		return self.outstanding + self.open_orders

	@property
	def remaining(self) -> float | None:
		"""What can still be sold on credit; None when the customer has no limit."""
		if not self.limit:
			return None
		return self.limit - self.exposure

	@property
	def over_limit(self) -> bool:
		return self.remaining is not None and self.remaining < 0
