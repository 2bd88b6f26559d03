"""One test command for every machine: ``python -m pytest tests``.

* The pure tests (tests/unit) import no frappe and always run.
* The integration tests (tests/integration) need a Frappe site. When a bench exists at ``$DS_BENCH``
  (default /opt/frappe-bench) but this Python cannot import frappe, the run is handed over to the
  bench's own Python (same arguments), so both suites run in one process. With no bench, the
  integration suite is skipped and one line says so.
"""

import importlib.util
import os
import sys
from pathlib import Path

BENCH = Path(os.environ.get("DS_BENCH", "/opt/frappe-bench"))
BENCH_PYTHON = BENCH / "env" / "bin" / "python"
HERE = Path(__file__).resolve().parent

collect_ignore: list[str] = []


def _frappe_importable() -> bool:
	return importlib.util.find_spec("frappe") is not None


def _bench_has_pytest() -> bool:
	return any(BENCH.glob("env/lib/python3*/site-packages/pytest/__init__.py"))


def _should_hand_over() -> bool:
	if os.environ.get("DS_IN_BENCH_PYTHON") or _frappe_importable():
		return False
	return BENCH_PYTHON.exists() and _bench_has_pytest()


def pytest_configure(config):
	"""Re-run this very command in the bench's Python (output capture stopped first, so it shows)."""
	if not _should_hand_over():
		return
	capture = config.pluginmanager.getplugin("capturemanager")
	if capture:
		capture.stop_global_capturing()
	os.environ["DS_IN_BENCH_PYTHON"] = "1"
	sys.stdout.flush()
	sys.stderr.flush()
	os.execv(str(BENCH_PYTHON), [str(BENCH_PYTHON), "-m", "pytest", *sys.argv[1:]])


if not _frappe_importable():
	collect_ignore.append(str(HERE / "integration"))
	INTEGRATION_SKIPPED = (
		f"integration suite skipped: the bench at {BENCH} has no pytest (install the app's test extras there)"
		if BENCH_PYTHON.exists()
		else f"integration suite skipped: no Frappe bench at {BENCH}"
	)
else:
	INTEGRATION_SKIPPED = ""


def pytest_report_header(config):
	return (
		INTEGRATION_SKIPPED
		or f"integration suite: bench {BENCH}, site {os.environ.get('DS_SITE', 'test.localhost')}"
	)


def pytest_terminal_summary(terminalreporter):
	if INTEGRATION_SKIPPED:
		terminalreporter.write_line(INTEGRATION_SKIPPED)
