"""One test command for every machine: ``python -m pytest tests``.

* The pure tests (tests/unit) import no frappe and always run.
* The integration tests (tests/integration) need a Frappe site. When a bench exists at ``$DS_BENCH``
  (default /opt/frappe-bench) but this Python cannot import frappe, the run is handed over to the
  bench's own Python (same arguments), so both suites run in one process. With no bench, the
  integration suite is skipped and one line says so.
* Unless ``$DS_SITE`` names a site to use (a long-lived one for day-to-day work), the integration
  suite runs on a site made for the run: a new site with ERPNext and this app (the demo is built by
  the suite's set-up), dropped when the run ends (kept when ``$DS_KEEP_SITE`` is set). A test that
  passes only on a site where earlier runs left records behind fails here.
"""

import importlib.util
import os
import secrets
import subprocess
import sys
import tempfile
import time
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


def _wants_integration(config) -> bool:
	"""Whether the run collects integration tests (not for ``pytest tests/unit``)."""
	integration = HERE / "integration"
	for arg in config.args or [str(HERE)]:
		path = Path(arg.split("::")[0]).resolve()
		if path == integration or integration in path.parents or path in integration.parents:
			return True
	return False


def _bench(*args: str, timeout: int = 1200) -> None:
	out = subprocess.run(
		[str(BENCH_PYTHON), "-m", "frappe.utils.bench_helper", "frappe", *args],
		cwd=BENCH / "sites",
		capture_output=True,
		text=True,
		timeout=timeout,
	)
	if out.returncode:
		raise RuntimeError(f"bench {' '.join(args[:3])} failed:\n{(out.stdout + out.stderr)[-3000:]}")


FRESH_SITE: str | None = None
ROOT_PASSWORD = os.environ.get("DS_DB_ROOT_PASSWORD", "root")


def _say(line: str) -> None:
	print(line, file=sys.stderr, flush=True)


def _make_fresh_site() -> str:
	"""A new site with ERPNext and this app for this run (about 1-2 minutes)."""
	site = f"ds-run-{secrets.token_hex(3)}.localhost"
	started = time.monotonic()
	_say(f"making the site {site} for this run (new-site, ERPNext, this app)")
	_bench(
		"new-site", site, "--db-root-username", "root", "--db-root-password", ROOT_PASSWORD,
		"--admin-password", "admin", "--install-app", "erpnext",
	)  # fmt: skip
	_bench("--site", site, "install-app", "distribution_sales")
	_say(f"site {site} ready in {time.monotonic() - started:.0f} s")
	return site


def pytest_configure(config):
	"""Re-run this very command in the bench's Python (output capture stopped first, so it shows);
	in the bench's Python, make the run's own site when no site was named."""
	global FRESH_SITE
	if _frappe_importable() and not os.environ.get("DS_SITE") and _wants_integration(config):
		if BENCH_PYTHON.exists() and (BENCH / "sites").is_dir():
			FRESH_SITE = _make_fresh_site()
			os.environ["DS_SITE"] = FRESH_SITE
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


def pytest_unconfigure(config):
	if FRESH_SITE and not os.environ.get("DS_KEEP_SITE"):
		with tempfile.TemporaryDirectory() as archive:  # the dropped site's folder goes there, then away
			_bench("drop-site", FRESH_SITE, "--db-root-username", "root", "--db-root-password", ROOT_PASSWORD,
				"--force", "--no-backup", "--archived-sites-path", archive)  # fmt: skip
		_say(f"dropped the site {FRESH_SITE}")


def pytest_report_header(config):
	return (
		INTEGRATION_SKIPPED
		or f"integration suite: bench {BENCH}, site {os.environ.get('DS_SITE', 'test.localhost')}"
	)


def pytest_terminal_summary(terminalreporter):
	if INTEGRATION_SKIPPED:
		terminalreporter.write_line(INTEGRATION_SKIPPED)
