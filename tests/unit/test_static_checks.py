"""The static check passes on the app and catches each kind of mistake in a broken copy."""

import json
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from appcheck import check_app

APP = Path(__file__).resolve().parents[2] / "distribution_sales"


def test_the_app_has_no_problems():
	assert check_app(APP) == []


@pytest.fixture
def broken_copy(tmp_path):
	copy = tmp_path / "distribution_sales"
	shutil.copytree(APP, copy, ignore=shutil.ignore_patterns("__pycache__", "*.csv"))
	return copy


def _edit_json(path: Path, change):
	doc = json.loads(path.read_text(encoding="utf-8"))
	change(doc)
	path.write_text(json.dumps(doc), encoding="utf-8")


def _route_json(app: Path) -> Path:
	return app / "sales_organisation/doctype/sales_route/sales_route.json"


def test_broken_field_type(broken_copy):
	_edit_json(_route_json(broken_copy), lambda d: d["fields"][0].update(fieldtype="Strng"))
	assert any("unknown field type 'Strng'" in p for p in check_app(broken_copy))


def test_link_to_missing_doctype(broken_copy):
	_edit_json(_route_json(broken_copy), lambda d: d["fields"][2].update(options="Sales Regoin"))
	assert any("Link to unknown DocType 'Sales Regoin'" in p for p in check_app(broken_copy))


def test_duplicate_fieldname(broken_copy):
	def dup(d):
		d["fields"].append(dict(d["fields"][0]))

	_edit_json(_route_json(broken_copy), dup)
	assert any("duplicate fieldname 'route_name'" in p for p in check_app(broken_copy))


def test_permission_for_unknown_role(broken_copy):
	_edit_json(
		_route_json(broken_copy), lambda d: d["permissions"].append({"role": "Sales Wizard", "read": 1})
	)
	assert any("unknown role 'Sales Wizard'" in p for p in check_app(broken_copy))


def test_hook_path_that_does_not_resolve(broken_copy):
	hooks = broken_copy / "hooks.py"
	hooks.write_text(
		hooks.read_text(encoding="utf-8").replace(
			"overrides.customer.validate", "overrides.customer.validate_nothing"
		),
		encoding="utf-8",
	)
	assert any("defines no 'validate_nothing'" in p for p in check_app(broken_copy))


def test_hook_module_that_does_not_exist(broken_copy):
	(broken_copy / "overrides" / "vehicle.py").unlink()
	assert any(
		"'distribution_sales.overrides.vehicle.before_insert' is not a module" in p
		for p in check_app(broken_copy)
	)


def test_custom_field_after_missing_field(broken_copy):
	source = broken_copy / "setup" / "custom_fields.py"
	source.write_text(
		source.read_text(encoding="utf-8").replace(
			'"insert_after": "parent_customer_group"', '"insert_after": "no_such_field"'
		),
		encoding="utf-8",
	)
	assert any("insert_after 'no_such_field' is not a field" in p for p in check_app(broken_copy))
