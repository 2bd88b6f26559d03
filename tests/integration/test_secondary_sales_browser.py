"""The Sell Out Import form in headless Chromium, with a real background worker (SEC-1, SEC-5):
preview of the file, Start Import, the progress bar while the job runs, the finished state, Roll Back.

Screenshots land in tests/artifacts/ (sell_out_import_*.png).
"""

import subprocess
import time

import pytest

import frappe

from tests.integration.conftest import ARTIFACTS, BENCH
from tests.integration.helpers import PASSWORD, make_user
from tests.integration.secondary_sales_helpers import (
	cleanup,
	ledger_count,
	make_distributor,
	make_profile,
	new_import,
	sample,
)
from tests.integration.test_desk_browser import browser, login, wait_text  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def worker(site):
	"""A Frappe worker on the long queue, as `bench worker --queue long` runs it."""
	log = open(ARTIFACTS / "worker.log", "wb")
	proc = subprocess.Popen(
		[str(BENCH / "env" / "bin" / "python"), "-m", "frappe.utils.bench_helper", "frappe", "worker", "--queue", "long"],
		cwd=BENCH / "sites",
		stdout=log,
		stderr=subprocess.STDOUT,
	)  # fmt: skip
	time.sleep(3)
	yield proc
	proc.terminate()
	try:
		proc.wait(timeout=30)
	except subprocess.TimeoutExpired:
		proc.kill()
	log.close()


@pytest.fixture(scope="module")
def distributor(site):
	name = make_distributor("Test Distributor Browser")
	cleanup(name)
	yield name
	cleanup(name)


def click_button(driver, label: str):
	from selenium.webdriver.common.by import By
	from selenium.webdriver.support import expected_conditions as EC
	from selenium.webdriver.support.ui import WebDriverWait

	button = WebDriverWait(driver, 60).until(
		EC.element_to_be_clickable(
			(
				By.XPATH,
				f"//div[contains(@class,'page-actions') or contains(@class,'form-inner-toolbar')]"
				f"//button[normalize-space(.)='{label}']",
			)
		)
	)
	driver.execute_script("arguments[0].click();", button)


def test_import_form_preview_progress_and_finish(browser, worker, distributor):  # noqa: F811
	s = sample("fa", rows=150_000, file_type="csv", seed=81, start="2026-05-01", end="2026-06-30", messy=True)
	profile = make_profile(distributor, s.spec_kwargs, max_error_percent=20)
	imp = new_import(profile, s.content, "fa-browser.csv")
	admin = make_user("desk.admin@test.example", ["System Manager", "Sales Manager", "Sales User"])
	frappe.db.commit()
	login(browser, admin, PASSWORD)
	browser.get(f"{browser.base}/app/sell-out-import/{imp.name}")
	click_button(browser, "Preview")
	wait_text(browser, ".sell-out-preview", "Encoding")
	browser.save_screenshot(str(ARTIFACTS / "sell_out_import_preview.png"))
	assert ledger_count(sell_out_import=imp.name) == 0
	browser.execute_script("window.scrollTo(0, 0);")
	click_button(browser, "Start Import")
	from selenium.webdriver.common.by import By
	from selenium.webdriver.support.ui import WebDriverWait

	def running_with_progress(d):  # the worker's progress reached the form (or the job is already done)
		texts = " ".join(el.text for el in d.find_elements(By.CSS_SELECTOR, ".form-dashboard .progress-area"))
		status = frappe.db.sql("select status from `tabSell Out Import` where name=%s", imp.name)[0][0]
		frappe.db.rollback()  # a fresh snapshot next time
		return "of about" in texts or status == "Completed"

	WebDriverWait(browser, 180, poll_frequency=0.3).until(running_with_progress)
	browser.execute_script("window.scrollTo(0, 0);")
	browser.save_screenshot(str(ARTIFACTS / "sell_out_import_progress.png"))
	wait_text(browser, ".form-message, .form-dashboard", "rows imported", timeout=300)
	browser.execute_script("window.scrollTo(0, 0);")
	browser.save_screenshot(str(ARTIFACTS / "sell_out_import_done.png"))
	frappe.db.rollback()  # a fresh snapshot of what the worker committed
	done = frappe.get_doc("Sell Out Import", imp.name)
	assert done.status == "Completed", done.message
	assert done.imported_rows == len(s.truth) == ledger_count(sell_out_import=imp.name)
	assert done.error_rows == len(s.bad_rows)
	# Roll Back from the form
	browser.refresh()
	click_button(browser, "Roll Back")
	from selenium.webdriver.support import expected_conditions as EC

	yes = WebDriverWait(browser, 30).until(
		EC.element_to_be_clickable((By.CSS_SELECTOR, ".modal.show .btn-primary"))
	)
	yes.click()
	wait_text(browser, ".form-message, .indicator-pill", "Rolled Back", timeout=120)
	browser.execute_script("window.scrollTo(0, 0);")
	browser.save_screenshot(str(ARTIFACTS / "sell_out_import_rolled_back.png"))
	frappe.db.rollback()
	assert ledger_count(sell_out_import=imp.name) == 0


