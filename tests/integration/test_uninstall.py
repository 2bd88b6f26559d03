"""PLT-1 on a throwaway site: install, migrate again, uninstall; ERPNext keeps working afterwards.

Creates ``ds-uninstall.localhost`` with ERPNext (about two minutes), drops it at the end. The MariaDB
root password comes from ``$DS_DB_ROOT_PASSWORD`` (default "root", as in the README's bench notes).
"""

import json
import os
import subprocess

import pytest

from tests.integration.conftest import BENCH, CHECKOUT

SITE = "ds-uninstall.localhost"
ROOT_PASSWORD = os.environ.get("DS_DB_ROOT_PASSWORD", "root")

CHECK = """
import json, frappe
frappe.init(site="{site}", sites_path="."); frappe.connect(); frappe.set_user("Administrator")
out = {{"apps": frappe.get_installed_apps(),
	"custom_fields": frappe.db.count("Custom Field", {{"fieldname": ("like", "ds\\\\_%")}}),
	"doctypes": frappe.db.count("DocType", {{"module": "Sales Organisation"}}),
	"custom_perms": frappe.db.count("Custom DocPerm", {{"role": ("in", ["Salesman", "Sales Supervisor"])}})}}
if "{work}" == "1":
	# a fresh site has no tree roots before ERPNext's setup wizard: make them, then a customer
	for doctype, field in (("Territory", "territory_name"), ("Customer Group", "customer_group_name")):
		if not frappe.db.exists(doctype, {{"is_group": 1}}):
			frappe.get_doc({{"doctype": doctype, field: "All", "is_group": 1}}).insert()
	c = frappe.get_doc({{"doctype": "Customer", "customer_name": "After Uninstall", "customer_group": "All", "territory": "All"}})
	c.insert()
	out["customer"] = c.name
	out["customer_meta_fields"] = [f.fieldname for f in frappe.get_meta("Customer").fields if f.fieldname.startswith("ds_")]
	frappe.db.rollback()
print("RESULT" + json.dumps(out))
"""


def bench(*args: str, timeout: int = 900) -> subprocess.CompletedProcess:
	env = {**os.environ, "PYTHONPATH": str(CHECKOUT)}
	return subprocess.run(
		[str(BENCH / "env" / "bin" / "python"), "-m", "frappe.utils.bench_helper", "frappe", *args],
		cwd=BENCH / "sites",
		env=env,
		capture_output=True,
		text=True,
		timeout=timeout,
	)


def state(work: bool = False) -> dict:
	env = {**os.environ, "PYTHONPATH": str(CHECKOUT)}
	out = subprocess.run(
		[str(BENCH / "env" / "bin" / "python"), "-c", CHECK.format(site=SITE, work="1" if work else "0")],
		cwd=BENCH / "sites",
		env=env,
		capture_output=True,
		text=True,
		timeout=300,
	)
	line = next((l for l in out.stdout.splitlines() if l.startswith("RESULT")), None)
	assert line, out.stdout + out.stderr
	return json.loads(line[len("RESULT") :])


@pytest.fixture(scope="module")
def throwaway_site():
	if (BENCH / "sites" / SITE).exists():
		bench("drop-site", SITE, "--db-root-password", ROOT_PASSWORD, "--force", "--no-backup")
	made = bench(
		"new-site", SITE, "--db-root-password", ROOT_PASSWORD, "--admin-password", "admin",
		"--install-app", "erpnext",
	)  # fmt: skip
	if made.returncode != 0 and "Access denied" in made.stderr + made.stdout:
		pytest.skip("MariaDB refused the root login: set DS_DB_ROOT_PASSWORD to test uninstalling")
	assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-3000:]
	yield SITE
	bench("drop-site", SITE, "--db-root-password", ROOT_PASSWORD, "--force", "--no-backup")
	assert not (BENCH / "sites" / SITE).exists()


def test_install_migrate_uninstall(throwaway_site):
	installed = bench("--site", throwaway_site, "install-app", "distribution_sales")
	assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
	after_install = state()
	assert "distribution_sales" in after_install["apps"]
	assert after_install["doctypes"] == 14
	assert after_install["custom_fields"] > 20
	assert after_install["custom_perms"] == 4

	migrated = bench("--site", throwaway_site, "migrate", "--skip-search-index")
	assert migrated.returncode == 0, migrated.stdout[-3000:] + migrated.stderr[-3000:]
	assert state() == after_install

	removed = bench(
		"--site", throwaway_site, "uninstall-app", "distribution_sales", "--yes", "--no-backup", "--force"
	)
	assert removed.returncode == 0, removed.stdout[-3000:] + removed.stderr[-3000:]
	after = state(work=True)
	assert after["apps"] == ["frappe", "erpnext"]
	assert (after["custom_fields"], after["doctypes"], after["custom_perms"]) == (0, 0, 0)
	assert after["customer_meta_fields"] == []
	assert after["customer"] == "After Uninstall"  # ERPNext still saves customers
