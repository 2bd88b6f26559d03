"""Credit and stock on the Sales Order form in real headless Chromium (CRD-2, CRD-6): the customer's
balance and remaining credit, saleable stock per line, and the credit approval buttons.
Screenshots land in tests/artifacts/."""

import pytest

import frappe

from tests.integration.conftest import ARTIFACTS
from tests.integration.helpers import PASSWORD, make_user
from tests.integration.sales_control_helpers import PRICE, make_item, make_policy, new_customer, sales_doc
from tests.integration.test_desk_browser import browser, login, wait_text  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def buttons(driver) -> set[str]:
	from urllib.parse import unquote

	from selenium.webdriver.common.by import By

	return {  # the desk URI-encodes the labels of grouped buttons
		unquote(el.get_attribute("data-label") or "")
		for el in driver.find_elements(
			By.CSS_SELECTOR, ".page-actions [data-label], .inner-group-button [data-label]"
		)
	}


def test_order_form_shows_credit_position_saleable_stock_and_approval(browser):  # noqa: F811
	from urllib.parse import quote

	from selenium.webdriver.support.ui import WebDriverWait

	from distribution_sales.sales_control.api import request_credit_approval

	controller = make_user(
		"desk.credit@test.example", ["Credit Controller", "Sales Manager", "Sales User", "Stock User"]
	)
	item = make_item(stock=10)
	customer = new_customer()
	policy = make_policy("Customer", customer, max_total_exposure=1.5 * PRICE)
	sales_doc("Sales Order", customer, [(item, 1)], submit=True)
	order = sales_doc("Sales Order", customer, [(item, 4)])
	frappe.db.commit()
	login(browser, controller, PASSWORD)
	browser.get(f"{browser.base}/app/sales-order/{order.name}")
	wait_text(browser, ".ds-credit-position", "Balance:")
	wait_text(browser, ".ds-credit-position", "Remaining credit:")
	wait_text(browser, ".ds-credit-position", policy)
	wait_text(browser, ".ds-saleable-stock", item)
	wait_text(browser, ".ds-saleable-stock", "9")  # 10 on hand, 1 held by the submitted order
	WebDriverWait(browser, 30).until(lambda d: "Send for Credit Approval" in buttons(d))
	browser.save_screenshot(str(ARTIFACTS / "sales_order_credit_and_stock.png"))

	request_credit_approval("Sales Order", order.name)
	frappe.db.commit()
	browser.get(f"{browser.base}/app/sales-order/{order.name}")
	browser.refresh()
	WebDriverWait(browser, 60).until(lambda d: {"Approve Credit", "Reject Credit"} <= buttons(d))
	browser.save_screenshot(str(ARTIFACTS / "sales_order_pending_credit_approval.png"))

	browser.get(f"{browser.base}/app/credit-policy/{quote(policy)}")
	from selenium.webdriver.common.by import By

	WebDriverWait(browser, 60).until(
		lambda d: any(
			"150,000" in (el.get_attribute("value") or "")
			for el in d.find_elements(By.CSS_SELECTOR, "input[data-fieldname='max_total_exposure']")
		)
	)
	browser.save_screenshot(str(ARTIFACTS / "credit_policy_form.png"))
