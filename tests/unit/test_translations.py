"""PLT-3: every user-facing string has a Persian, Russian and Chinese translation."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import i18n


def test_strings_are_found_in_code_json_and_custom_fields():
	strings = i18n.app_strings()
	assert "Sales Route" in strings  # a DocType name
	assert "Visit Order" in strings  # a field label
	assert "Every Two Weeks" in strings  # a Select option
	assert "Route {0} is already assigned to {1} from {2} to {3} ({4})" in strings  # _() in Python
	assert "Balance: {0}" in strings  # __() in JavaScript
	assert "{0} {1} mixes writing systems ({2}); use one" in strings  # a pure rule's message
	assert "Blacklist Reason" in strings  # a custom field
	assert "Credit Controller" in strings  # a role


def test_every_string_is_translated_with_the_same_placeholders():
	assert i18n.problems() == []


def test_persian_uses_persian_letters():
	for source, text in i18n.translations("fa").items():
		assert "ي" not in text and "ك" not in text, source
