import pytest
from hypothesis import given
from hypothesis import strategies as st

from distribution_sales.rules import RuleError
from distribution_sales.rules.credit import CreditPosition
from distribution_sales.rules.customer_code import code_parts, parse_pattern, tokens_needed


def test_region_group_serial():
	parts = code_parts("{REGION}{GROUP}{#####}", {"REGION": "n", "GROUP": "SM"})
	assert parts.series_key == "NSM#####"
	assert parts.format(42) == "NSM00042"


def test_serial_in_the_middle_and_literals():
	parts = code_parts("C-{AREA}-{###}/{PROVINCE}", {"AREA": "TE", "PROVINCE": "IR-23"})
	assert parts.format(7) == "C-TE-007/IR-23"
	assert tokens_needed("C-{AREA}-{###}/{PROVINCE}") == ["AREA", "PROVINCE"]


@pytest.mark.parametrize(
	"pattern, fragment",
	[
		("", "empty"),
		("{REGION}{GROUP}", "exactly one serial"),
		("{##}{###}", "exactly one serial"),
		("{REGION}{FOO}{###}", "Unknown part {FOO}"),
		("{REGION} {###}", "characters a code cannot hold"),
	],
)
def test_bad_patterns(pattern, fragment):
	with pytest.raises(RuleError, match=fragment.replace("{", r"\{").replace("}", r"\}")):
		parse_pattern(pattern)


def test_missing_value_names_the_part():
	with pytest.raises(RuleError, match="needs a Region code"):
		code_parts("{REGION}{###}", {"REGION": None})


def test_full_series_is_refused():
	with pytest.raises(RuleError, match="is full"):
		code_parts("{##}", {}).format(100)


@given(
	st.integers(min_value=1, max_value=99999),
	st.sampled_from(["N", "S", "W1"]),
	st.sampled_from(["SM", "GR"]),
)
def test_codes_of_distinct_serials_differ_and_keep_length(serial, region, group):
	parts = code_parts("{REGION}{GROUP}{#####}", {"REGION": region, "GROUP": group})
	code = parts.format(serial)
	assert len(code) == len(region) + len(group) + 5
	assert code != parts.format(serial % 99999 + 1)


def test_credit_position():
	assert CreditPosition(limit=0, outstanding=5).remaining is None
	p = CreditPosition(limit=100, outstanding=60, open_orders=50)
	assert p.remaining == -10 and p.over_limit
	assert not CreditPosition(limit=100, outstanding=100).over_limit
