"""SEC-2: normalised names, pack sizes, ranked suggestions, conflicts and the auto-accept decision."""

import random
import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

pytest.importorskip("rapidfuzz")
pytest.importorskip("numpy")
pytest.importorskip("anyascii")

from distribution_sales.rules.conflicts import conflicts
from distribution_sales.rules.matching import MARGIN, Matcher, Suggestion, decide
from distribution_sales.rules.names import normalize_name, pack_size
from tests.sellout_samples import (
	LOOK_ALIKE_KINDS,
	make_catalogue,
	make_foreign_script_names,
	make_look_alikes,
	messy_name,
)


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
	assert many[3][0][:3] == ("DAI-002", ITEMS[1][1], 100.0)  # by its code, whatever the name says...
	assert many[3][0].conflicts and decide(many[3], 90)[1] == "Review"  # ...but the name disagrees


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


# --- conflicts: every distinguishing token must agree before a match is automatic ------------------


def auto(items: list[tuple[str, str]], name: str) -> tuple[str | None, str]:
	"""decide() at the default threshold for one distributor's name against ``items`` (code, name)."""
	return decide(Matcher((code, n, None) for code, n in items).suggest(name), 90)


@pytest.mark.parametrize(
	"name, item",
	[
		("МОЛОКО ДОМИК В ДЕРЕВНЕ 3.2% 900 гр", "Молоко Домик в деревне 3,2% 900г"),
		("Мoлoкo Дoмик в дepeвнe 3,2 % 0,9 кг", "Молоко Домик в деревне 3,2% 900г"),
		("Сок Добрый 1000 мл", "Сок Добрый 1л"),
		("Вода 6x500ml", "Вода 0,5л 6 шт"),
		("Вода 0,5л 1 шт", "Вода 0,5л"),  # one piece says nothing
		("شير كم چرب كاله ۹۰۰ گرمی", "شیر کم چرب کاله 900 گرم"),
		("شیر کمچرب کاله ۱٫۵٪ ۹۰۰ گرم", "شیر کم چرب کاله 1.5% 900 گرم"),  # written as one word
		("【伊利草莓味酸奶 ２５０ml】", "伊利草莓味酸奶 250毫升"),
		("牛奶伊利 1升", "伊利牛奶 1000毫升"),  # the same characters in another order
	],
)
def test_the_same_product_spelled_differently_has_no_conflicts(name, item):
	assert conflicts(name, item) == []
	assert auto([("OURS", item)], name) == ("OURS", "Auto")


@pytest.mark.parametrize(
	"name, item, expected",
	[
		("Молоко Домик в деревне 2,5% 900г", "Молоко Домик в деревне 3,2% 900г", ["2.5% vs 3.2%"]),
		("Молоко Домик в деревне 1% 900г", "Молоко Домик в деревне 3,2% 900г", ["1% vs 3.2%"]),
		("Молоко Домик в деревне 900г", "Молоко Домик в деревне 3,2% 900г", ["-3.2%"]),
		("Молоко Домик в деревне 3,2 900г", "Молоко Домик в деревне 3,2% 900г", ["+3.2", "-3.2%"]),
		("شیر کاله ۲.۵٪ 900 گرم", "شیر کاله 1.5% 900 گرم", ["2.5% vs 1.5%"]),
		("牛奶 3.5% 1升", "牛奶 1.5% 1升", ["3.5% vs 1.5%"]),
		("Сметана Алёнка 500г", "Сметана Алёнка 250г", ["500g vs 250g"]),
		("Гречка Макфа 0,9 кг", "Гречка Макфа 1кг", ["900g vs 1000g"]),
		("ماست کاله 450 گرم", "ماست کاله 500 گرم", ["450g vs 500g"]),
		("饼干 300克", "饼干 200克", ["300g vs 200g"]),
		("Сок Добрый 0,5л", "Сок Добрый 1л", ["500ml vs 1000ml"]),
		("Сок Добрый 330мл", "Сок Добрый 250мл", ["330ml vs 250ml"]),
		("آبمیوه 1.5 لیتر", "آبمیوه 1 لیتر", ["1500ml vs 1000ml"]),
		("果汁 750毫升", "果汁 1升", ["750ml vs 1000ml"]),
		("Вода Добрый 0,5л 6 шт", "Вода Добрый 0,5л", ["+6pcs"]),
		("Вода Добрый 0,5л х12", "Вода Добрый 0,5л 6 шт", ["12pcs vs 6pcs"]),
		("آب معدنی 1.5 لیتر ۶ عددی", "آب معدنی 1.5 لیتر", ["+6pcs"]),
		("矿泉水 500毫升 12瓶装", "矿泉水 500毫升", ["+12pcs"]),
		("Чай Greenfield 25 пак", "Чай Greenfield 100 пак", ["25pcs vs 100pcs"]),
		("Магазин Ромашка 12", "Магазин Ромашка 21", ["12 vs 21"]),
	],
)
def test_another_number_or_unit_is_a_conflict(name, item, expected):
	assert conflicts(name, item) == expected
	assert auto([("OURS", item)], name)[1] == "Review"


