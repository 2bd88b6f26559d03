import pytest
from hypothesis import given
from hypothesis import strategies as st

from distribution_sales.rules import RuleError
from distribution_sales.rules.text import normalize_code, normalize_digits, normalize_text, script_of


def test_persian_and_arabic_digits_become_ascii():
	assert normalize_digits("۱۲۳۴۵۶۷۸۹۰") == "1234567890"
	assert normalize_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"
	assert normalize_digits("Route ۰۳") == "Route 03"


def test_arabic_letter_variants_become_persian():
	# Arabic yeh/kaf (as typed on Arabic keyboards) and Persian yeh/keheh are one spelling
	assert normalize_text("كيك") == normalize_text("کیک") == "کیک"
	assert normalize_text("مصطفى") == "مصطفی"
	assert normalize_text("ســلام") == "سلام"  # tatweel removed


def test_spaces_are_folded_and_trimmed():
	assert normalize_text("  Tehran\u00a0  East \t") == "Tehran East"
	assert normalize_text(None) == ""


def test_code_is_upper_cased_and_digits_normalised():
	assert normalize_code("n-۰۱") == "N-01"
	assert normalize_code(" ab/12.x ") == "AB/12.X"


@pytest.mark.parametrize(
	"value, fragment",
	[
		("", "is required"),
		("AB 12", "must not contain spaces"),
		("AB۱ 2", "must not contain spaces"),
		("AB#1", "may only contain"),
		("AБ12", "mixes writing systems"),  # Latin A + Cyrillic Б
		("کدA1", "mixes writing systems"),
	],
)
def test_bad_codes_are_refused_with_a_reason(value, fragment):
	with pytest.raises(RuleError) as e:
		normalize_code(value, "Region Code")
	assert fragment in str(e.value)
	assert e.value.template  # a translatable template, formatted by the Frappe layer


def test_scripts():
	assert script_of("a") == "LATIN"
	assert script_of("ж") == "CYRILLIC"
	assert script_of("ک") == "ARABIC"
	assert script_of("京") == "CJK"
	assert script_of("5") is None


@given(st.text())
def test_normalize_text_is_idempotent(value):
	once = normalize_text(value)
	assert normalize_text(once) == once


@given(st.text(alphabet="0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", min_size=1))
def test_any_mix_of_digit_scripts_reads_as_the_same_number(value):
	ascii_digits = normalize_digits(value)
	assert ascii_digits.isascii() and ascii_digits.isdigit()
	assert len(ascii_digits) == len(value)
