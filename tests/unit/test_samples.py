"""The sample generator: its files read back to their truth in every language and file type."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("python_calamine")
pytest.importorskip("openpyxl")

from distribution_sales.parsing import ImportSpec, open_source, parse_file
from tests.sellout_samples import (
	HEADERS,
	LANGUAGES,
	LOOK_ALIKE_KINDS,
	make_catalogue,
	make_foreign_script_names,
	make_look_alikes,
	make_sellout_file,
	messy_name,
	write_sellout_csv,
)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("file_type", ["csv", "xlsx"])
@pytest.mark.parametrize("seed", [0, 1])
def test_generated_files_parse_back_to_their_truth(lang, file_type, seed):
	sample = make_sellout_file(lang, 400, file_type, seed=seed)
	parsed = parse_file(sample.content, ImportSpec(**sample.spec_kwargs))
	assert [(r.date, r.outlet_code, r.item_code, r.qty) for r in parsed.rows] == sample.truth
	assert sorted({e.row_no for e in parsed.errors}) == sample.bad_rows
	assert sample.bad_rows  # messy files have bad rows to report
	assert parsed.total_rows == len(sample.truth) + len(sample.bad_rows)


def test_encodings_and_layouts_by_language():
	fa0, fa1 = make_sellout_file("fa", 50, seed=0), make_sellout_file("fa", 50, seed=1)
	assert fa0.spec_kwargs["encoding"] == "windows-1256" and fa1.spec_kwargs["encoding"] == "utf-8-sig"
	assert fa1.content.startswith(b"\xef\xbb\xbf")
	assert "تاریخ فاکتور".encode() in fa1.content
	assert "ي".encode("cp1256") in fa0.content  # the old code page has no Persian yeh: Arabic yeh
	ru = make_sellout_file("ru", 50)
	assert ru.spec_kwargs | {"columns": None} == {
		"file_type": "csv",
		"columns": None,
		"sheet": None,
		"header_row": 3,
		"delimiter": ";",
		"date_format": "dmy",
		"decimal_separator": ",",
		"thousands_separator": "",
		"encoding": "cp1251",
		"allow_returns": False,
	}
	assert ru.content.decode("cp1251").startswith("Продажи по контрагентам за период")
	zh = make_sellout_file("zh", 50, "xlsx")
	reader = open_source(zh.content, ImportSpec(**zh.spec_kwargs))
	assert reader.sheet_names == ["销售明细"] and reader.headers == list(HEADERS["zh"].values())
	assert open_source(ru.content, ImportSpec(**ru.spec_kwargs)).encoding == "cp1251"  # detected again


def test_a_clean_file_has_no_bad_rows_and_uses_the_given_catalogue():
	items = [("MILK-1", "Milk 1L"), ("TEA-2", "Tea 100g")]
	outlets = [("O-1", "Shop One", "Tehran")]
	start, end = datetime.date(2024, 3, 1), datetime.date(2024, 3, 31)
	sample = make_sellout_file("fa", 300, "csv", items, outlets, start, end, seed=4, messy=False)
	assert sample.bad_rows == [] and len(sample.truth) == 300
	assert {t[2] for t in sample.truth} <= {"MILK-1", "TEA-2"} and {t[1] for t in sample.truth} == {"O-1"}
	assert min(t[0] for t in sample.truth) == start and max(t[0] for t in sample.truth) <= end
	assert parse_file(sample.content, ImportSpec(**sample.spec_kwargs)).errors == []


def test_same_seed_same_file():
	assert make_sellout_file("zh", 100, seed=7).content == make_sellout_file("zh", 100, seed=7).content
	assert make_sellout_file("zh", 100, seed=7).content != make_sellout_file("zh", 100, seed=8).content


def test_catalogue_names_are_unique():
	for lang in LANGUAGES:
		items, outlets = make_catalogue(lang, items=3000, outlets=100)
		assert len({name for _code, name in items}) == 3000 == len({code for code, _name in items})
		assert len(outlets) == 100


@pytest.mark.parametrize("lang", LANGUAGES)
def test_streamed_csv_reads_back(tmp_path, lang):
	path = tmp_path / f"big_{lang}.csv"
	sample = write_sellout_csv(path, 3000, lang, seed=2, messy=True)
	parsed = parse_file(path, ImportSpec(**sample.spec_kwargs))
	assert sorted({e.row_no for e in parsed.errors}) == sample.bad_rows
	assert len(parsed.rows) + len(sample.bad_rows) == sample.rows == 3000


@pytest.mark.parametrize("lang", LANGUAGES)
def test_look_alikes_are_not_in_the_catalogue_and_name_their_item(lang):
	items = dict(make_catalogue(lang, items=300, outlets=1, seed=4)[0])
	alikes = make_look_alikes(lang, items=300, seed=4, count=140, messy=False)
	kinds = [k for k in LOOK_ALIKE_KINDS if lang != "zh" or k != "transliterated brand"]
	assert [a.kind for a in alikes] == [kinds[n % len(kinds)] for n in range(140)]  # in turn
	for alike in alikes:
		assert alike.name not in items.values() and alike.like in items
		assert alike.name != items[alike.like]
	latin = [a for a in alikes if a.kind == "transliterated brand"]
	assert all(any("a" <= c <= "z" for c in a.name.lower()) for a in latin)
	assert make_look_alikes(lang, items=300, seed=4, count=140, messy=False) == alikes  # same seed, same list


def test_look_alikes_change_one_token_of_their_item():
	items = dict(make_catalogue("ru", items=300, outlets=1, seed=4)[0])
	for alike in make_look_alikes("ru", items=300, seed=4, count=70, messy=False):
		ours, theirs = items[alike.like].split(), alike.name.split()
		changed = [w for w in theirs if w not in ours] + [w for w in ours if w not in theirs]
		assert changed, alike


def test_messy_look_alikes_are_spelled_like_our_names():
	plain = make_look_alikes("zh", items=300, seed=4, count=60, messy=False)
	messy = make_look_alikes("zh", items=300, seed=4, count=60)
	assert [a.kind for a in plain] == [a.kind for a in messy] and plain != messy


def test_names_with_latin_brands_are_items_we_sell():
	items = dict(make_catalogue("fa", items=300, outlets=1, seed=4)[0])
	names = make_foreign_script_names("fa", items=300, seed=4, count=50, messy=False)
	assert len(names) == 50
	for code, name in names:
		ours = items[code]
		assert name != ours and any("a" <= c <= "z" for c in name.lower())
		assert name.split()[0] == ours.split()[0]  # the product word is kept
	assert make_foreign_script_names("zh", items=300, seed=4) == []  # no Latin spelling of Chinese brands


def test_messy_names_change_units_not_words():
	import random

	rng = random.Random(0)
	spellings = {messy_name("Кофе Агуша 2,5% 900г", "ru", rng) for _ in range(200)}
	assert all("агуша" in s.lower().replace("a", "а") for s in spellings)  # not "Агруша"
	assert any(s.endswith("900гр") for s in spellings)
	spellings = {messy_name("达利园芒果味巧克力 200克", "zh", rng) for _ in range(200)}
	assert all("巧克力" in s for s in spellings) and any("200g" in s for s in spellings)


def test_the_module_imports_no_frappe():
	code = (
		"import sys; import tests.sellout_samples, distribution_sales.parsing,"
		" distribution_sales.rules.matching, distribution_sales.rules.sellout_analysis;"
		" sys.exit('frappe' in sys.modules)"
	)
	root = Path(__file__).resolve().parents[2]
	assert (
		subprocess.run(
			[sys.executable, "-c", code], cwd=root, env={**os.environ, "PYTHONPATH": str(root)}
		).returncode
		== 0
	)