@pytest.mark.parametrize(
	"name, item",
	[
		("Вода Бонаква негазированная 1л", "Вода Бонаква газированная 1л"),
		("Вода Бонаква газированная 1л", "Вода Бонаква негазированная 1л"),
		("Вода Бонаква не газированная 1л", "Вода Бонаква газированная 1л"),
		("Йогурт Агуша без сахара 250г", "Йогурт Агуша 250г"),
		("Йогурт Агуша безлактозный 250г", "Йогурт Агуша 250г"),
		("آب معدنی بدون گاز 1.5 لیتر", "آب معدنی گازدار 1.5 لیتر"),
		("آب معدنی گازدار 1.5 لیتر", "آب معدنی بدون گاز 1.5 لیتر"),
		("ماست کاله بدون شکر 900 گرم", "ماست کاله 900 گرم"),
		("چیپس چی توز بی نمک 60 گرم", "چیپس چی توز 60 گرم"),
		("伊利无糖酸奶 250毫升", "伊利酸奶 250毫升"),
		("康师傅不加糖绿茶 500毫升", "康师傅绿茶 500毫升"),
		("农夫山泉无气矿泉水 500毫升", "农夫山泉含气矿泉水 500毫升"),
	],
)
def test_a_negation_is_a_conflict_in_every_language(name, item):
	assert conflicts(name, item)
	assert auto([("OURS", item)], name)[1] == "Review"


def test_a_negation_written_apart_is_the_word_written_as_one():
	assert conflicts("Вода Бонаква не газированная 1л", "Вода Бонаква негазированная 1л") == []
	assert conflicts("ماست کاله بی نمک", "ماست کاله بی‌نمک") == []  # zero-width non-joiner


@pytest.mark.parametrize(
	"name, item",
	[
		("Сок Добрый вишня 1л", "Сок Добрый апельсин 1л"),
		("Йогурт Агуша клубника 250г", "Йогурт Агуша 250г"),
		("آبمیوه سن ایچ انبه 1 لیتر", "آبمیوه سن ایچ پرتقالی 1 لیتر"),
		("شیر کاکائویی میهن 1 لیتر", "شیر میهن 1 لیتر"),
		("伊利芒果味酸奶 250毫升", "伊利草莓味酸奶 250毫升"),
		("伊利香草味酸奶 250毫升", "伊利原味酸奶 250毫升"),
	],
)
def test_another_flavour_is_a_conflict(name, item):
	assert conflicts(name, item)
	assert auto([("OURS", item)], name)[1] == "Review"


@pytest.mark.parametrize(
	"name, item",
	[
		("Молоко Домик в селе 3,2% 900г", "Молоко Домик в деревне 3,2% 900г"),  # one short word
		("Сок Добрыня 1л", "Сок Добрый 1л"),
		("Кефир Простоквашкино 1% 500г", "Кефир Простоквашино 1% 500г"),  # one letter
		("ماست مینا 900 گرم", "ماست مینو 900 گرم"),
		("پنیر کالبر 400 گرم", "پنیر کاله 400 گرم"),
		("康帅傅红烧牛肉方便面 1公斤", "康师傅红烧牛肉方便面 1公斤"),
		("农夫果园矿泉水 500毫升", "农夫山泉矿泉水 500毫升"),
		("Молоко Domik v sele 3,2% 900г", "Молоко Домик в деревне 3,2% 900г"),  # in Latin letters
		("ماست Mina 900 گرم", "ماست مینو 900 گرم"),
		("ماست Kala 900 گرم", "ماست کاله 900 گرم"),
	],
)
def test_another_brand_is_a_conflict(name, item):
	assert conflicts(name, item)
	assert auto([("OURS", item)], name)[1] == "Review"


