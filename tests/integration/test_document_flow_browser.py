"""DOC-1 in real headless Chromium: a Sales Request entered in its desk form, priced by the server on
save, submitted and turned into a proforma with the Create button. Screenshots in tests/artifacts/."""

import pytest

import frappe

from distribution_sales.demo import ABBR, COMPANY
from tests.integration.conftest import ARTIFACTS
from tests.integration.helpers import PASSWORD, make_user
from tests.integration.test_desk_browser import browser, login, wait_text  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def test_sales_request_form_prices_submits_and_makes_a_proforma(browser):  # noqa: F811
	from selenium.webdriver.common.by import By
	from selenium.webdriver.support.ui import WebDriverWait

	admin = make_user("desk.admin@test.example", ["System Manager", "Sales Manager", "Sales User"])
	customer = frappe.get_all(
		"Customer",
		{"customer_group": "Wholesaler", "ds_is_blacklisted": 0},
		pluck="name",
		limit=1,
		order_by="name",
	)[0]
	frappe.db.commit()
	before = set(frappe.get_all("Sales Request", pluck="name"))
	made: list[tuple[str, str]] = []
	try:
		login(browser, admin, PASSWORD)
		browser.get(f"{browser.base}/app/sales-request/new")
		WebDriverWait(browser, 60).until(
			lambda d: d.execute_script("return window.cur_frm && cur_frm.doctype === 'Sales Request'")
		)
		wait_text(browser, ".frappe-control[data-fieldname='items']", "applied when the request is saved")
		browser.execute_script(
			"""
			const [company, customer, warehouse] = arguments;
			cur_frm.set_value({company, customer, set_warehouse: warehouse, selling_price_list: "Standard Selling"});
			cur_frm.clear_table("items");  // the empty row a new form starts with
			cur_frm.add_child("items", {item_code: "DAI-001", qty: 15, uom: "Carton"});
			cur_frm.add_child("items", {item_code: "SNA-001", qty: 30, uom: "Unit"});
			cur_frm.refresh_field("items");
			""",
			COMPANY,
			customer,
			f"Central Warehouse - {ABBR}",
		)
		browser.execute_script("setTimeout(() => cur_frm.save(), 500)")
		WebDriverWait(browser, 60).until(lambda d: d.execute_script("return cur_frm && !cur_frm.is_new()"))
		name = browser.execute_script("return cur_frm.doc.name")
		made.append(("Sales Request", name))
		# the server priced the lines and added the free snacks of 'buy 12 get 1'
		wait_text(browser, ".frappe-control[data-fieldname='items']", "DAI-001")
		frappe.db.rollback()  # a fresh snapshot: the web server committed the request
		saved = frappe.get_doc("Sales Request", name)
		self_rate = {r.item_code: r.rate for r in saved.items if not r.is_free_item}
		assert self_rate["DAI-001"] > 0 and self_rate["SNA-001"] > 0
		assert [r.qty for r in saved.items if r.ds_is_scheme_free] == [2]
		browser.execute_script(
			"document.activeElement && document.activeElement.blur();"
			"document.querySelector(\".frappe-control[data-fieldname='items']\").scrollIntoView({block: 'center'});"
		)
		browser.save_screenshot(str(ARTIFACTS / "sales_request_form.png"))

		browser.execute_script("cur_frm.save('Submit')")
		wait_text(browser, ".indicator-pill", "Submitted")
		create = WebDriverWait(browser, 60).until(
			lambda d: d.find_element(
				By.XPATH, "//button[contains(@class,'btn') and normalize-space(.)='Create']"
			)
		)
		browser.execute_script("window.scrollTo(0, 0); arguments[0].click();", create)
		proforma = WebDriverWait(browser, 30).until(
			lambda d: d.find_element(
				By.XPATH, "//a[contains(@class,'dropdown-item') and contains(., 'Proforma')]"
			)
		)
		browser.save_screenshot(str(ARTIFACTS / "sales_request_create_menu.png"))
		browser.execute_script("arguments[0].click();", proforma)
		WebDriverWait(browser, 60).until(
			lambda d: d.execute_script(
				"return cur_frm && cur_frm.doctype === 'Quotation' && cur_frm.is_new()"
			)
		)
		values = browser.execute_script(
			"return [cur_frm.doc.ds_sales_request, cur_frm.doc.party_name, cur_frm.doc.valid_till, cur_frm.doc.items.length]"
		)
		assert values[0] == name and values[1] == customer and values[2] and values[3] == 2
		browser.save_screenshot(str(ARTIFACTS / "sales_request_to_proforma.png"))
		browser.get(f"{browser.base}/app/sales-request?status=Submitted")
		wait_text(browser, ".list-row-container", name)
		browser.save_screenshot(str(ARTIFACTS / "sales_request_list.png"))
	except Exception:
		browser.save_screenshot(str(ARTIFACTS / "sales_request_failure.png"))
		raise
	finally:
		frappe.db.rollback()
		for name in set(frappe.get_all("Sales Request", pluck="name")) - before:
			doc = frappe.get_doc("Sales Request", name)
			if doc.docstatus == 1:
				doc.cancel()
			frappe.delete_doc("Sales Request", name, force=True)
		frappe.db.commit()


