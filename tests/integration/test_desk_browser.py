"""Desk pages in real headless Chromium: the route form, the customer form, a salesman's list.

Screenshots land in tests/artifacts/ for a person to look at.
"""

import shutil

import pytest

import frappe

from tests.integration.conftest import ARTIFACTS
from tests.integration.helpers import PASSWORD, make_user

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser(server, site):
	if not (CHROMIUM and CHROMEDRIVER):
		pytest.fail(
			"Debian's chromium and chromium-driver are needed for the browser tests (.ci/run installs them)"
		)
	from selenium import webdriver
	from selenium.webdriver.chrome.service import Service

	options = webdriver.ChromeOptions()
	options.binary_location = CHROMIUM
	for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1366,900",
		f"--host-resolver-rules=MAP {site} 127.0.0.1"):  # fmt: skip
		options.add_argument(arg)
	driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
	driver.set_page_load_timeout(120)
	port = server.rsplit(":", 1)[1]
	driver.base = f"http://{site}:{port}"
	yield driver
	driver.quit()


def login(driver, user: str, password: str):
	from selenium.webdriver.common.by import By
	from selenium.webdriver.support import expected_conditions as EC
	from selenium.webdriver.support.ui import WebDriverWait

	driver.delete_all_cookies()
	driver.get(f"{driver.base}/login")
	WebDriverWait(driver, 60).until(EC.visibility_of_element_located((By.ID, "login_email"))).send_keys(user)
	driver.find_element(By.ID, "login_password").send_keys(password)
	driver.find_element(By.CSS_SELECTOR, ".btn-login").click()
	WebDriverWait(driver, 60).until(lambda d: "/app" in d.current_url)


def wait_text(driver, css: str, text: str, timeout: int = 60):
	from selenium.webdriver.common.by import By
	from selenium.webdriver.support.ui import WebDriverWait

	WebDriverWait(driver, timeout).until(
		lambda d: any(text in el.text for el in d.find_elements(By.CSS_SELECTOR, css))
	)


def test_route_form_shows_todays_visitor_and_customers(browser):
	admin = make_user("desk.admin@test.example", ["System Manager", "Sales Manager", "Sales User"])
	frappe.db.commit()
	login(browser, admin, PASSWORD)
	browser.get(f"{browser.base}/app/sales-route/Tehranpars")
	wait_text(browser, ".form-dashboard, .form-dashboard-section", "Visitor today: Visitor Reza")
	wait_text(browser, ".frappe-control[data-fieldname='customers']", "25")  # row count in the grid footer
	browser.save_screenshot(str(ARTIFACTS / "sales_route_form.png"))


def test_customer_form_shows_balance_and_credit(browser):
	customer = frappe.get_doc("Sales Route", "Narmak").customers[0].customer
	login(browser, "desk.admin@test.example", PASSWORD)
	browser.get(f"{browser.base}/app/customer/{customer}")
	wait_text(browser, ".form-message", "Balance:")
	wait_text(browser, ".form-message", "credit")
	browser.save_screenshot(str(ARTIFACTS / "customer_form.png"))


def test_salesman_list_view_holds_only_his_customers(browser):
	from selenium.webdriver.common.by import By
	from selenium.webdriver.support.ui import WebDriverWait

	user = frappe.db.get_value("Sales Person", "Visitor Ali", "ds_user")
	from frappe.utils.password import update_password

	update_password(user, PASSWORD)
	frappe.db.commit()
	expected = frappe.get_all("Customer", {"ds_sales_person": "Visitor Ali"}, pluck="name")
	login(browser, user, PASSWORD)
	browser.get(f"{browser.base}/app/customer?ds_sales_route=&disabled=0")
	WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".list-row-container"))
	wait_text(browser, ".list-paging-area, .level-right", f"of {len(expected)}")
	names = {
		el.get_attribute("data-name") for el in browser.find_elements(By.CSS_SELECTOR, ".list-row-checkbox")
	}
	names.discard(None)
	assert names and names <= set(expected)
	browser.save_screenshot(str(ARTIFACTS / "salesman_customer_list.png"))


def test_sales_order_form_explains_its_schemes(browser):
	"""PRC-3: the order shows which scheme and tier gave which discount or free goods."""
	from selenium.webdriver.common.by import By

	from tests.integration.test_pricing import customer_in, order

	so = order(customer_in("Wholesaler"), [("DAI-001", 15, "Carton"), ("SNA-001", 30, "Unit")])
	frappe.db.commit()
	try:
		login(browser, "desk.admin@test.example", PASSWORD)
		browser.get(f"{browser.base}/app/sales-order/{so.name}")
		wait_text(browser, ".frappe-control[data-fieldname='items']", "SNA-001")
		from selenium.webdriver.support.ui import WebDriverWait

		def expanded(driver):
			# the form's late refreshes (credit position, approval line) may redraw it collapsed
			table = driver.find_elements(
				By.CSS_SELECTOR, ".frappe-control[data-fieldname='ds_scheme_applications']"
			)
			if table and table[0].is_displayed():
				return True
			section = driver.find_element(
				By.XPATH, "//*[contains(@class,'section-head') and contains(., 'Trade Schemes')]"
			)
			driver.execute_script(
				"arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", section
			)
			return False

		WebDriverWait(browser, 60, poll_frequency=2).until(expanded)
		wait_text(browser, ".frappe-control[data-fieldname='ds_scheme_applications']", "Dairy Volume 5-8%")
		wait_text(browser, ".frappe-control[data-fieldname='ds_scheme_applications']", "Snacks Buy 12 Get 1")
		browser.save_screenshot(str(ARTIFACTS / "sales_order_schemes.png"))
		from urllib.parse import quote

		browser.get(f"{browser.base}/app/trade-scheme/{quote('Dairy Volume 5-8%')}")
		wait_text(browser, ".frappe-control[data-fieldname='tiers']", "50")
		browser.save_screenshot(str(ARTIFACTS / "trade_scheme_form.png"))
	finally:
		frappe.delete_doc("Sales Order", so.name, force=True)
		frappe.db.commit()
