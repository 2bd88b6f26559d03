"""CRD end to end: submitting a Sales Order with every check (credit policy, quota, blacklist, saleable
stock under row locks) vs plain ERPNext submitting the same order, on the same site in the same run
(target: overhead <= 15% at the median), then p50/p95 latency of 8 concurrent clients over HTTP.

In process: one 20-line order per run, submitted inside a savepoint that is rolled back; the two paths
alternate. "Plain ERPNext" is the same document with our controls skipped (flags.ds_skip_controls).
Over HTTP: gunicorn (2 workers x 4 threads) serves the site; 8 clients each submit 10 orders of 5
lines for their own customer. Those orders stay on the site, cancelled afterwards.
"""

import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import frappe

SITE = os.environ.get("DS_SITE", "test.localhost")
RUNS = int(os.environ.get("DS_BENCH_RUNS", "15"))
CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CHECKOUT))


def setup(lines: int):
	from tests.integration.sales_control_helpers import make_item, make_policy, make_quota, new_customer

	items = [make_item(stock=10_000) for _ in range(lines)]
	customer = new_customer()
	make_policy("Customer", customer, max_total_exposure=1e11, max_overdue_days=365)
	for item in items[:5]:
		make_quota("Customer", customer, item, 1e8, period="Month")
	return items, customer


def in_process() -> tuple[float, float]:
	from tests.integration.sales_control_helpers import sales_doc

	items, customer = setup(20)
	times = {True: [], False: []}
	for run in range(RUNS + 1):
		for ours in (True, False) if run % 2 else (False, True):
			frappe.db.savepoint("bench")
			doc = sales_doc("Sales Order", customer, [(item, 3) for item in items])
			doc.flags.ds_skip_controls = not ours
			start = time.perf_counter()
			doc.submit()
			elapsed = (time.perf_counter() - start) * 1000
			frappe.db.rollback(save_point="bench")
			if run:
				times[ours].append(elapsed)
	frappe.db.rollback()
	return statistics.median(times[True]), statistics.median(times[False])


def serve() -> tuple[subprocess.Popen, str]:
	import requests

	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		port = s.getsockname()[1]
	bench = Path(os.environ.get("DS_BENCH", "/opt/frappe-bench"))
	proc = subprocess.Popen(
		[str(bench / "env/bin/gunicorn"), "-b", f"127.0.0.1:{port}", "-w", "2", "--threads", "4", "-t", "120",
		 "frappe.app:application_with_statics()"],
		cwd=bench / "sites", env={**os.environ, "PYTHONPATH": str(CHECKOUT)},
		stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
	)  # fmt: skip
	url = f"http://127.0.0.1:{port}"
	for _ in range(180):
		try:
			if requests.get(f"{url}/api/method/ping", headers={"Host": SITE}, timeout=30).ok:
				return proc, url
		except requests.RequestException:
			time.sleep(0.5)
	proc.kill()
	raise RuntimeError("gunicorn did not start")


def over_http(clients: int = 8, per_client: int = 10) -> tuple[float, float, float, int]:
	import requests

	from tests.integration.sales_control_helpers import sales_doc

	items, _customer = setup(5)
	from tests.integration.sales_control_helpers import make_policy, new_customer

	customers = []
	for _ in range(clients):
		customer = new_customer()
		make_policy("Customer", customer, max_total_exposure=1e11)
		customers.append(customer)
	orders = {
		c: [sales_doc("Sales Order", c, [(item, 2) for item in items]) for _ in range(per_client)]
		for c in customers
	}
	user = frappe.get_doc("User", "Administrator")
	key, secret = frappe.generate_hash(length=15), frappe.generate_hash(length=15)
	user.api_key, user.api_secret = key, secret
	user.save(ignore_permissions=True)
	frappe.db.commit()
	payloads = {c: [json.dumps(o.as_dict(), default=str) for o in docs] for c, docs in orders.items()}
	headers = {"Host": SITE, "Authorization": f"token {key}:{secret}"}
	proc, url = serve()
	latencies, failures = [], []
	try:
		requests.post(f"{url}/api/method/frappe.client.submit", data={"doc": payloads[customers[0]].pop()}, headers=headers, timeout=120)  # warm-up  # fmt: skip

		def client(customer):
			for payload in payloads[customer]:
				start = time.perf_counter()
				r = requests.post(f"{url}/api/method/frappe.client.submit", data={"doc": payload}, headers=headers, timeout=120)  # fmt: skip
				latencies.append((time.perf_counter() - start) * 1000)
				if r.status_code != 200:
					failures.append(r.text[:400])

		start = time.perf_counter()
		threads = [threading.Thread(target=client, args=(c,)) for c in customers]
		for t in threads:
			t.start()
		for t in threads:
			t.join()
		wall = time.perf_counter() - start
	finally:
		proc.terminate()
		proc.wait(30)
	for docs in orders.values():
		for doc in docs:
			doc = frappe.get_doc("Sales Order", doc.name)
			if doc.docstatus == 1:
				doc.flags.ignore_permissions = True
				doc.cancel()
	frappe.db.commit()
	latencies.sort()
	p95 = latencies[int(0.95 * (len(latencies) - 1))]
	if failures:
		print("first failure:", failures[0])
	return statistics.median(latencies), p95, len(latencies) / wall, len(failures)


def main():
	frappe.init(site=SITE, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	frappe.flags.mute_messages = True
	ours, plain = in_process()
	print(
		f"Sales Order submit, 20 lines: with credit, quota and stock checks {ours:.0f} ms, plain ERPNext "
		f"{plain:.0f} ms; overhead {100 * (ours / plain - 1):+.1f}% (target <= +15%); median of {RUNS} each"
	)
	p50, p95, rate, failed = over_http()
	print(
		f"Over HTTP, 8 concurrent clients x 10 orders of 5 lines: p50 {p50:.0f} ms, p95 {p95:.0f} ms, "
		f"{rate:.1f} submits/s, {failed} failed"
	)
	frappe.destroy()


if __name__ == "__main__":
	main()
