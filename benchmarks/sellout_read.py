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

from distribution_sales.parsing import ImportSpec, open_source
from tests.sellout_samples import make_catalogue, make_sellout_file, write_sellout_csv


def peak_rss_mb() -> float:
	return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_all(path: Path, spec: ImportSpec) -> tuple[int, int, float, float]:
	"""(rows, row errors, wall seconds, CPU seconds): on a shared, busy machine the CPU time of this
	single-threaded reader is the fairer figure, so both are printed."""
	start, cpu = time.perf_counter(), time.process_time()
	reader = open_source(path, spec)
	rows = errors = 0
	for batch in reader.batches(10_000):
		rows += len(batch.rows)
		errors += len(batch.errors)
	return rows, errors, time.perf_counter() - start, time.process_time() - cpu


def rates(rows: int, wall: float, cpu: float) -> str:
	return f"{rows / wall:,.0f} rows/s ({wall:.2f} s wall; {rows / cpu:,.0f} rows per CPU second)"


def xlsx(n: int, folder: Path) -> None:
	items, outlets = make_catalogue("ru", items=500, outlets=3000)
	start = time.perf_counter()
	sample = make_sellout_file("ru", n, "xlsx", items, outlets, seed=1, messy=True)
	path = folder / "sellout.xlsx"
	path.write_bytes(sample.content)
	took = time.perf_counter() - start
	print(f"xlsx: generated {n:,} rows ({len(sample.content) / 2**20:.1f} MiB) in {took:.1f} s")
	rows, errors, wall, cpu = read_all(path, ImportSpec(**sample.spec_kwargs))
	print(
		f"xlsx: calamine + parsing: {rates(rows + errors, wall, cpu)}; {rows:,} rows, {errors:,} row errors"
	)

	from openpyxl import load_workbook

	start, cpu = time.perf_counter(), time.process_time()
	book = load_workbook(path, read_only=True)
	count = sum(1 for _row in book[sample.spec_kwargs["sheet"]].iter_rows(values_only=True))
	book.close()
	wall, cpu = time.perf_counter() - start, time.process_time() - cpu
	print(f"xlsx: openpyxl read_only, cells only (no parsing): {rates(count, wall, cpu)}")


def csv(n: int, folder: Path) -> None:
	path = folder / "sellout.csv"
	start = time.perf_counter()
	sample = write_sellout_csv(path, n, "ru", seed=1)
	size = path.stat().st_size / 2**20
	print(f"csv: generated {n:,} rows ({size:.0f} MiB, cp1251) in {time.perf_counter() - start:.1f} s")
	before = peak_rss_mb()
	rows, errors, wall, cpu = read_all(path, ImportSpec(**sample.spec_kwargs))
	print(
		f"csv: parsing (encoding check, pyarrow blocks, conversion): {rates(rows + errors, wall, cpu)}; "
		f"{rows:,} rows, {errors:,} row errors; peak RSS {peak_rss_mb():.0f} MB (before {before:.0f} MB)"
	)
	utf8 = folder / "sellout_utf8.csv"
	with open(path, encoding="cp1251") as source, open(utf8, "w", encoding="utf-8") as target:
		for line in source:
			target.write(line)
	rows, errors, wall, cpu = read_all(utf8, ImportSpec(**{**sample.spec_kwargs, "encoding": None}))
	print(f"csv: the same file in UTF-8, encoding detected: {rates(rows + errors, wall, cpu)}")


if __name__ == "__main__":
	xlsx_rows = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
	csv_rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
	with tempfile.TemporaryDirectory() as folder:
		csv(csv_rows, Path(folder))
		xlsx(xlsx_rows, Path(folder))
