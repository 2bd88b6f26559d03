"""Concurrent submits over HTTP against the site served by gunicorn (CRD-1, CRD-6).

Each round commits its own fresh item, customers and draft orders, then many clients submit at once
through /api/method/frappe.client.submit, as browsers and phones would. ROUNDS rounds run per test
(DS_CONCURRENCY_ROUNDS, default 5) so a lucky interleaving cannot pass it by chance.
"""

import json
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import psutil
import pymysql
import pytest
import requests

import frappe

from tests.integration.sales_control_helpers import (
	PRICE,
	WAREHOUSE,
	make_item,
	make_policy,
	new_customer,
	sales_doc,
)

ROUNDS = int(os.environ.get("DS_CONCURRENCY_ROUNDS", "5"))


def connect(isolation: str = "READ COMMITTED"):
	"""A connection of our own, outside the test's transaction, seeing what others committed."""
	conf = frappe.conf
	conn = pymysql.connect(
		host=conf.db_host or "127.0.0.1",
		port=int(conf.db_port or 3306),
		user=conf.get("db_user") or conf.db_name,
		password=conf.db_password,
		database=conf.db_name,
		autocommit=True,
	)
	with conn.cursor() as cur:
		cur.execute(f"set session transaction isolation level {isolation}")
	return conn


def scalar(conn, query: str, *args):
	with conn.cursor() as cur:
		cur.execute(query, args)
		return cur.fetchone()[0]


class Api:
	def __init__(self, url: str, site: str):
		user = frappe.get_doc("User", "Administrator")
		key, secret = frappe.generate_hash(length=15), frappe.generate_hash(length=15)
		user.api_key, user.api_secret = key, secret
		user.save(ignore_permissions=True)
		frappe.db.commit()
		self.url = url
		self.headers = {"Host": site, "Authorization": f"token {key}:{secret}", "Accept": "application/json"}

	@staticmethod
	def payload(doc) -> str:
		"""The document as the desk sends it (built in the test's thread: frappe is thread-local)."""
		return json.dumps(frappe.get_doc(doc.doctype, doc.name).as_dict(), default=str)

	def submit(self, payload: str, timeout: float = 120):
		return requests.post(
			f"{self.url}/api/method/frappe.client.submit",
			data={"doc": payload},
			headers=self.headers,
			timeout=timeout,
		)

	def alive(self) -> bool:
		try:
			return requests.get(f"{self.url}/api/method/ping", headers=self.headers, timeout=5).ok
		except requests.RequestException:
			return False


@pytest.fixture(scope="module")
def api(site, server):
	return Api(server, site)


@pytest.fixture(scope="module")
def customers(site):
	made = [new_customer() for _ in range(20)]
	frappe.db.commit()
	return made


def failure(response) -> tuple[str, str]:
	body = response.json()
	messages = " ".join(
		json.loads(m).get("message", "") for m in json.loads(body.get("_server_messages", "[]"))
	)
	return body.get("exc_type", ""), messages


@pytest.mark.parametrize("round_no", range(ROUNDS))
def test_twenty_orders_for_ten_units_exactly_ten_pass(api, customers, round_no):
	item = make_item(stock=10)
	orders = [sales_doc("Sales Order", customer, [(item, 1)]) for customer in customers]
	frappe.db.commit()

	watch = connect()
	seen, stop = [], threading.Event()

	def monitor():  # reserved (open order qty) never above what is on hand, at any moment
		while not stop.is_set():
			reserved = scalar(
				watch,
				"""select coalesce(sum((i.qty - i.delivered_qty) * i.conversion_factor), 0)
				from `tabSales Order Item` i join `tabSales Order` o on o.name = i.parent
				where o.docstatus = 1 and i.item_code = %s""",
				item,
			)
			on_hand, bin_reserved = (
				scalar(
					watch,
					"select actual_qty from `tabBin` where item_code = %s and warehouse = %s",
					item,
					WAREHOUSE,
				),
				scalar(
					watch,
					"select reserved_qty from `tabBin` where item_code = %s and warehouse = %s",
					item,
					WAREHOUSE,
				),
			)
			seen.append((float(reserved), float(bin_reserved), float(on_hand)))
			time.sleep(0.01)

	watcher = threading.Thread(target=monitor)
	watcher.start()
	try:
		with ThreadPoolExecutor(max_workers=len(orders)) as pool:
			responses = list(pool.map(api.submit, [api.payload(o) for o in orders]))
	finally:
		stop.set()
		watcher.join()

	passed = [r for r in responses if r.status_code == 200]
	refused = [failure(r) for r in responses if r.status_code != 200]
	assert len(passed) == 10, [r.text[:300] for r in responses if r.status_code != 200][:3]
	assert len(refused) == 10
	for exc_type, message in refused:
		assert exc_type == "InsufficientStockError", (exc_type, message)
		assert "Insufficient saleable stock" in message
	assert seen, "the monitor took no samples"
	assert all(reserved <= on_hand for reserved, _b, on_hand in seen), max(seen)
	assert all(bin_reserved <= on_hand for _r, bin_reserved, on_hand in seen), max(seen, key=lambda s: s[1])
	assert (
		scalar(
			watch,
			"select count(*) from `tabSales Order Item` i join `tabSales Order` o on o.name = i.parent where o.docstatus = 1 and i.item_code = %s",
			item,
		)
		== 10
	)
	assert (
		scalar(
			watch,
			"select reserved_qty from `tabBin` where item_code = %s and warehouse = %s",
			item,
			WAREHOUSE,
		)
		== 10
	)
	watch.close()


