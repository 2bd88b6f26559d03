"""The forms render what the server decides, in real headless Chromium (issue 12): the Sales Request
form shows the customer's balance and remaining credit and each line's saleable stock with the short
line marked (CRD-6); the order form shows a Sales Manager and a salesman each the buttons the server
allows them (DOC-4). Screenshots in tests/artifacts/."""

import pytest

import frappe
from frappe.utils import today

from distribution_sales import roles
from distribution_sales.demo import COMPANY
from tests.integration.conftest import ARTIFACTS
from tests.integration.helpers import PASSWORD, flow_defaults, make_customer, make_sales_person, make_user
from tests.integration.sales_control_helpers import PRICE, WAREHOUSE, make_item, make_policy, sales_doc
from tests.integration.test_desk_browser import browser, login, wait_text  # noqa: F401 (fixture)
from tests.integration.test_sales_control_browser import buttons

pytestmark = pytest.mark.browser

APPROVAL_BUTTONS = {"Send for Approval", "Approve", "Return for Edit", "Complete", "Refund"}


def set_flow(**values):
	doc = frappe.get_doc("Distribution Settings", COMPANY)
	doc.update({**flow_defaults(), **values})
	doc.save()


@pytest.fixture(scope="module")
def team(site):
	"""A salesman (a visitor) with his own customer, and a Sales Manager."""
	salesman = make_user("form.desk.salesman@test.example", ["Sales User", roles.SALESMAN])
	manager = make_user(
		"form.desk.manager@test.example", ["Sales User", roles.SALES_MANAGER, "Stock User", "Accounts User"]
	)
	person = make_sales_person(
		"Form Desk Salesman", parent="Supervisor North", user=salesman, role="Salesman", code="FDB1"
	)
	customer = make_customer("Form Desk Customer", sales_person=person)
	frappe.db.commit()
	return frappe._dict(salesman=salesman, manager=manager, customer=customer)


def test_sales_request_form_shows_credit_position_and_the_short_line(browser, team):  # noqa: F811
	from selenium.webdriver.common.by import By
	from selenium.webdriver.support.ui import WebDriverWait

	short, plenty = make_item(stock=2), make_item(stock=40)
	policy = make_policy(
		"Customer",
		team.customer,
		action="Warn",
		max_total_exposure=50 * PRICE,
		documents=["check_sales_request"],
	)
	frappe.set_user(team.salesman)
	request = frappe.get_doc(
		{
			"doctype": "Sales Request",
			"company": COMPANY,
			"customer": team.customer,
			"transaction_date": today(),
			"delivery_date": today(),
			"selling_price_list": frappe.db.get_value("Price List", {"selling": 1, "enabled": 1}),
			"set_warehouse": WAREHOUSE,
			"items": [{"item_code": short, "qty": 5, "uom": "Unit"}, {"item_code": plenty, "qty": 3, "uom": "Unit"}],
		}
	).insert()  # fmt: skip
	frappe.set_user("Administrator")
	frappe.db.commit()
	try:
		login(browser, team.salesman, PASSWORD)
		browser.get(f"{browser.base}/app/sales-request/{request.name}")
		wait_text(browser, ".ds-credit-position", "Balance:")
		wait_text(browser, ".ds-credit-position", "Remaining credit:")
		wait_text(browser, ".ds-credit-position", policy)
		wait_text(browser, ".ds-saleable-stock", plenty)
		rows = WebDriverWait(browser, 60).until(
			lambda d: d.find_elements(By.CSS_SELECTOR, ".ds-saleable-stock tbody tr")
		)
		marked = {
			row.find_elements(By.TAG_NAME, "td")[1].text: ("ds-short" in row.get_attribute("class"), row.text)
			for row in rows
		}
		assert marked[short][0] and not marked[plenty][0], marked
		cells = [c.text for c in rows[0].find_elements(By.TAG_NAME, "td")]
		figures = [float(c.replace(",", "") or 0) for c in cells[3:]]  # actual .. shortage
		assert cells[1] == short and figures == [2, 0, 2, 0, 5, 3], cells  # 5 wanted, 2 saleable: 3 short
		wait_text(browser, ".ds-saleable-stock", "Short lines cannot be promised from saleable stock.")
		browser.execute_script("window.scrollTo(0, 0)")
		browser.save_screenshot(str(ARTIFACTS / "sales_request_credit_and_short_line.png"))
	except Exception:
		browser.save_screenshot(str(ARTIFACTS / "sales_request_decisions_failure.png"))
		raise
	finally:
		frappe.db.rollback()
		frappe.delete_doc("Sales Request", request.name, force=True, ignore_permissions=True)
		frappe.delete_doc("Credit Policy", policy, force=True, ignore_permissions=True)
		frappe.db.commit()


def test_order_form_shows_each_user_the_buttons_the_server_allows(browser, team):  # noqa: F811
	from selenium.webdriver.support.ui import WebDriverWait

	from distribution_sales.order_management import flow

	set_flow(orders_need_approval=1)
	frappe.db.commit()
	item = make_item(stock=20)
	frappe.set_user(team.salesman)
	order = sales_doc("Sales Order", team.customer, [(item, 2)])
	frappe.set_user("Administrator")
	frappe.db.commit()
	try:
		login(browser, team.salesman, PASSWORD)
		browser.get(f"{browser.base}/app/sales-order/{order.name}")
		WebDriverWait(browser, 60).until(lambda d: "Send for Approval" in buttons(d))
		assert buttons(browser) & APPROVAL_BUTTONS == {"Send for Approval"}
		browser.save_screenshot(str(ARTIFACTS / "sales_order_draft_salesman_buttons.png"))

		frappe.set_user(team.salesman)
		flow.send_for_approval(order.name)
		frappe.set_user("Administrator")
		frappe.db.commit()
		browser.get(f"{browser.base}/app/sales-order/{order.name}")
		wait_text(browser, ".form-message", "Sent for Approval")
		wait_text(browser, ".ds-credit-position, .ds-order-flow", "Received:")
		assert buttons(browser) & APPROVAL_BUTTONS == set(), "the salesman waits for the manager"
		browser.save_screenshot(str(ARTIFACTS / "sales_order_sent_salesman_buttons.png"))

		login(browser, team.manager, PASSWORD)
		browser.get(f"{browser.base}/app/sales-order/{order.name}")
		WebDriverWait(browser, 60).until(lambda d: {"Approve", "Return for Edit", "Complete"} <= buttons(d))
		assert buttons(browser) & APPROVAL_BUTTONS == {"Approve", "Return for Edit", "Complete"}
		browser.execute_script(
			"document.querySelector(\".inner-group-button[data-label='Approval'] button\").click()"
		)
		wait_text(browser, ".inner-group-button[data-label='Approval'] .dropdown-menu", "Return for Edit")
		browser.save_screenshot(str(ARTIFACTS / "sales_order_sent_manager_buttons.png"))
	except Exception:
		browser.save_screenshot(str(ARTIFACTS / "sales_order_decisions_failure.png"))
		raise
	finally:
		frappe.db.rollback()
		order = frappe.get_doc("Sales Order", order.name)
		if order.docstatus == 1:
			order.cancel()
		set_flow()
		frappe.db.commit()
