"""SEC-1 reading speed, without a database:

* a generated 200,000-row XLSX streamed with python-calamine through the sell-out reader (target:
  >= 20,000 rows/s), against openpyxl's read_only mode iterating the same file's cells (no parsing);
* a generated 1,000,000-row cp1251 CSV (1C style) parsed into rows, with the peak resident memory
  (the end-to-end import needs 50,000 rows/s, so parsing alone should be well above that).

    python benchmarks/sellout_read.py [XLSX_ROWS] [CSV_ROWS]
"""

import importlib.util
import resource
import sys
import tempfile
import time
from pathlib import Path

MISSING = [
	m
	for m in ("python_calamine", "pyarrow", "charset_normalizer", "openpyxl")
	if importlib.util.find_spec(m) is None
]
if MISSING:  # a Python without the app's requirements (pip install -e .)
	print(f"skipped: needs {', '.join(MISSING)}")
	sys.exit(0)

from distribution_sales.rules.sellout import ImportSpec, open_source
from distribution_sales.secondary_sales.samples import make_catalogue, make_sellout_file, write_sellout_csv


def peak_rss_mb() -> float:
	return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_all(path: Path, spec: ImportSpec) -> tuple[int, int, float]:
	start = time.perf_counter()
	reader = open_source(path, spec)
	rows = errors = 0
	for batch in reader.batches(10_000):
		rows += len(batch.rows)
		errors += len(batch.errors)
	return rows, errors, time.perf_counter() - start


def xlsx(n: int, folder: Path) -> None:
	items, outlets = make_catalogue("ru", items=500, outlets=3000)
	start = time.perf_counter()
	sample = make_sellout_file("ru", n, "xlsx", items, outlets, seed=1, messy=True)
	path = folder / "sellout.xlsx"
	path.write_bytes(sample.content)
	print(
		f"xlsx: generated {n:,} rows ({len(sample.content) / 2**20:.1f} MiB) in {time.perf_counter() - start:.1f} s"
	)
	rows, errors, took = read_all(path, ImportSpec(**sample.spec_kwargs))
	print(
		f"xlsx: calamine + parsing: {(rows + errors) / took:,.0f} rows/s ({rows:,} rows, {errors:,} row errors, {took:.2f} s)"
	)

	from openpyxl import load_workbook

	start = time.perf_counter()
	book = load_workbook(path, read_only=True)
	count = sum(1 for _row in book[sample.spec_kwargs["sheet"]].iter_rows(values_only=True))
	book.close()
	took = time.perf_counter() - start
	print(f"xlsx: openpyxl read_only, cells only (no parsing): {count / took:,.0f} rows/s ({took:.2f} s)")


def csv(n: int, folder: Path) -> None:
	path = folder / "sellout.csv"
	start = time.perf_counter()
	sample = write_sellout_csv(path, n, "ru", seed=1)
	size = path.stat().st_size / 2**20
	print(f"csv: generated {n:,} rows ({size:.0f} MiB, cp1251) in {time.perf_counter() - start:.1f} s")
	before = peak_rss_mb()
	rows, errors, took = read_all(path, ImportSpec(**sample.spec_kwargs))
	print(
		f"csv: parsing (encoding check, pyarrow blocks, conversion): {(rows + errors) / took:,.0f} rows/s "
		f"({rows:,} rows, {errors:,} row errors, {took:.2f} s); peak RSS {peak_rss_mb():.0f} MB (before {before:.0f} MB)"
	)
	utf8 = folder / "sellout_utf8.csv"
	utf8.write_text(path.read_text(encoding="cp1251"), encoding="utf-8")
	rows, errors, took = read_all(utf8, ImportSpec(**{**sample.spec_kwargs, "encoding": None}))
	print(f"csv: the same file in UTF-8, encoding detected: {(rows + errors) / took:,.0f} rows/s")


if __name__ == "__main__":
	xlsx_rows = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
	csv_rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
	with tempfile.TemporaryDirectory() as folder:
		csv(csv_rows, Path(folder))
		xlsx(xlsx_rows, Path(folder))