@pytest.mark.parametrize("round_no", range(ROUNDS))
def test_ten_orders_against_a_limit_that_fits_four(api, round_no):
	item = make_item(stock=100)
	customer = new_customer()
	make_policy("Customer", customer, max_total_exposure=4.5 * PRICE)
	orders = [sales_doc("Sales Order", customer, [(item, 1)]) for _ in range(10)]
	frappe.db.commit()
	with ThreadPoolExecutor(max_workers=10) as pool:
		responses = list(pool.map(api.submit, [api.payload(o) for o in orders]))
	passed = [r for r in responses if r.status_code == 200]
	refused = [failure(r) for r in responses if r.status_code != 200]
	assert len(passed) == 4, [r.text[:300] for r in responses if r.status_code != 200][:3]
	assert {exc for exc, _m in refused} == {"CreditLimitError"}, [
		json.loads(r.json().get("exc", "[]"))[-1][-1500:] for r in responses if "Deadlock" in r.text
	]
	assert all("Total Exposure" in message for _e, message in refused)
	watch = connect()
	assert (
		scalar(watch, "select count(*) from `tabSales Order` where customer = %s and docstatus = 1", customer)
		== 4
	)
	watch.close()


def gunicorn_workers(url: str) -> list[psutil.Process]:
	bind = f"127.0.0.1:{urlparse(url).port}"
	ours = [
		p
		for p in psutil.process_iter(["pid", "ppid", "cmdline"])
		if p.info["cmdline"] and "gunicorn" in " ".join(p.info["cmdline"]) and bind in p.info["cmdline"]
	]
	pids = {p.pid for p in ours}
	return [p for p in ours if p.info["ppid"] in pids]


def submit_into(api, payload: str, outcome: dict):
	try:
		outcome["response"] = api.submit(payload, timeout=60)
	except requests.RequestException as e:
		outcome["error"] = e


def test_a_worker_killed_mid_submit_leaves_no_reservation_without_its_document(api, server):
	"""Kill the gunicorn workers the moment the proforma's reservation rows exist (seen through a
	READ UNCOMMITTED connection) but before the request commits: MariaDB must roll them back."""
	item = make_item(stock=100)
	customer = new_customer()
	dirty = connect("READ UNCOMMITTED")
	committed = connect()
	killed_mid_submit = None
	for _attempt in range(6):
		proforma = sales_doc("Quotation", customer, [(item, 1)] * 30)
		frappe.db.commit()
		outcome = {}
		request = threading.Thread(target=submit_into, args=(api, api.payload(proforma), outcome))
		request.start()
		deadline = time.monotonic() + 30
		while time.monotonic() < deadline and request.is_alive():
			if scalar(
				dirty, "select count(*) from `tabProforma Reservation` where quotation = %s", proforma.name
			):
				for worker in gunicorn_workers(server):
					os.kill(worker.pid, signal.SIGKILL)
				break
			time.sleep(0.002)
		request.join(60)
		for _wait in range(120):  # the gunicorn master starts new workers
			if api.alive():
				break
			time.sleep(0.5)
		time.sleep(1)  # MariaDB notices the dropped connection and rolls it back
		docstatus = scalar(committed, "select docstatus from `tabQuotation` where name = %s", proforma.name)
		reserved = scalar(
			committed, "select count(*) from `tabProforma Reservation` where quotation = %s", proforma.name
		)
		assert (docstatus, reserved) in ((0, 0), (1, 30)), (docstatus, reserved)
		if "error" in outcome and docstatus == 0:
			killed_mid_submit = proforma
			break
	assert killed_mid_submit, "no attempt caught the submit between its reservations and its commit"
	# nothing is left locked or half-done: the same proforma submits cleanly afterwards
	response = api.submit(api.payload(killed_mid_submit))
	assert response.status_code == 200, response.text[:500]
	assert (
		scalar(
			committed,
			"select count(*) from `tabProforma Reservation` where quotation = %s and status = 'Active'",
			killed_mid_submit.name,
		)
		== 30
	)
	dirty.close()
	committed.close()
