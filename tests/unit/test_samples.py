"""The sample generator: its files read back to their truth in every language and file type."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("python_calamine")
pytest.importorskip("openpyxl")

from distribution_sales.rules.sellout import ImportSpec, open_source, parse_file
from distribution_sales.secondary_sales.samples import (
	HEADERS,
	LANGUAGES,
	make_catalogue,
	make_sellout_file,
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


def test_the_module_imports_no_frappe():
	code = (
		"import sys; import distribution_sales.secondary_sales.samples, distribution_sales.rules.sellout,"
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