@pytest.mark.parametrize(
	"name, item",
	[
		("Чай Гринфилд зелёный 100 пак", "Чай Greenfield зеленый 100 пак"),
		("Чай Greenfield зелёный 100 пак", "Чай Гринфилд зеленый 100 пак"),
		("Молоко Prostokvashino 3,2% 900г", "Молоко Простоквашино 3,2% 900г"),
		("Печенье Yubileynoe 250г", "Печенье Юбилейное 250г"),
		("Сок Dobry апельсин 1л", "Сок Добрый апельсин 1л"),
		("Конфеты Babaevsky 200г", "Конфеты Бабаевский 200г"),
		("Напиток Кока-Кола 1л", "Напиток Coca-Cola 1л"),
		("شیر Kalleh کم چرب 1 لیتر", "شیر کاله کم چرب 1 لیتر"),
		("ماست Pegah 900 گرم", "ماست پگاه 900 گرم"),
		("ماست Minoo 900 گرم", "ماست مینو 900 گرم"),
		("پفک Cheetoz 80 گرم", "پفک چی توز 80 گرم"),  # one Latin word for two Persian ones
		("بیسکویت Shirin Asal 200 گرم", "بیسکویت شیرین عسل 200 گرم"),
		("Чай Lipton 25 пак", "چای لیپتون 25 pcs"),
	],
)
def test_a_brand_in_another_script_agrees(name, item):
	assert conflicts(name, item) == []


def test_a_brand_in_another_script_is_found_and_accepted_when_all_else_agrees():
	items = [
		("TEA-1", "Чай Greenfield зеленый 100 пак"),
		("TEA-2", "Чай Greenfield черный 100 пак"),
		("TEA-3", "Чай Ahmad зеленый 100 пак"),
		("TEA-4", "Чай Greenfield зеленый 25 пак"),
		("MLK-1", "شیر کاله کم چرب 1 لیتر"),
		("MLK-2", "شیر پگاه کم چرب 1 لیتر"),
		("MLK-3", "شیر کاله پرچرب 1 لیتر"),
	]
	assert auto(items, "ЧАЙ ГРИНФИЛД ЗЕЛЁНЫЙ 100ПАК") == ("TEA-1", "Auto")
	assert auto(items, "شير Kalleh كم چرب ۱ ليتر") == ("MLK-1", "Auto")
	assert auto(items, "Чай Гринфилд зелёный 50 пак")[1] == "Review"  # a pack count we do not sell
	found = Matcher((c, n, None) for c, n in items).suggest("Чай Гринфилд зелёный 50 пак", limit=5)
	assert {s.key: s.conflicts for s in found}["TEA-1"] == ("50pcs vs 100pcs",)  # the brand agrees
	assert {s.key: s.conflicts for s in found}["TEA-3"] == ("50pcs vs 100pcs", "+гринфилд", "-ahmad")


@pytest.mark.parametrize("lang", ["ru", "fa"])
def test_catalogue_names_with_latin_brands_are_found_and_accepted(lang):
	items, _outlets = make_catalogue(lang, items=400, outlets=1, seed=3)
	matcher = Matcher((code, name, None) for code, name in items)
	names = make_foreign_script_names(lang, items=400, seed=3, count=150)
	suggestions = matcher.suggest_many([(name, None) for _code, name in names])
	accepted = [decide(s, 90) for s in suggestions]
	assert all(a == (code, "Auto") for (code, _name), a in zip(names, accepted, strict=True))


@pytest.mark.parametrize("lang", ["fa", "ru", "zh"])
def test_look_alikes_we_do_not_sell_are_never_accepted(lang):
	items, _outlets = make_catalogue(lang, items=400, outlets=1, seed=3)
	matcher = Matcher((code, name, None) for code, name in items)
	alikes = make_look_alikes(lang, items=400, seed=3, count=350)
	assert {a.kind for a in alikes} == set(LOOK_ALIKE_KINDS) - (
		{"transliterated brand"} if lang == "zh" else set()
	)
	suggestions = matcher.suggest_many([(a.name, None) for a in alikes])
	for alike, found in zip(alikes, suggestions, strict=True):
		assert decide(found, 90)[1] == "Review", (alike, found[:2])
		assert found[0].conflicts  # the reason is shown to the reviewer


