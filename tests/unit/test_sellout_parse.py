"""SEC-1: reading distributors' sell-out files - numbers, dates, encodings, file and row errors."""

import datetime
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("python_calamine")
pytest.importorskip("pyarrow")
pytest.importorskip("charset_normalizer")

from distribution_sales.parsing import (
	FIELDS,
	ImportSpec,
	SellOutRow,
	detect_encoding,
	file_hash,
	format_number,
	open_source,
	parse_date,
	parse_file,
	parse_number,
	preview,
	to_jalali,
)
from distribution_sales.rules import RuleError

D = datetime.date
COLUMNS = {"date": "Date", "outlet_code": "Outlet", "item_name": "Item", "qty": "Qty", "amount": "Amount"}


def spec(**kwargs) -> ImportSpec:
	return ImportSpec(**{"file_type": "csv", "columns": COLUMNS, **kwargs})


def xlsx(rows: list[list], sheet: str = "Sheet1") -> bytes:
	from openpyxl import Workbook

	book = Workbook(write_only=True)
	ws = book.create_sheet(sheet)
	for row in rows:
		ws.append(row)
	out = io.BytesIO()
	book.save(out)
	return out.getvalue()


# ------------------------------------------------------------------------------------------ numbers


@pytest.mark.parametrize(
	"text, decimal, thousands, expected",
	[
		("1234.5", ".", "", 1234.5),
		("1 234,50", ",", "", 1234.5),
		("1\u00a0234,50", ",", "", 1234.5),  # 1C puts a no-break space between thousands
		("1\u202f234,50", ",", " ", 1234.5),
		("1,234.50", ".", "", 1234.5),
		("1,234", ".", "", 1234.0),  # grouped by three: thousands
		("1.234.567,89", ",", "", 1234567.89),
		("2,5", ".", "", 2.5),  # one comma that cannot be thousands: a decimal comma
		("1.234", ",", "", 1234.0),
		("12,5", ",", "", 12.5),
		("۱۲٬۳۴۵٫۵", ".", "", 12345.5),  # Persian digits, Arabic thousands and decimal marks
		("٣٤٥", ".", "", 345.0),  # Arabic-Indic digits
		("１２３", ".", "", 123.0),  # full-width digits
		("(12)", ".", "", -12.0),
		("12-", ".", "", -12.0),
		("-12", ".", "", -12.0),
		("−7,5", ",", "", -7.5),  # the minus sign
		("1'234.5", ".", "'", 1234.5),
		("1,234,567", ".", ",", 1234567.0),
		("₽ 1 200", ",", "", 1200.0),
		(" 42 ", ".", "", 42.0),
		(7, ".", "", 7.0),
		(2.5, ".", "", 2.5),
	],
)
def test_numbers_as_distributors_print_them(text, decimal, thousands, expected):
	assert parse_number(text, decimal, thousands) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["abc", "", "1,23,4", "1.2.3", "12 шт", "--1", "nan", "inf", "1e5", "1_000"])
def test_not_numbers_are_refused(text):
	with pytest.raises(RuleError) as e:
		parse_number(text)
	assert e.value.template == "{0} is not a number"


@given(
	st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
	st.sampled_from([(".", ""), (".", ","), (",", " "), (",", "."), (",", ""), (".", "'")]),
	st.sampled_from(["latin", "persian"]),
)
def test_formatting_and_parsing_round_trip(value, separators, digits):
	decimal, thousands = separators
	text = format_number(float(value), decimal, thousands, digits)
	assert parse_number(text, decimal, thousands) == pytest.approx(float(value))


# ------------------------------------------------------------------------------------------ dates


@pytest.mark.parametrize(
	"text, fmt, expected",
	[
		("1403/07/15", "jalali", D(2024, 10, 6)),
		("۱۴۰۳/۰۷/۱۵", "jalali", D(2024, 10, 6)),
		("1403-7-5", "jalali", D(2024, 9, 26)),
		("14030715", "jalali", D(2024, 10, 6)),
		(14030715, "jalali", D(2024, 10, 6)),
		("15/07/1403", "jalali", D(2024, 10, 6)),
		("1403/07/15 10:30", "jalali", D(2024, 10, 6)),
		("1403/07/15", "auto", D(2024, 10, 6)),
		("2024-07-05", "ymd", D(2024, 7, 5)),
		("2024/7/5", "ymd", D(2024, 7, 5)),
		("20240705", "ymd", D(2024, 7, 5)),
		("05.07.2024", "dmy", D(2024, 7, 5)),
		("5.7.24", "dmy", D(2024, 7, 5)),
		("2024-07-05", "dmy", D(2024, 7, 5)),  # a four-digit first part is the year in any format
		("07/05/2024", "mdy", D(2024, 7, 5)),
		("2024年7月5日", "chinese", D(2024, 7, 5)),
		("２０２４年７月５日", "chinese", D(2024, 7, 5)),
		("2024年07月05日 10:00", "auto", D(2024, 7, 5)),
		("2024/07/05", "chinese", D(2024, 7, 5)),
		("05.07.2024", "auto", D(2024, 7, 5)),
		("25/07/2024", "auto", D(2024, 7, 25)),
		("07/25/2024", "auto", D(2024, 7, 25)),  # the second part above 12: month first
		("2024-07-05T10:00:00", "auto", D(2024, 7, 5)),
		("45478", "auto", D(2024, 7, 5)),  # an Excel serial number as text
		(45478.0, "dmy", D(2024, 7, 5)),
		(datetime.datetime(2024, 7, 5, 9, 30), "jalali", D(2024, 7, 5)),
		(D(2024, 7, 5), "chinese", D(2024, 7, 5)),
	],
)
def test_dates_in_every_format(text, fmt, expected):
	assert parse_date(text, fmt) == expected


