"""Every user-facing string of the app, and the fa/ru/zh translation files that must cover them (PLT-3).

python tests/i18n.py            # list strings missing from any translation file
python tests/i18n.py --strings  # print every string (one per line, for translators)
"""

import ast
import csv
import json
import re
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "distribution_sales"
LANGUAGES = ("fa", "ru", "zh")
JS_CALL = re.compile(r'__\(\s*"((?:[^"\\]|\\.)*)"|__\(\s*\'((?:[^\'\\]|\\.)*)\'|__\(\s*`([^`$]*)`')


def python_strings(path: Path) -> set[str]:
	out = set()
	for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
		if (
			isinstance(node, ast.Call)
			and isinstance(node.func, ast.Name)
			and node.func.id == "_"
			and node.args
			and isinstance(node.args[0], ast.Constant)
			and isinstance(node.args[0].value, str)
		):
			out.add(node.args[0].value)
	return out


def js_strings(path: Path) -> set[str]:
	return {
		next(g for g in m.groups() if g is not None)
		for m in JS_CALL.finditer(path.read_text(encoding="utf-8"))
	}


def field_strings(fields: list[dict]) -> set[str]:
	out = set()
	for df in fields:
		for key in ("label", "description"):
			if df.get(key):
				out.add(df[key])
		if df.get("fieldtype") == "Select" and df.get("options"):
			out.update(o for o in df["options"].split("\n") if o)
	return out


def json_strings(path: Path) -> set[str]:
	doc = json.loads(path.read_text(encoding="utf-8"))
	if not isinstance(doc, dict):
		return set()
	kind = doc.get("doctype")
	out = set()
	if kind == "DocType":
		out.add(doc["name"])
		out |= field_strings(doc.get("fields", []))
	elif kind == "Workspace":
		out.add(doc["label"])
		out.update(link["label"] for link in doc.get("links", []))
		out.update(s["label"] for s in doc.get("shortcuts", []))
	elif kind == "Report":
		out.add(doc["name"])
	return out


def custom_field_strings() -> set[str]:
	namespace: dict = {}
	source = APP / "setup" / "custom_fields.py"
	exec(compile(source.read_text(encoding="utf-8"), str(source), "exec"), namespace)
	return {s for fields in namespace["get_custom_fields"]().values() for s in field_strings(fields)}


def role_strings() -> set[str]:
	"""The roles the app creates: APP_ROLES of roles.py (plain assignments, read without importing)."""
	namespace: dict = {}
	source = APP / "roles.py"
	exec(compile(source.read_text(encoding="utf-8"), str(source), "exec"), namespace)
	return set(namespace["APP_ROLES"])


def app_strings() -> set[str]:
	strings = custom_field_strings() | role_strings()
	for path in APP.rglob("*.py"):
		strings |= python_strings(path)
	for path in APP.rglob("*.js"):
		strings |= js_strings(path)
	for path in APP.rglob("*.json"):
		if "fixtures" not in path.parts:
			strings |= json_strings(path)
	return {s for s in strings if s.strip()}


def translations(language: str) -> dict[str, str]:
	path = APP / "translations" / f"{language}.csv"
	if not path.exists():
		return {}
	with path.open(encoding="utf-8", newline="") as f:
		return {row[0]: row[1] for row in csv.reader(f) if len(row) >= 2}


def placeholders(text: str) -> list[str]:
	return sorted(re.findall(r"\{\d*\}", text))


def problems() -> list[str]:
	found = []
	strings = app_strings()
	for language in LANGUAGES:
		table = translations(language)
		for s in sorted(strings - table.keys()):
			found.append(f"{language}: missing {s!r}")
		for s in sorted(strings & table.keys()):
			if not table[s].strip():
				found.append(f"{language}: empty translation of {s!r}")
			elif placeholders(s) != placeholders(table[s]):
				found.append(f"{language}: placeholders differ in {s!r} -> {table[s]!r}")
	return found


if __name__ == "__main__":
	if "--strings" in sys.argv:
		print("\n".join(sorted(app_strings())))
	else:
		found = problems()
		print("\n".join(found) or "complete")
		sys.exit(1 if found else 0)