_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_changing_any_number_of_a_name_never_accepts_it(data):
	lang = data.draw(st.sampled_from(["fa", "ru", "zh"]))
	items = CATALOGUES[lang]
	code, name = data.draw(st.sampled_from(items))
	numbers = list(_NUMBER.finditer(name))
	match = data.draw(st.sampled_from(numbers))
	old = float(match[0].replace(",", "."))
	new = data.draw(st.integers(0, 5000).map(str) | st.decimals(0, 100, places=1).map(str))
	assume(float(new) != old)
	changed = name[: match.start()] + new + name[match.end() :]
	key, status = decide(MATCHERS[lang].suggest(changed), 90)
	assert (key, status) != (code, "Auto")
	if status == "Auto":  # only an item of ours whose every token agrees, e.g. 1кг -> 1000г
		assert conflicts(changed, dict(items)[key]) == []


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["fa", "ru", "zh"]), st.integers(0, 10**6))
def test_messy_spellings_of_our_names_have_no_conflicts(lang, seed):
	rng = random.Random(seed)
	_code, name = rng.choice(CATALOGUES[lang])
	spelled = messy_name(name, lang, rng)
	assert conflicts(spelled, name) == [] == conflicts(name, spelled)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["fa", "ru", "zh"]), st.data())
def test_conflicts_are_symmetric(lang, data):
	a = data.draw(st.sampled_from(CATALOGUES[lang]))[1]
	b = data.draw(st.sampled_from(CATALOGUES[lang]))[1]
	flip = {"+": "-", "-": "+"}
	forth = conflicts(a, b)
	back = conflicts(b, a)
	assert (forth == []) == (back == [])
	assert sorted(flip[c[0]] + c[1:] for c in forth if c[0] in flip) == sorted(
		c for c in back if c[0] in flip
	)


CATALOGUES = {lang: make_catalogue(lang, items=300, outlets=1, seed=9)[0] for lang in ("fa", "ru", "zh")}
MATCHERS = {lang: Matcher((code, name, None) for code, name in items) for lang, items in CATALOGUES.items()}


def test_a_runner_up_with_conflicts_does_not_hold_back_the_right_item():
	milk = "Молоко Домик в деревне ультрапастеризованное классическое {} 900г"
	items = [("M32", milk.format("3,2%")), ("M35", milk.format("3,5%"))]
	suggestions = Matcher((c, n, None) for c, n in items).suggest(milk.format("3.2 %").upper())
	assert [s.key for s in suggestions] == ["M32", "M35"]
	assert suggestions[1].score > suggestions[0].score - MARGIN  # close by the fuzzy score...
	assert suggestions[1].conflicts == ("3.2% vs 3.5%",)  # ...but not the product
	assert decide(suggestions, 90) == ("M32", "Auto")


def test_two_items_that_both_agree_go_to_review():
	items = [("A", "Чай Greenfield 100 пак"), ("B", "Чай Гринфилд 100 пак")]
	assert auto(items, "чай greenfield 100пак")[1] == "Review"


def test_decide_never_accepts_a_suggestion_with_conflicts():
	best = Suggestion("A", "a", 100.0, ("+2.5%",))
	assert decide([best], 0) == ("A", "Review")
	assert decide([Suggestion("A", "a", 99.0), Suggestion("B", "b", 97.0, ("-x",))], 90) == ("A", "Auto")


def test_suggestions_keep_their_three_fields_for_callers():
	plain = Suggestion("A", "a", 96.0)  # secondary_sales.mapping reads key, name and score
	assert plain.conflicts == () and plain[:3] == ("A", "a", 96.0)


def test_normalised_names_are_unchanged_by_conflicts():
	# mapping keys ("N:" + normalize_name) are stored: the percent sign is still dropped there
	assert normalize_name("Молоко 3,2% 900ГР.") == "moлoko 3.2 900g"