def test_export_over_http_reads_back_as_parquet(server, site, distributor):
	"""SEC-6: the whitelisted export as a BI tool would call it, logged in, permission-checked."""
	import io

	import pyarrow.parquet as pq
	import requests

	s = sample("ru", rows=120, seed=82, messy=False)
	profile = make_profile(distributor, s.spec_kwargs)
	from tests.integration.secondary_sales_helpers import run_import

	imp = run_import(profile, s.content, "ru-export.csv")
	assert imp.status == "Completed", imp.message
	url = f"{server}/api/method/distribution_sales.secondary_sales.api.export_ledger"
	params = {"file_format": "Parquet", "filters": f'{{"distributor": "{distributor}"}}'}
	anonymous = requests.get(url, params=params, headers={"Host": site}, timeout=60)
	assert anonymous.status_code == 403
	admin = make_user("desk.admin@test.example", ["System Manager", "Sales Manager", "Sales User"])
	frappe.db.commit()
	session = requests.Session()
	session.headers["Host"] = site
	session.post(
		f"{server}/api/method/login", data={"usr": admin, "pwd": PASSWORD}, timeout=60
	).raise_for_status()
	response = session.get(url, params=params, timeout=120)
	assert response.status_code == 200, response.text[:500]
	table = pq.read_table(io.BytesIO(response.content))
	assert table.num_rows == len(s.truth)
	assert abs(sum(table.column("qty").to_pylist()) - sum(t[3] for t in s.truth)) < 1e-6
	imp.roll_back()
	frappe.db.commit()


def test_pivot_and_reconciliation_reports_in_the_desk(browser, distributor):  # noqa: F811
	"""SEC-4, SEC-6: the two main reports render their filters, rows and chart for a distributor."""
	from urllib.parse import urlencode

	from tests.integration.secondary_sales_helpers import run_import

	s = sample("fa", rows=400, seed=83, start="2026-07-01", end="2026-08-31", messy=False)
	imp = run_import(make_profile(distributor, s.spec_kwargs), s.content, "fa-reports.csv")
	assert imp.status == "Completed", imp.message
	item = s.truth[0][2]
	from tests.integration.secondary_sales_helpers import invoice

	sold_in = [
		invoice(distributor, code, 400, day) for code, day in ((item, "2026-07-02"), (item, "2026-08-03"))
	]
	frappe.db.commit()
	try:
		login(browser, "desk.admin@test.example", PASSWORD)
		query = urlencode({"distributor": distributor, "rows": "Item", "columns": "Month", "value": "Qty",
			"from_date": "2026-07-01", "to_date": "2026-08-31"})  # fmt: skip
		browser.get(f"{browser.base}/app/query-report/Sell Out Pivot?{query}")
		wait_text(browser, ".report-wrapper, .dt-scrollable", item, timeout=90)
		wait_text(browser, ".dt-header, .report-wrapper", "2026-08", timeout=30)
		browser.save_screenshot(str(ARTIFACTS / "sell_out_pivot.png"))
		query = urlencode({"distributor": distributor, "from_date": "2026-07-01", "to_date": "2026-08-31"})
		browser.get(f"{browser.base}/app/query-report/Sell-In vs Sell-Out?{query}")
		wait_text(browser, ".report-wrapper, .dt-scrollable", item, timeout=90)
		wait_text(browser, ".chart-container, .frappe-chart", "Sell-Out", timeout=30)
		browser.save_screenshot(str(ARTIFACTS / "sell_in_vs_sell_out.png"))
		browser.get(f"{browser.base}/app/secondary-sales")
		wait_text(browser, ".layout-main-section", "Items to Review", timeout=60)
		wait_text(browser, ".layout-main-section", "Suggested Distributor Orders", timeout=30)
		browser.save_screenshot(str(ARTIFACTS / "secondary_sales_workspace.png"))
	finally:
		imp.roll_back()
		for doc in sold_in:
			doc.cancel()
		frappe.db.commit()
