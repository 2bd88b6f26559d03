"""The pure rules stay pure: every module under distribution_sales/rules/ imports without frappe.

Each module is imported in a fresh interpreter where ``import frappe`` (and erpnext) fails, so the
check holds in the bench's Python too, where frappe is installed.
"""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PURE_PACKAGES = ("distribution_sales/rules", "distribution_sales/parsing")


def pure_modules() -> list[str]:
	out = []
	for package in PURE_PACKAGES:
		for path in sorted((ROOT / package).rglob("*.py")):
			parts = path.relative_to(ROOT).with_suffix("").parts
			out.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
	return out


BLOCK_FRAMEWORK = """
import sys
for name in ("frappe", "erpnext"):
	sys.modules[name] = None  # any import of it now raises ImportError
import importlib
importlib.import_module(sys.argv[1])
"""


def test_there_are_pure_modules():
	assert len(pure_modules()) >= 10


@pytest.mark.parametrize("module", pure_modules())
def test_imports_without_frappe(module):
	result = subprocess.run(
		[sys.executable, "-c", BLOCK_FRAMEWORK, module], cwd=ROOT, capture_output=True, text=True, timeout=120
	)
	assert result.returncode == 0, f"{module} needs frappe or erpnext:\n{result.stderr[-2000:]}"