def test_sales_order_form_shows_receipts_and_completes_and_refunds(browser):  # noqa: F811
	"""DOC-3, DOC-4 on the order form: approval state, received and remaining, Complete, Refund."""
	from selenium.webdriver.common.by import By
	from selenium.webdriver.support.ui import WebDriverWait

	from tests.integration.test_document_flow import customer_in, make_order, receive

	user = make_user(
		"flow.desk@test.example", ["System Manager", "Sales Manager", "Sales User", "Accounts User"]
	)
	order = make_order(customer_in("Grocery"), [("BEV-002", 10, "Unit")])
	order.db_set("ds_approval_state", "Sent for Approval")
	receipt = receive(order.name, 1_000_000)
	frappe.db.commit()
	refunds = []

	def click(xpath: str):
		element = WebDriverWait(browser, 60).until(lambda d: d.find_element(By.XPATH, xpath))
		browser.execute_script("window.scrollTo(0, 0); arguments[0].click();", element)

	try:
		login(browser, user, PASSWORD)
		browser.get(f"{browser.base}/app/sales-order/{order.name}")
		wait_text(browser, ".form-message", "Sent for Approval")
		wait_text(browser, ".form-message", "Received:")
		wait_text(browser, ".form-message", "Remaining:")
		browser.save_screenshot(str(ARTIFACTS / "sales_order_receipts.png"))
		click("//button[contains(@class,'btn') and normalize-space(.)='Status']")
		click("//a[contains(@class,'dropdown-item') and normalize-space(.)='Complete']")
		wait_text(browser, ".indicator-pill", "Closed")
		click("//button[contains(@class,'btn') and normalize-space(.)='Create']")
		click("//a[contains(@class,'dropdown-item') and normalize-space(.)='Refund']")
		WebDriverWait(browser, 30).until(
			lambda d: d.find_element(By.CSS_SELECTOR, ".modal.show input[data-fieldname='amount']")
		)
		browser.save_screenshot(str(ARTIFACTS / "sales_order_refund_dialog.png"))
		click(
			"//div[contains(@class,'modal') and contains(@class,'show')]//button[contains(@class,'btn-primary')]"
		)
		WebDriverWait(browser, 60).until(lambda d: "/app/payment-entry/" in d.current_url)
		frappe.db.rollback()
		refunds = frappe.get_all("Payment Entry", {"ds_refund_of": order.name, "docstatus": 1}, pluck="name")
		assert len(refunds) == 1
		assert frappe.db.get_value("Payment Entry", refunds[0], "paid_amount") == 1_000_000
		assert frappe.db.get_value("Sales Order", order.name, "status") == "Closed"
		browser.save_screenshot(str(ARTIFACTS / "sales_order_refund_entry.png"))
	except Exception:
		browser.save_screenshot(str(ARTIFACTS / "sales_order_failure.png"))
		raise
	finally:
		frappe.db.rollback()
		for name in frappe.get_all(
			"Payment Entry", {"ds_refund_of": order.name, "docstatus": 1}, pluck="name"
		):
			frappe.get_doc("Payment Entry", name).cancel()
		frappe.get_doc("Payment Entry", receipt.name).cancel()
		order = frappe.get_doc("Sales Order", order.name)
		if order.status == "Closed":
			order.update_status("Draft")
		order.reload()
		order.cancel()
		frappe.db.commit()