@pytest.mark.parametrize(
	"text, fmt",
	[
		("1403/13/01", "jalali"),
		("1403/12/31", "jalali"),  # 1403 is leap: 30 Esfand exists, 31 does not
		("31.02.2024", "dmy"),
		("2024年2月30日", "chinese"),
		("yesterday", "auto"),
		("05.07.2024", "jalali"),
		("45478", "jalali"),
		("1850-01-01", "ymd"),
		("", "auto"),
	],
)
def test_dates_that_do_not_exist_are_refused(text, fmt):
	with pytest.raises(RuleError) as e:
		parse_date(text, fmt)
	assert e.value.template == "{0} is not a valid date"


def test_unknown_date_format():
	with pytest.raises(RuleError, match="Unknown date format"):
		parse_date("2024-07-05", "julian")


@given(st.dates(min_value=D(1925, 3, 21), max_value=D(2150, 1, 1)))
def test_jalali_gregorian_round_trip(day):
	y, m, d = to_jalali(day)
	assert parse_date(f"{y}/{m}/{d}", "jalali") == day
	assert (
		parse_date(f"{y:04d}/{m:02d}/{d:02d}".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")), "auto")
		== day
	)


@given(st.dates(min_value=D(1950, 1, 1), max_value=D(2150, 1, 1)))
def test_gregorian_formats_round_trip(day):
	assert parse_date(day.strftime("%d.%m.%Y"), "dmy") == day
	assert parse_date(day.strftime("%m/%d/%Y"), "mdy") == day
	assert parse_date(day.isoformat(), "auto") == day
	assert parse_date(f"{day.year}年{day.month}月{day.day}日", "auto") == day


# ------------------------------------------------------------------------------------------ encodings

PERSIAN = (
	"تاریخ;مشتری;کالا;تعداد\n1403/07/15;فروشگاه رضا;شیر پاستوریزه کم چرب;5\n1403/07/16;سوپر نور;ماست;3\n"
)
RUSSIAN = "Дата;Контрагент;Номенклатура;Количество\n05.07.2024;Магазин Ромашка;Молоко Домик в деревне;5\n"
CHINESE = (
	"日期,客户名称,商品名称,数量\n2024年7月5日,华联超市,伊利纯牛奶,5\n2024年7月6日,永辉超市,蒙牛酸奶,3\n"
)


@pytest.mark.parametrize(
	"text, encoding, detected",
	[
		(PERSIAN.replace("ی", "ي").replace("ک", "ك"), "windows-1256", "windows-1256"),
		(RUSSIAN, "cp1251", "cp1251"),
		(CHINESE, "gbk", "gbk"),
		(RUSSIAN, "utf-8-sig", "utf-8-sig"),
		(PERSIAN, "utf-8", "utf-8"),
	],
)
def test_encodings_are_detected(text, encoding, detected):
	assert detect_encoding(text.encode(encoding)) == detected


@pytest.mark.parametrize(
	"text, encoding, columns, delimiter, fmt",
	[
		(
			PERSIAN.replace("ی", "ي").replace("ک", "ك"),
			"windows-1256",
			{"date": "تاریخ", "outlet_name": "مشتری", "item_name": "کالا", "qty": "تعداد"},
			";",
			"jalali",
		),
		(
			PERSIAN,
			"utf-8",
			{"date": "تاريخ", "outlet_name": "مشتري", "item_name": "كالا", "qty": "تعداد"},
			";",
			"auto",
		),
		(
			RUSSIAN,
			"cp1251",
			{"date": "Дата", "outlet_name": "Контрагент", "item_name": "Номенклатура", "qty": "Количество"},
			";",
			"dmy",
		),
		(
			RUSSIAN,
			"utf-8-sig",
			{"date": "дата", "outlet_name": "КОНТРАГЕНТ", "item_name": "Номенклатура", "qty": "Количество"},
			";",
			"dmy",
		),
		(
			CHINESE,
			"gbk",
			{"date": "日期", "outlet_name": "客户名称", "item_name": "商品名称", "qty": "数量"},
			",",
			"chinese",
		),
	],
)
def test_each_encoding_reads_back_its_text(text, encoding, columns, delimiter, fmt):
	data = text.encode(encoding)
	for given_encoding in (None, encoding):  # detected, then set in the profile
		parsed = parse_file(data, ImportSpec("csv", columns, date_format=fmt, encoding=given_encoding))
		assert parsed.encoding == encoding
		assert not parsed.errors
		first = parsed.rows[0]
		expected = text.splitlines()[1].split(delimiter)
		assert first.row_no == 2
		# names come back in one spelling: Persian ی/ک however the file wrote them
		assert first.outlet_name == expected[1].replace("ي", "ی").replace("ك", "ک")
		assert first.item_name == expected[2].replace("ي", "ی").replace("ك", "ک")
		assert first.qty == 5.0
		assert first.date in (D(2024, 7, 5), D(2024, 10, 6))


def test_a_file_mixing_encodings_is_refused_with_the_line():
	data = RUSSIAN.encode("utf-8") + "06.07.2024;Магазин Уют;Кефир;2\n".encode("cp1251")
	with pytest.raises(RuleError) as e:
		open_source(
			data,
			spec(
				columns={
					"date": "Дата",
					"outlet_name": "Контрагент",
					"item_name": "Номенклатура",
					"qty": "Количество",
				}
			),
		)
	assert e.value.template.startswith("Line {0} of the file cannot be read as {1} text")
	assert e.value.params == (3, "utf-8")


def test_a_legacy_file_with_a_utf8_line_is_refused():
	columns = {"date": "Дата", "outlet_name": "Контрагент", "item_name": "Номенклатура", "qty": "Количество"}
	data = RUSSIAN.encode("cp1251") + "06.07.2024;Магазин Уют;Кефир;2\n".encode()
	with pytest.raises(RuleError) as e:
		open_source(data, spec(columns=columns, encoding="cp1251"))
	assert e.value.params[0] == 3


# ------------------------------------------------------------------------------------------ file errors


def test_empty_file():
	for data in (b"", b"\n\n  \r\n", b"\xef\xbb\xbf"):
		with pytest.raises(RuleError) as e:
			open_source(data, spec())
		assert e.value.template == "The file is empty"
	with pytest.raises(RuleError) as e:
		open_source(b"", spec(file_type="xlsx"))
	assert e.value.template == "The file is empty"


def test_not_a_csv_file():
	workbook = xlsx([["Date", "Outlet", "Item", "Qty"]])
	with pytest.raises(RuleError) as e:
		open_source(workbook, spec())
	assert "it looks like {0}" in e.value.template
	with pytest.raises(RuleError) as e:
		open_source(b"%PDF-1.4 ...", spec())
	assert e.value.params == ("a PDF document",)
	with pytest.raises(RuleError) as e:
		open_source(b"Date,Outlet\x00\x01\x02\x00", spec())
	assert e.value.template == "The file is not a CSV text file: it contains binary data"


def test_not_a_spreadsheet():
	for data in (b"Date;Outlet;Item;Qty\n05.07.2024;A;B;1\n", b"PK\x03\x04broken zip"):
		with pytest.raises(RuleError) as e:
			open_source(data, spec(file_type="xlsx"))
		assert e.value.template == "The file is not an Excel workbook ({0}) or it is damaged"


def test_wrong_sheet_lists_the_sheets():
	data = xlsx([["Date", "Outlet", "Item", "Qty", "Amount"]], sheet="Продажи")
	with pytest.raises(RuleError) as e:
		open_source(data, spec(file_type="xlsx", sheet="Sales"))
	assert e.value.template == "Sheet {0} is not in the file; its sheets are: {1}"
	assert e.value.params == ("Sales", "Продажи")
	assert open_source(data, spec(file_type="xlsx", sheet=" продажи ")).sheet_names == ["Продажи"]


def test_missing_mapped_columns_are_named():
	with pytest.raises(RuleError) as e:
		open_source(b"Date;Outlet;Product;Qty\n05.07.2024;A;B;1\n", spec())
	assert e.value.template == "Columns not found in header row {0}: {1}. The header row has: {2}"
	assert e.value.params[0] == 1
	assert "Item (Item Name)" in e.value.params[1] and "Amount (Amount)" in e.value.params[1]
	assert e.value.params[2] == "Date, Outlet, Product, Qty"


def test_header_row_beyond_the_file():
	with pytest.raises(RuleError) as e:
		open_source(b"Date;Outlet;Item;Qty\n", spec(header_row=5))
	assert e.value.template == "The file has no column headers in row {0}"


@pytest.mark.parametrize(
	"kwargs, fragment",
	[
		({"file_type": "pdf"}, "Unknown file type"),
		({"date_format": "julian"}, "Unknown date format"),
		({"header_row": 0}, "header row must be 1"),
		({"columns": {"date": "Date", "item_name": "Item"}}, "Map a column for"),
		({"columns": {**COLUMNS, "colour": "X"}}, "Unknown fields"),
		({"encoding": "klingon"}, "Unknown encoding"),
		({"decimal_separator": ",", "thousands_separator": ","}, "must differ"),
	],
)
def test_bad_profiles_are_refused(kwargs, fragment):
	with pytest.raises(RuleError, match=fragment):
		open_source(b"Date;Outlet;Item;Qty;Amount\n", spec(**kwargs))


def test_required_mapping_names_what_is_missing():
	with pytest.raises(RuleError) as e:
		open_source(b"x", spec(columns={"date": "Date"}))
	assert e.value.params == ("Quantity, Item Code / Item Name, Outlet Code / Outlet Name",)


def test_missing_file_path(tmp_path):
	with pytest.raises(RuleError, match="not found"):
		open_source(tmp_path / "nothing.csv", spec())


# ------------------------------------------------------------------------------------------ rows


BAD_ROWS = (
	"Report of July\n"
	"Date;Outlet;Item;Qty;Amount\n"
	"05.07.2024;A1;Milk;5;1 250,50\n"  # 3 good
	"06.07.2024;A2;Kefir;-2;100\n"  # 4 a return
	"\n"  # 5 blank: skipped, no error
	"31.02.2024;A3;Milk;1;10\n"  # 6 no such date
	"07.07.2024;A4;Milk;many;10\n"  # 7 not a number
	"08.07.2024;;Milk;1;10\n"  # 8 no outlet
	"09.07.2024;A5;;1;10\n"  # 9 no item
	";A6;Milk;1;10\n"  # 10 no date
	"10.07.2024;A7;Milk;3;abc\n"  # 11 amount not a number
	"11.07.2024;A8;Milk;4;\n"  # 12 good, no amount
	"12.07.2024;A9\n"  # 13 short row: no item, no qty
)


@pytest.mark.parametrize("allow_returns", [False, True])
def test_bad_rows_are_listed_and_good_rows_kept(allow_returns):
	parsed = parse_file(
		BAD_ROWS.encode("utf-8"),
		spec(header_row=2, date_format="dmy", decimal_separator=",", allow_returns=allow_returns),
	)
	good = {r.row_no: r for r in parsed.rows}
	errors = {(e.row_no, e.column, e.template) for e in parsed.errors}
	assert good[3] == SellOutRow(3, D(2024, 7, 5), "A1", "", "", "", "", "Milk", 5.0, "", 1250.5, "")
	assert good[12].amount is None
	assert (6, "date", "{0} is not a valid date") in errors
	assert (7, "qty", "{0} is not a number") in errors
	assert (8, "", "Outlet code and outlet name are both empty") in errors
	assert (9, "", "Item code and item name are both empty") in errors
	assert (10, "date", "{0} is empty") in errors
	assert (11, "amount", "{0} is not a number") in errors
	assert (13, "qty", "{0} is empty") in errors and (
		13,
		"",
		"Item code and item name are both empty",
	) in errors
	return_error = (4, "qty", "Negative quantity {0}: this import profile does not accept returns")
	if allow_returns:
		assert good[4].qty == -2.0 and return_error not in errors
		assert sorted(good) == [3, 4, 12]
	else:
		assert return_error in errors and 4 not in good
		assert sorted(good) == [3, 12]
	assert 5 not in good and all(e.row_no != 5 for e in parsed.errors)
	assert parsed.total_rows == len(good) + len({e.row_no for e in parsed.errors}) == 10
	assert parsed.period == (D(2024, 7, 5), D(2024, 7, 11))
	message = next(e for e in parsed.errors if e.row_no == 6).message
	assert message == "31.02.2024 is not a valid date"


def test_regular_and_irregular_csv_number_rows_the_same():
	"""pyarrow reads regular files; a ragged row sends the reader to the csv module: same rows either way."""
	lines = ["Date;Outlet;Item;Qty;Amount"] + [
		f"05.07.2024;O{i};Item {i};{i % 7 + 1};{i}" for i in range(30_000)
	]
	regular = "\n".join(lines) + "\n"
	ragged = "\n".join([*lines[:25_000], "06.07.2024;X", *lines[25_000:]]) + "\n"
	a = parse_file(regular.encode(), spec(date_format="dmy"))
	b = parse_file(ragged.encode(), spec(date_format="dmy"))
	assert len(a.rows) == 30_000 and not a.errors
	assert [r.row_no for r in a.rows] == list(range(2, 30_002))
	assert len(b.rows) == 30_000
	assert [(e.row_no, e.column) for e in b.errors] == [(25_001, "qty"), (25_001, "")]
	assert b.rows[-1].row_no == 30_002 and b.rows[-1].outlet_code == "O29999"


def test_quoted_values_with_delimiters_and_newlines():
	data = 'Date,Outlet,Item,Qty,Amount\n2024-07-05,"A, Ltd","Milk ""Fresh""\n1L",2,"1,200.50"\n2024-07-06,B,Tea,1,3\n'
	parsed = parse_file(data.encode(), spec())
	assert [(r.row_no, r.outlet_code, r.item_name, r.amount) for r in parsed.rows] == [
		(2, "A, Ltd", 'Milk "Fresh" 1L', 1200.5),
		(3, "B", "Tea", 3.0),
	]


def test_delimiter_is_sniffed():
	import csv

	for delimiter in (";", ",", "\t", "|"):
		out = io.StringIO()
		writer = csv.writer(out, delimiter=delimiter)
		writer.writerow(["Date", "Outlet", "Item", "Qty", "Amount, RUB"])
		writer.writerow(["2024-07-05", "A", "Milk", "2", "10"])
		reader = open_source(out.getvalue().encode(), spec(columns={**COLUMNS, "amount": "Amount, RUB"}))
		assert reader.delimiter == delimiter
		assert [r.qty for b in reader.batches() for r in b.rows] == [2.0]


def test_columns_by_excel_letter_and_normalised_headers():
	data = "  ＤＡＴＥ ;Outlet  Code;Item;Кол-во ۱\n2024-07-05;A;Milk;3\n".encode()
	columns = {"date": "date", "outlet_code": "outlet code", "item_name": "C", "qty": "кол-во 1"}
	parsed = parse_file(data, spec(columns=columns))
	assert [(r.date, r.outlet_code, r.item_name, r.qty) for r in parsed.rows] == [
		(D(2024, 7, 5), "A", "Milk", 3.0)
	]


def test_xlsx_cells_dates_numbers_and_row_numbers():
	data = xlsx(
		[
			[],
			[None, "Sales report"],
			[None, "Date", "Outlet", "Item", "Qty", "Amount"],
			[None, D(2024, 7, 5), 1025, "Milk", 5, 1250.5],
			[None, "1403/07/15", "A2", "Kefir", "۳", "1,200"],
			[None, 45480, "A3", "Tea", 2.5, None],
			[],
			[None, datetime.datetime(2024, 7, 9, 10, 0), "A4", "Milk", -1, 10],
			[None, "2024年7月10日", "A5", "Milk", "x", 10],
		],
		sheet="Data",
	)
	parsed = parse_file(data, spec(file_type="xlsx", header_row=3, sheet="Data"))
	assert parsed.encoding is None and parsed.sheet_names == ["Data"]
	assert [(r.row_no, r.date, r.outlet_code, r.qty, r.amount) for r in parsed.rows] == [
		(4, D(2024, 7, 5), "1025", 5.0, 1250.5),
		(5, D(2024, 10, 6), "A2", 3.0, 1200.0),
		(6, D(2024, 7, 7), "A3", 2.5, None),
	]
	assert [(e.row_no, e.column) for e in parsed.errors] == [(8, "qty"), (9, "qty")]
	letters = parse_file(
		data,
		spec(
			file_type="xlsx",
			header_row=3,
			columns={"date": "B", "outlet_code": "C", "item_name": "D", "qty": "E"},
		),
	)
	assert [r.row_no for r in letters.rows] == [4, 5, 6]


def test_preview_reads_the_first_rows_only():
	lines = ["Date;Outlet;Item;Qty;Amount"] + [f"2024-07-05;O{i};Item;1;1" for i in range(5000)]
	parsed = preview("\n".join(lines).encode(), spec(), limit=20)
	assert len(parsed.rows) == 20 and parsed.rows[-1].row_no == 21
	assert parsed.headers == ["Date", "Outlet", "Item", "Qty", "Amount"]


def test_batches_stream_in_the_requested_size(tmp_path):
	path = tmp_path / "big.csv"
	path.write_text("Date;Outlet;Item;Qty;Amount\n" + "2024-07-05;O;Item;1;1\n" * 25_000, encoding="cp1251")
	reader = open_source(path, spec())
	sizes = [len(b.rows) for b in reader.batches(size=10_000)]
	assert sum(sizes) == 25_000 and max(sizes) <= 10_000
	assert reader.total_rows == 25_000


def test_file_hash_is_sha256_of_the_bytes(tmp_path):
	import hashlib

	data = b"Date;Outlet\n" * 100_000
	path = tmp_path / "f.csv"
	path.write_bytes(data)
	assert file_hash(data) == file_hash(path) == hashlib.sha256(data).hexdigest()


def test_fields_and_row_shape_follow_the_contract():
	assert SellOutRow._fields == ("row_no", *FIELDS)


# ------------------------------------------------------------------------------------------ number columns
# One number cannot tell whether "1,000" is a thousand or one; its column can. A column whose values
# contradict the profile's separators, or each other, refuses the file: no figure of it is returned.

PROFILE = 'Column {0}, row {1}: {2} has "{3}" as {4}, but the import profile has {5} as Decimal Separator and {6} as Thousands Separator. Nothing was imported: correct the import profile or the file and import it again'
MIXED = 'Column {0} mixes number formats: row {1} has {2} with "{3}" as {4}, but row {5} has {6} with "{7}" as {8}. Nothing was imported: set the Decimal Separator and Thousands Separator of the import profile to those of the file, or correct the file, and import it again'


def number_file(values: list, column: str = "qty", file_type: str = "csv", other="1") -> bytes:
	"""A file whose Qty (or Amount) column holds ``values`` from row 2 on; the other number is ``other``."""
	rows = [
		[D(2024, 7, 5) if file_type == "xlsx" else "2024-07-05", f"O{i}", "Milk", *pair]
		for i, value in enumerate(values)
		for pair in [(value, other) if column == "qty" else (other, value)]
	]
	if file_type == "xlsx":
		return xlsx([["Date", "Outlet", "Item", "Qty", "Amount"], *rows])
	lines = ["Date;Outlet;Item;Qty;Amount", *(";".join(str(c) for c in row) for row in rows)]
	return ("\n".join(lines) + "\n").encode()


def numbers_read(values, column="qty", file_type="csv", **profile) -> list[float]:
	parsed = parse_file(number_file(values, column, file_type), spec(file_type=file_type, **profile))
	assert not parsed.errors
	return [getattr(r, column) for r in parsed.rows]


def refusal(values, column="qty", file_type="csv", size=10_000, **profile) -> RuleError:
	"""The file is refused: parse_file returns nothing, and no batch of rows comes out of the reader."""
	data = number_file(values, column, file_type)
	with pytest.raises(RuleError) as e:
		parse_file(data, spec(file_type=file_type, **profile))
	reader = open_source(data, spec(file_type=file_type, **profile))
	with pytest.raises(RuleError) as again:
		next(iter(reader.batches(size)))
	assert (again.value.template, again.value.params) == (e.value.template, e.value.params)
	return e.value


@pytest.mark.parametrize("file_type", ["csv", "xlsx"])
@pytest.mark.parametrize("column", ["qty", "amount"])
def test_a_russian_column_read_with_the_default_point_tells_its_decimal_comma(column, file_type):
	# the profile's defaults (decimal Point, thousands Detect): "1234,5" tells the column's decimal comma,
	# so its "1,000" is one, not a thousand
	values = ["1,000", "1234,5", "2 500,75", "3\u00a0000", "7"]
	assert numbers_read(values, column, file_type) == [1.0, 1234.5, 2500.75, 3000.0, 7.0]


@pytest.mark.parametrize("file_type", ["csv", "xlsx"])
def test_quantities_that_tell_nothing_follow_the_amounts_of_the_file(file_type):
	# 1C: quantities "1,000" and "12,500" (three decimals), amounts "1 234,50": a decimal comma
	data = number_file(["1,000", "12,500"], "qty", file_type, other="1 234,50")
	parsed = parse_file(data, spec(file_type=file_type))
	assert [(r.qty, r.amount) for r in parsed.rows] == [(1.0, 1234.5), (12.5, 1234.5)]


@pytest.mark.parametrize(
	"values, profile, expected",
	[
		(["1,000", "2,500"], {}, [1000.0, 2500.0]),  # nothing tells: the profile's point, "," thousands
		(["1.000", "2.500"], {}, [1.0, 2.5]),
		(["1.000", "2.500"], {"decimal_separator": ","}, [1000.0, 2500.0]),
		(["1.000", "1.234.567"], {}, [1000.0, 1234567.0]),  # thousands points: a decimal comma
		(["1,234.5", "1,000"], {}, [1234.5, 1000.0]),
		(["1.234,5", "1.000"], {}, [1234.5, 1000.0]),
		(["۱۲٬۳۴۵٫۵", "۱٬۰۰۰"], {}, [12345.5, 1000.0]),  # Persian: ٫ decimal, ٬ thousands
		(["۱۲۳۴٫۵", "۱٫۰۰۰"], {}, [1234.5, 1.0]),
		(
			["１，２３４．５０", "１，０００"],
			{},
			[1234.5, 1000.0],
		),  # full-width, as Chinese input methods type
		(["1,000", "12.5"], {"thousands_separator": ","}, [1000.0, 12.5]),
		(["1 000", "12,5"], {"decimal_separator": ",", "thousands_separator": " "}, [1000.0, 12.5]),
		(["1.000", "12,5"], {"decimal_separator": ",", "thousands_separator": "."}, [1000.0, 12.5]),
	],
)
def test_columns_that_agree_with_themselves_and_the_profile_are_read(values, profile, expected):
	for column in ("qty", "amount"):
		assert numbers_read(values, column, **profile) == expected


# (number style, profile, values of one column, row and value refused, the mark shown, its role there)
CONTRADICTIONS = [
	# ru: space or no-break space thousands, decimal comma
	(
		"ru",
		{"decimal_separator": ",", "thousands_separator": " "},
		["1 234,5", "12.5"],
		3,
		"12.5",
		".",
		"Decimal Separator",
	),
	(
		"ru",
		{"decimal_separator": ",", "thousands_separator": " "},
		["1\u00a0234,50", "1,234.50"],
		3,
		"1,234.50",
		".",
		"Decimal Separator",
	),
	(
		"ru",
		{"decimal_separator": ",", "thousands_separator": "."},
		["1.234,5", "1.5"],
		3,
		"1.5",
		".",
		"Decimal Separator",
	),
	(
		"ru",
		{"decimal_separator": ",", "thousands_separator": "."},
		["2,5", "1.2345"],
		3,
		"1.2345",
		".",
		"Decimal Separator",
	),
	(
		"ru",
		{"decimal_separator": ",", "thousands_separator": " "},
		["1 000", "1,234,567"],
		3,
		"1,234,567",
		",",
		"Thousands Separator",
	),
	# zh: comma thousands, decimal point
	("zh", {"thousands_separator": ","}, ["1,234.50", "1234,5"], 3, "1234,5", ",", "Decimal Separator"),
	("zh", {"thousands_separator": ","}, ["1,234.50", "12,34"], 3, "12,34", ",", "Decimal Separator"),
	("zh", {"thousands_separator": ","}, ["1,000", "1234,567"], 3, "1234,567", ",", "Decimal Separator"),
	("zh", {"thousands_separator": ","}, ["5", "1.234.567"], 3, "1.234.567", ".", "Thousands Separator"),
	(
		"zh",
		{"thousands_separator": ","},
		["１，２３４．５", "１２，５"],
		3,
		"１２，５",
		"，",
		"Decimal Separator",
	),
	# fa: Persian digits, Arabic decimal separator ٫ and thousands separator ٬
	("fa", {"thousands_separator": ","}, ["۱۲٬۳۴۵٫۵", "۱۲٬۵"], 3, "۱۲٬۵", "٬", "Decimal Separator"),
	("fa", {"thousands_separator": ","}, ["۱۲٬۳۴۵", "۱۲۳۴٬۵۶۷"], 3, "۱۲۳۴٬۵۶۷", "٬", "Decimal Separator"),
	(
		"fa",
		{"decimal_separator": ",", "thousands_separator": "."},
		["۱۲", "۱۲٫۵"],
		3,
		"۱۲٫۵",
		"٫",
		"Decimal Separator",
	),
]


@pytest.mark.parametrize("file_type", ["csv", "xlsx"])
@pytest.mark.parametrize("column", ["qty", "amount"])
@pytest.mark.parametrize("style, profile, values, row, value, mark, role", CONTRADICTIONS)
def test_a_column_contradicting_the_profile_refuses_the_file(
	style, profile, values, row, value, mark, role, column, file_type
):
	e = refusal(values, column, file_type, **profile)
	assert e.template == PROFILE
	label = {"qty": "Quantity", "amount": "Amount"}[column]
	separators = {".": "Point", ",": "Comma", " ": "Space"}
	assert e.params == (
		label,
		row,
		value,
		mark,
		role,
		separators[profile.get("decimal_separator", ".")],
		separators[profile["thousands_separator"]],
	)


# (number style, profile, values, (row, value, mark, role) of the earlier value, the same of the later)
MIXED_COLUMNS = [
	(
		"ru",
		{},
		["1234,5", "1.5"],
		(2, "1234,5", ",", "Decimal Separator"),
		(3, "1.5", ".", "Decimal Separator"),
	),
	(
		"ru",
		{"decimal_separator": ","},
		["1 234,5", "12.5"],
		(2, "1 234,5", ",", "Decimal Separator"),
		(3, "12.5", ".", "Decimal Separator"),
	),
	(
		"ru",
		{"decimal_separator": ","},
		["1\u00a0234,5", "1,234,567"],  # "1.234.567" would agree: points as thousands
		(2, "1\u00a0234,5", ",", "Decimal Separator"),
		(3, "1,234,567", ",", "Thousands Separator"),
	),
	(
		"zh",
		{},
		["1,234.50", "1234,5"],
		(2, "1,234.50", ".", "Decimal Separator"),
		(3, "1234,5", ",", "Decimal Separator"),
	),
	(
		"zh",
		{},
		["1,234,567", "1.234.567"],
		(2, "1,234,567", ",", "Thousands Separator"),
		(3, "1.234.567", ".", "Thousands Separator"),
	),
	(
		"zh",
		{},
		["1,234,567", "12,5"],
		(2, "1,234,567", ",", "Thousands Separator"),
		(3, "12,5", ",", "Decimal Separator"),
	),
	(
		"fa",
		{},
		["۱۲٬۳۴۵٫۵", "۱۲٬۵"],
		(2, "۱۲٬۳۴۵٫۵", "٫", "Decimal Separator"),
		(3, "۱۲٬۵", "٬", "Decimal Separator"),
	),
	(
		"fa",
		{},
		["۱٬۲۵۰٬۰۰۰", "۱۲۳۴٬۵"],
		(2, "۱٬۲۵۰٬۰۰۰", "٬", "Thousands Separator"),
		(3, "۱۲۳۴٬۵", "٬", "Decimal Separator"),
	),
	(
		"fa",
		{},
		["۱۲۳۴٫۵", "۱۲,۵"],
		(2, "۱۲۳۴٫۵", "٫", "Decimal Separator"),
		(3, "۱۲,۵", ",", "Decimal Separator"),
	),
]


@pytest.mark.parametrize("file_type", ["csv", "xlsx"])
@pytest.mark.parametrize("column", ["qty", "amount"])
@pytest.mark.parametrize("style, profile, values, earlier, later", MIXED_COLUMNS)
def test_a_column_contradicting_itself_refuses_the_file(
	style, profile, values, earlier, later, column, file_type
):
	e = refusal(values, column, file_type, **profile)
	assert e.template == MIXED
	assert e.params == ({"qty": "Quantity", "amount": "Amount"}[column], *earlier, *later)


@pytest.mark.parametrize("column", ["qty", "amount"])
def test_a_late_value_contradicting_how_earlier_batches_were_read_refuses_the_file(column):
	values = ["1,000", "2,000", "3,000", "4,000", "1234,5"]
	# in one batch "1234,5" tells the column's decimal comma before any "1,000" is read
	assert numbers_read(values, column) == [1.0, 2.0, 3.0, 4.0, 1234.5]
	# in batches of two, rows 2-5 are out (read as thousands: nothing told otherwise) when row 6 says
	# "," is the decimal mark: the reader refuses the file (a caller drops what it has read: the import
	# runs in one transaction) and never reads "1234,5" with the comma it has read as thousands
	reader = open_source(number_file(values, column), spec())
	seen = []
	with pytest.raises(RuleError) as e:
		for batch in reader.batches(size=2):
			seen.extend(getattr(row, column) for row in batch.rows)
	assert seen == [1000.0, 2000.0, 3000.0, 4000.0]
	assert e.value.template == MIXED
	assert e.value.params[1:] == (
		2,
		"1,000",
		",",
		"Thousands Separator",
		6,
		"1234,5",
		",",
		"Decimal Separator",
	)


def refused_in_full(values, column="amount", **profile) -> RuleError:
	"""parse_file refuses the file: it returns no rows at all."""
	with pytest.raises(RuleError) as e:
		parse_file(number_file(values, column), spec(**profile))
	return e.value


def test_the_pyarrow_path_for_plain_amounts_does_not_skip_the_check():
	# 100,000 rows make several pyarrow blocks; "1234.5" and "1.000" are plain amounts pyarrow converts
	# in C; "1.234.567" in the last block says "." is a thousands separator: "1.000" was a thousand
	values = ["1234.5"] + ["1.000"] * 100_000 + ["1.234.567"]
	e = refused_in_full(values)
	assert e.template == MIXED
	assert e.params == (
		"Amount",
		2,
		"1234.5",
		".",
		"Decimal Separator",
		100_003,
		"1.234.567",
		".",
		"Thousands Separator",
	)
	# a decimal comma told first: the plain "1.5" of later blocks is not taken for one and a half
	e = refused_in_full(["2,5"] + ["1.5"] * 100_000)
	assert e.params[1:] == (2, "2,5", ",", "Decimal Separator", 3, "1.5", ".", "Decimal Separator")
	# a comma profile: the fast path reads "1 234,5" as 1234.5, and refuses a file with "12.5" as well
	e = refused_in_full(["1 234,5"] * 100_000 + ["12.5"], decimal_separator=",", thousands_separator=" ")
	assert e.template == PROFILE and e.params[1:3] == (100_002, "12.5")


def test_plain_amounts_that_tell_nothing_are_read_as_the_file_tells():
	# pyarrow's block holds "1.000" only: the quantities' decimal comma says it is a thousand
	data = number_file(["1.000"] * 50_000, "amount", other="2,5")
	parsed = parse_file(data, spec())
	assert {(r.qty, r.amount) for r in parsed.rows} == {(2.5, 1000.0)}
	parsed = parse_file(number_file(["1.000"] * 50_000, "amount"), spec())
	assert {r.amount for r in parsed.rows} == {1.0}


# --- property-based: numbers as fa, ru and zh files print them ------------------------------------

_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_FULL_WIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")
STYLES = {  # decimal mark, thousands marks; the profile's (decimal, thousands) for this style
	"ru": (",", (" ", "\u00a0"), (",", " ")),
	"zh": (".", (",",), (".", ",")),
	"fa": ("٫", ("٬",), (".", ",")),
}


@st.composite
def styled_number(draw, style: str):
	"""(text, value, tells, ambiguous): a number as a ``style`` file prints it; ``tells`` when its marks
	show which is the decimal one, ``ambiguous`` when it has a mark that could be either ("1,000")."""
	decimal, thousands_marks, _profile = STYLES[style]
	whole = draw(st.integers(0, 10**7))
	places = draw(st.sampled_from([0, 0, 1, 2, 3]))
	frac = draw(st.integers(0, 10**places - 1)) if places else 0
	thousands = draw(st.sampled_from(thousands_marks)) if draw(st.booleans()) else ""
	digits = str(whole)
	groups = []
	while digits:
		groups.insert(0, digits[-3:])
		digits = digits[:-3]
	text = (thousands or "").join(groups) + (f"{decimal}{frac:0{places}d}" if places else "")
	grouping = 0 if thousands in ("", " ", "\u00a0") else len(groups) - 1  # marks, not spaces
	if places and grouping:
		tells = True
	elif places:
		tells = not (places == 3 and len(str(whole)) <= 3 and str(whole)[0] != "0")
	else:
		tells = grouping >= 2
	ambiguous = bool(places or grouping) and not tells
	if style == "fa" and draw(st.booleans()):
		text = text.translate(_PERSIAN_DIGITS)
	if style == "zh" and draw(st.integers(0, 9)) == 0:
		text = text.translate(_FULL_WIDTH)
	return text, whole + frac / 10**places, tells, ambiguous


@st.composite
def styled_column(draw):
	style = draw(st.sampled_from(sorted(STYLES)))
	return style, draw(st.lists(styled_number(style), min_size=1, max_size=25))


def read_in_batches(values, column, size, **profile):
	reader = open_source(number_file(values, column), spec(**profile))
	return [getattr(r, column) for b in reader.batches(size) for r in b.rows]


@given(styled_column(), st.sampled_from(["qty", "amount"]), st.sampled_from([1, 3, 10_000]))
def test_a_column_in_one_style_is_read_right_with_its_separators(styled, column, size):
	style, numbers = styled
	texts = [n[0] for n in numbers]
	expected = pytest.approx([n[1] for n in numbers])
	decimal, thousands = STYLES[style][2]
	assert read_in_batches(texts, column, size, decimal_separator=decimal) == expected  # thousands: Detect
	assert (
		read_in_batches(texts, column, size, decimal_separator=decimal, thousands_separator=thousands)
		== expected
	)


@given(styled_column(), st.sampled_from(["qty", "amount"]), st.sampled_from([1, 3, 10_000]))
def test_a_column_read_with_the_default_point_is_read_right_or_refused(styled, column, size):
	"""The profile's defaults (Point, Detect) on any style: the numbers come out right, or the file is
	refused; only a column where no number ever tells leaves "1,000" to the profile (a thousand)."""
	style, numbers = styled
	texts = [n[0] for n in numbers]
	first_telling = next((i for i, n in enumerate(numbers) if n[2]), None)
	try:
		got = read_in_batches(texts, column, size)
	except RuleError as e:
		assert e.template == MIXED
		# refused only when a "1,000" was read in an earlier batch than the first telling number
		assert STYLES[style][0] == "," and first_telling is not None
		assert any(n[3] and i // size < first_telling // size for i, n in enumerate(numbers))
		return
	if first_telling is not None or STYLES[style][0] != ",":
		assert got == pytest.approx([n[1] for n in numbers])
	else:
		assert [g for g, n in zip(got, numbers, strict=True) if not n[3]] == pytest.approx(
			[n[1] for n in numbers if not n[3]]
		)


@given(
	styled_column(),
	st.sampled_from(["qty", "amount"]),
	st.sampled_from([1, 3, 10_000]),
	st.data(),
)
def test_a_column_mixing_two_decimal_marks_is_always_refused(styled, column, size, data):
	style, numbers = styled
	other = {"ru": "zh", "zh": "ru", "fa": "ru"}[style]
	mine = data.draw(styled_number(style).filter(lambda n: n[2]))
	theirs = data.draw(styled_number(other).filter(lambda n: n[2]))
	texts = [n[0] for n in numbers]
	texts.insert(data.draw(st.integers(0, len(texts))), mine[0])
	texts.insert(data.draw(st.integers(0, len(texts))), theirs[0])
	decimal, thousands = STYLES[style][2]
	for profile, template in (
		({}, MIXED),
		({"decimal_separator": decimal}, MIXED),
		({"decimal_separator": decimal, "thousands_separator": thousands}, PROFILE),
	):
		with pytest.raises(RuleError) as e:
			parse_file(number_file(texts, column), spec(**profile))
		assert e.value.template == template
		with pytest.raises(RuleError):
			read_in_batches(texts, column, size, **profile)
