"""Business rules that need no database.

Every module in this package is plain Python over plain data: it never imports frappe, so it can be
unit-tested on any machine and reused by controllers, reports, imports and benchmarks alike.
Errors are raised as :class:`RuleError` carrying an English message template; the Frappe layer
translates and shows it (see ``distribution_sales.utils.throw_rule_error``).
"""


def _(message: str) -> str:
	"""Mark a message for translation; the Frappe layer translates it when shown."""
	return message


class RuleError(ValueError):
	"""A broken business rule: ``template`` is an English message with ``{0}`` placeholders."""

	def __init__(self, template: str, *params):
		self.template = template
		self.params = params
		super().__init__(template.format(*params))
