"""Every ``force index`` hint in the app names an index declared in setup/indexes.py (which migrate
creates), so a renamed or dropped index cannot leave a hint that MariaDB rejects at run time."""

import re
from pathlib import Path

from distribution_sales.setup.indexes import INDEXES, all_index_names, force_index, index_name

PACKAGE = Path(__file__).resolve().parents[2] / "distribution_sales"
HINT = re.compile(r"force index \(`?([^`)]+)`?\)", re.IGNORECASE)


def test_every_literal_hint_names_a_declared_index():
	declared = set().union(*all_index_names().values())
	named = {}
	for path in PACKAGE.rglob("*.py"):
		if path.name == "indexes.py":
			continue
		for match in HINT.finditer(path.read_text(encoding="utf-8")):
			name = match.group(1)
			if "{" not in name:  # a hint built by force_index() is checked by that function
				named.setdefault(name, path.name)
	assert named, "the locking reads name their indexes"
	assert {n: f for n, f in named.items() if n not in declared} == {}


def test_force_index_refuses_an_undeclared_index():
	doctype, columns = INDEXES[0]
	assert force_index(doctype, columns) == f"force index (`{index_name(columns)}`)"
	try:
		force_index("Sales Order", ("nothing",))
	except ValueError as e:
		assert "setup/indexes.py" in str(e)
	else:
		raise AssertionError("an undeclared index was accepted")
