"""SEC-2: normalised names, pack sizes, ranked suggestions and the auto-accept decision."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("rapidfuzz")
pytest.importorskip("numpy")

from distribution_sales.rules.matching import MARGIN, Matcher, Suggestion, decide, normalize_name, pack_size
from distribution_sales.secondary_sales.samples import make_catalogue, messy_name


@pytest.mark.parametrize(
	"a, b",
	[
		("شیر کم چرب کاله", "شير كم چرب كاله"),  # Arabic yeh and kaf
		("ماست ۹۰۰ گرم", "ماست 900 گرم"),  # Persian digits
		("شیر‌کاکائو", "شیر کاکائو"),  # zero-width non-joiner
		("Молоко", "Мoлoкo"),  # Latin o typed inside a Cyrillic word
		("МОЛОКО 3,2%", "молоко 3.2"),  # case, decimal comma, punctuation
		("Кефир «Весёлый»", "кефир веселый"),  # quotes and ё
		("牛奶（原味）", "牛奶(原味)"),  # full-width brackets
		("  Tea   Green ", "tea green"),
	],
)
def test_spelling_differences_fold_to_one_name(a, b):
	assert normalize_name(a) == normalize_name(b)


@pytest.mark.parametrize(
	"text, expected",
	[
		("Сметана 500гр", (500.0, "g")),
		("Сметана 500 г.", (500.0, "g")),
		("ماست ۵۰۰ گرم", (500.0, "g")),
		("ماست ۹۰۰ گرمی", (900.0, "g")),
		("Yogurt 500g", (500.0, "g")),
		("Rice 0.5kg", (500.0, "g")),
		("Гречка 0,9 кг", (900.0, "g")),
		("饼干 500 克", (500.0, "g")),
		("大米 1公斤", (1000.0, "g")),
		("Сок 1л", (1000.0, "ml")),
		("آبمیوه 1 لیتر", (1000.0, "ml")),
		("Water 1L", (1000.0, "ml")),
		("Water 1000ml", (1000.0, "ml")),
		("شیر 250 میلی لیتر", (250.0, "ml")),
		("果汁 1.5升", (1500.0, "ml")),
		("Tea green", None),
		("7 layers cake", None),
	],
)
def test_pack_sizes_in_three_languages(text, expected):
	assert pack_size(text) == expected


def test_pack_sizes_become_one_token():
	assert (
		normalize_name("Сметана 500гр") == normalize_name("Сметана 0,5 кг") == normalize_name("Сметана 500 g")
	)
	assert normalize_name("Water 1L").endswith("1000ml")


@given(st.text())
def test_normalisation_is_idempotent(text):
	once = normalize_name(text)
	assert normalize_name(once) == once


@given(st.text(alphabet="شیرماستکاله ۰۱۲۳۴۵۶۷۸۹يكگرملیتر.,", max_size=30))
def test_normalisation_is_idempotent_on_persian_names(text):
	once = normalize_name(text)
	assert normalize_name(once) == once


ITEMS = [
	("DAI-001", "Молоко Домик в деревне 3,2% 900г", "DAI-001"),
	("DAI-002", "Молоко Домик в деревне 2,5% 900г", "DAI-002"),
	("DAI-003", "Молоко Домик в деревне 3,2% 1400г", "DAI-003"),
	("DAI-004", "Кефир Простоквашино 1% 500г", "DAI-004"),
	("BEV-001", "Сок Добрый апельсин 1л", None),
]


def test_the_same_item_spelled_differently_ranks_first():
	matcher = Matcher(ITEMS)
	best = matcher.suggest("МОЛОКО ДОМИК В ДЕРЕВНЕ 3.2% 900 гр")
	assert best[0] == Suggestion("DAI-001", ITEMS[0][1], 100.0)
	assert len(best) == 3 and best[0].score > best[1].score >= best[2].score


def test_a_code_equal_to_ours_scores_100():
	matcher = Matcher(ITEMS)
	suggestions = matcher.suggest("something else entirely", code="dai 004")
	assert suggestions[0].key == "DAI-004" and suggestions[0].score == 100.0


def test_a_different_pack_size_loses_points():
	matcher = Matcher(ITEMS)
	scores = {s.key: s.score for s in matcher.suggest("Молоко Домик в деревне 3,2% 1,4кг", limit=5)}
	assert scores["DAI-003"] == 100.0
	assert scores["DAI-001"] < 75  # the same words but 900g against 1400g


def test_suggest_many_equals_suggest_and_keeps_order():
	matcher = Matcher(ITEMS)
	queries = [
		("кефир простоквашино 500 гр", None),
		("", None),
		("сок добрый апельсиновый 1 л", None),
		("x", "DAI-002"),
	]
	many = matcher.suggest_many(queries, limit=2)
	assert many == [matcher.suggest(name, code, limit=2) for name, code in queries]
	assert many[0][0].key == "DAI-004"
	assert many[1] == []
	assert many[2][0].key == "BEV-001"
	assert many[3][0] == Suggestion("DAI-002", ITEMS[1][1], 100.0)


def test_no_candidates():
	assert Matcher([]).suggest_many([("milk", None)]) == [[]]


@pytest.mark.parametrize("lang", ["fa", "ru", "zh"])
def test_messy_spellings_of_a_catalogue_find_their_item(lang):
	items, _outlets = make_catalogue(lang, items=400, outlets=1, seed=3)
	rng = random.Random(1)
	matcher = Matcher((code, name, None) for code, name in items)
	picks = [items[rng.randrange(len(items))] for _ in range(300)]
	suggestions = matcher.suggest_many([(messy_name(name, lang, rng), None) for _code, name in picks])
	right = sum(s[0].key == code for (code, _name), s in zip(picks, suggestions, strict=True))
	assert right / len(picks) >= 0.97


@settings(max_examples=40)
@given(st.data())
def test_matcher_finds_the_exact_item_among_noise(data):
	rng = random.Random(data.draw(st.integers(0, 10**6)))
	letters = "абвгдежзиклмнопрстуфхцчшщыэюяشیرماستکالهپنیر"
	noise = [
		(
			f"N{i}",
			" ".join("".join(rng.choice(letters) for _ in range(rng.randint(3, 8))) for _ in range(3)),
			None,
		)
		for i in range(200)
	]
	target = data.draw(st.sampled_from(noise))
	spelled = target[1].upper().replace("о", "o").replace("ی", "ي").replace("ک", "ك")
	suggestions = Matcher(noise).suggest(spelled)
	assert suggestions[0].key == target[0] or suggestions[0].score == 100.0
	assert suggestions[0].score == 100.0


def test_decide_accepts_only_a_clear_winner():
	a, b = Suggestion("A", "a", 96.0), Suggestion("B", "b", 80.0)
	assert decide([a, b], 90) == ("A", "Auto")
	assert decide([a, b], 97) == ("A", "Review")  # below the threshold
	close = Suggestion("B", "b", 96.0 - MARGIN + 1)
	assert decide([a, close], 90) == ("A", "Review")  # not clearly ahead
	assert decide([a], 90) == ("A", "Auto")
	assert decide([], 90) == (None, "Review")
