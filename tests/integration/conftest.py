"""Integration tests run inside a real Frappe site of the bench (``$DS_BENCH``, site ``$DS_SITE``).

The site gets ERPNext set up and the demo company (distribution_sales.demo) once per run; tests build
their own records on top and FrappeTestCase rolls back what they did not commit.
"""

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest

try:
	import frappe
except ImportError:  # not the bench's Python: tests/conftest.py hands the run over to it, or skips this suite
	frappe = None

BENCH = Path(os.environ.get("DS_BENCH", "/opt/frappe-bench"))


def site_name() -> str:
	"""The site of this run: ``$DS_SITE``, set by tests/conftest.py to the run's own site if not named."""
	return os.environ.get("DS_SITE", "test.localhost")


CHECKOUT = Path(__file__).resolve().parents[2]
ARTIFACTS = CHECKOUT / "tests" / "artifacts"


def pytest_collection_modifyitems(items):
	for item in items:
		item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session", autouse=True)
def site():
	if frappe is None:
		pytest.skip(f"no Frappe in this Python and no bench at {BENCH}")
	cwd = os.getcwd()
	os.chdir(BENCH / "sites")
	SITE = site_name()
	frappe.init(site=SITE, sites_path=".")
	frappe.connect()
	frappe.flags.in_test = True
	frappe.set_user("Administrator")
	if "distribution_sales" not in frappe.get_installed_apps():
		pytest.exit(
			f"distribution_sales is not installed on {SITE}: run .ci/run, which installs it", returncode=2
		)
	from distribution_sales.demo import before_tests

	before_tests()
	frappe.db.commit()
	yield SITE
	frappe.db.rollback()
	frappe.destroy()
	os.chdir(cwd)


def _free_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(site):
	"""The site served by gunicorn on 127.0.0.1 with the checkout's code, as users reach it."""
	port = _free_port()
	ARTIFACTS.mkdir(parents=True, exist_ok=True)
	log = open(ARTIFACTS / "gunicorn.log", "wb")
	env = {**os.environ, "PYTHONPATH": str(CHECKOUT), "FRAPPE_SITE": site}
	proc = subprocess.Popen(
		[
			str(BENCH / "env" / "bin" / "gunicorn"),
			"-b",
			f"127.0.0.1:{port}",
			"-w",
			"2",
			"--threads",
			"4",
			"-t",
			"120",
			"frappe.app:application_with_statics()",
		],
		cwd=BENCH / "sites",
		env=env,
		stdout=log,
		stderr=subprocess.STDOUT,
	)
	url = f"http://127.0.0.1:{port}"
	deadline = time.monotonic() + 90
	import requests

	while time.monotonic() < deadline:
		if proc.poll() is not None:
			raise RuntimeError(f"gunicorn exited with {proc.returncode}; see {ARTIFACTS / 'gunicorn.log'}")
		try:
			if requests.get(f"{url}/api/method/ping", timeout=5, headers={"Host": site}).ok:
				break
		except (requests.ConnectionError, requests.Timeout):  # a busy machine: the first answer is slow
			time.sleep(0.5)
	else:
		proc.kill()
		raise RuntimeError("gunicorn did not answer within 90 s")
	yield url
	proc.terminate()
	try:
		proc.wait(timeout=20)
	except subprocess.TimeoutExpired:
		proc.kill()
	log.close()
