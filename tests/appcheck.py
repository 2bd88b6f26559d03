"""Static check of the app: DocType JSON, custom fields, workspaces and hooks.py, without Frappe.

    python tests/appcheck.py [APP_ROOT]

Checks: valid field types; Link / Table targets that exist in this app or in Frappe/ERPNext 15;
unique, well-formed fieldnames; Select fields with options; permissions naming existing roles;
custom fields whose ``insert_after`` exists; every dotted path in hooks.py resolving to a function
or class defined in this app (found by parsing the source, so no import of frappe is needed); files
named by hooks.py that exist. Returns a list of problems, one line each.
"""

import ast
import json
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

DATA_FIELDTYPES = {
	"Currency", "Int", "Long Int", "Float", "Percent", "Check", "Small Text", "Long Text", "Code",
	"Text Editor", "Markdown Editor", "HTML Editor", "Date", "Datetime", "Time", "Text", "Data", "Link",
	"Dynamic Link", "Password", "Select", "Rating", "Read Only", "Attach", "Attach Image", "Signature",
	"Color", "Barcode", "Geolocation", "Duration", "Icon", "Phone", "Autocomplete", "JSON",
}  # fmt: skip
NO_VALUE_FIELDTYPES = {
	"Section Break", "Column Break", "Tab Break", "HTML", "Table", "Table MultiSelect", "Button", "Image",
	"Fold", "Heading",
}  # fmt: skip
FIELDTYPES = DATA_FIELDTYPES | NO_VALUE_FIELDTYPES
LINKING = {"Link", "Table", "Table MultiSelect"}
FIELDNAME = re.compile(r"^[a-z][a-z0-9_]*$")
PERMISSION_FLAGS = {"read", "write", "create", "delete", "submit", "cancel", "amend", "report", "export",
	"import", "share", "print", "email", "select", "set_user_permissions"}  # fmt: skip


def _names(file: str) -> set[str]:
	lines = (DATA / file).read_text(encoding="utf-8").splitlines()
	return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def load_doctypes(app: Path) -> dict[str, dict]:
	out = {}
	for path in sorted(app.glob("*/doctype/*/*.json")):
		if path.stem != path.parent.name:
			continue
		doc = json.loads(path.read_text(encoding="utf-8"))
		if doc.get("doctype") == "DocType":
			out[doc["name"]] = {**doc, "_path": str(path.relative_to(app.parent))}
	return out


def app_roles(app: Path) -> set[str]:
	"""Roles the app creates: APP_ROLES of roles.py (plain assignments, read without importing)."""
	source = app / "roles.py"
	if not source.exists():
		return set()
	namespace: dict = {}
	exec(compile(source.read_text(encoding="utf-8"), str(source), "exec"), namespace)
	return set(namespace["APP_ROLES"])


def check_fields(where: str, fields: list[dict], known_doctypes: set[str], problems: list[str]) -> None:
	seen: set[str] = set()
	for df in fields:
		name, ftype = df.get("fieldname", ""), df.get("fieldtype")
		if not FIELDNAME.match(name or ""):
			problems.append(f"{where}: bad fieldname {name!r}")
		if name in seen:
			problems.append(f"{where}: duplicate fieldname {name!r}")
		seen.add(name)
		if ftype not in FIELDTYPES:
			problems.append(f"{where}.{name}: unknown field type {ftype!r}")
		if ftype in LINKING and df.get("options") not in known_doctypes:
			problems.append(f"{where}.{name}: {ftype} to unknown DocType {df.get('options')!r}")
		if ftype == "Select" and not (df.get("options") or "").strip():
			problems.append(f"{where}.{name}: Select without options")
		fetch = df.get("fetch_from")
		if fetch and "." not in fetch:
			problems.append(f"{where}.{name}: fetch_from {fetch!r} is not link_field.fieldname")


def check_doctypes(doctypes: dict, known_doctypes: set[str], roles: set[str], problems: list[str]) -> None:
	for doc in doctypes.values():
		where = doc["_path"]
		fields = doc.get("fields", [])
		check_fields(where, fields, known_doctypes, problems)
		fieldnames = {f.get("fieldname") for f in fields}
		if doc.get("field_order") and set(doc["field_order"]) != fieldnames:
			problems.append(f"{where}: field_order does not list exactly the fields")
		for key in ("title_field", "sort_field"):
			if doc.get(key) and doc[key] not in fieldnames | {"modified", "creation", "name"}:
				problems.append(f"{where}: {key} {doc[key]!r} is not a field")
		autoname = doc.get("autoname") or ""
		if autoname.startswith("field:") and autoname[6:] not in fieldnames:
			problems.append(f"{where}: autoname field {autoname[6:]!r} does not exist")
		for fetch_source in (f.get("fetch_from") for f in fields if f.get("fetch_from")):
			link_field = fetch_source.split(".", 1)[0]
			if link_field not in fieldnames:
				problems.append(f"{where}: fetch_from uses unknown link field {link_field!r}")
		if doc.get("istable") and doc.get("permissions"):
			problems.append(f"{where}: a child table has permissions of its own")
		if not doc.get("istable") and not doc.get("permissions"):
			problems.append(f"{where}: no permissions")
		for perm in doc.get("permissions", []):
			if perm.get("role") not in roles:
				problems.append(f"{where}: permission for unknown role {perm.get('role')!r}")
			unknown = {
				k
				for k, v in perm.items()
				if v and k not in PERMISSION_FLAGS | {"role", "permlevel", "if_owner", "doctype", "name"}
			}
			if unknown:
				problems.append(f"{where}: unknown permission keys {sorted(unknown)}")


def _module_source(app: Path, module: str) -> Path | None:
	parts = module.split(".")
	if parts[0] != app.name:
		return None
	base = app.parent.joinpath(*parts)
	for candidate in (base.with_suffix(".py"), base / "__init__.py"):
		if candidate.exists():
			return candidate
	return None


def _defines(source: Path, attr: str) -> bool:
	tree = ast.parse(source.read_text(encoding="utf-8"))
	for node in tree.body:
		if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.name == attr:
			return True
		if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == attr for t in node.targets):
			return True
		if isinstance(node, ast.ImportFrom) and any((a.asname or a.name) == attr for a in node.names):
			return True
	return False


def dotted_paths(value) -> list[str]:
	"""Every string in a hook value that looks like a dotted path to app code."""
	if isinstance(value, str):
		return [value] if re.match(r"^[a-z_][\w]*(\.[a-zA-Z_]\w*)+$", value) else []
	if isinstance(value, dict):
		return [p for v in value.values() for p in dotted_paths(v)]
	if isinstance(value, list | tuple):
		return [p for v in value for p in dotted_paths(v)]
	return []


def load_hooks(app: Path) -> dict:
	"""hooks.py evaluated as data (it is plain assignments of literals and f-strings)."""
	namespace: dict = {}
	exec(compile((app / "hooks.py").read_text(encoding="utf-8"), str(app / "hooks.py"), "exec"), namespace)
	return {k: v for k, v in namespace.items() if not k.startswith("__")}


def check_hooks(app: Path, doctypes: set[str], problems: list[str]) -> None:
	hooks = load_hooks(app)
	for key, value in hooks.items():
		if key in {"app_name", "app_title", "app_publisher", "app_description", "app_email", "app_license",
			"required_apps", "fixtures", "doctype_js", "doctype_list_js", "app_include_js", "app_include_css",
			"web_include_js", "web_include_css", "website_route_rules", "add_to_apps_screen"}:  # fmt: skip
			continue
		for path in dotted_paths(value):
			module, _, attr = path.rpartition(".")
			source = _module_source(app, module)
			if source is None:
				problems.append(f"hooks.py {key}: {path!r} is not a module of this app")
			elif not _defines(source, attr):
				problems.append(f"hooks.py {key}: {module} defines no {attr!r}")
	for key in ("doctype_js", "doctype_list_js"):
		for doctype, files in hooks.get(key, {}).items():
			if doctype not in doctypes:
				problems.append(f"hooks.py {key}: unknown DocType {doctype!r}")
			for file in files if isinstance(files, list) else [files]:
				if not (app / file).exists():
					problems.append(f"hooks.py {key}: file {file} does not exist")
	for key in ("doc_events", "permission_query_conditions", "has_permission"):
		for target in hooks.get(key, {}):
			for doctype in target if isinstance(target, tuple) else (target,):
				if doctype != "*" and doctype not in doctypes:
					problems.append(f"hooks.py {key}: unknown DocType {doctype!r}")
	for fixture in hooks.get("fixtures", []):
		doctype = fixture["dt"] if isinstance(fixture, dict) else fixture
		if doctype not in doctypes:
			problems.append(f"hooks.py fixtures: unknown DocType {doctype!r}")


def custom_fields(app: Path) -> dict[str, list[dict]]:
	"""setup/custom_fields.py's get_custom_fields(), run without Frappe (it is plain data)."""
	source = app / "setup" / "custom_fields.py"
	if not source.exists():
		return {}
	namespace: dict = {}
	exec(compile(source.read_text(encoding="utf-8"), str(source), "exec"), namespace)
	return namespace["get_custom_fields"]()


def check_custom_fields(app: Path, known_doctypes: set[str], problems: list[str]) -> None:
	framework_fields = json.loads((DATA / "framework_fields.json").read_text(encoding="utf-8"))
	for doctype, fields in custom_fields(app).items():
		where = f"custom field on {doctype}"
		if doctype not in known_doctypes:
			problems.append(f"{where}: unknown DocType")
		check_fields(where, fields, known_doctypes, problems)
		available = set(framework_fields.get(doctype, [])) | {f["fieldname"] for f in fields}
		for df in fields:
			if not df["fieldname"].startswith("ds_"):
				problems.append(f"{where}.{df['fieldname']}: custom fieldnames start with ds_")
			if doctype in framework_fields and df.get("insert_after") not in available:
				problems.append(
					f"{where}.{df['fieldname']}: insert_after {df.get('insert_after')!r} is not a field"
				)


def check_app(app: Path) -> list[str]:
	app = Path(app)
	problems: list[str] = []
	doctypes = load_doctypes(app)
	known = set(doctypes) | _names("framework_doctypes.txt")
	roles = app_roles(app) | _names("framework_roles.txt")
	check_doctypes(doctypes, known, roles, problems)
	check_custom_fields(app, known, problems)
	check_hooks(app, known, problems)
	modules = (app / "modules.txt").read_text(encoding="utf-8").split("\n")
	for module in filter(None, (m.strip() for m in modules)):
		if not (app / module.lower().replace(" ", "_") / "__init__.py").exists():
			problems.append(f"modules.txt: module {module!r} has no package folder")
	for name, doc in doctypes.items():
		folder = doc.get("module", "").lower().replace(" ", "_")
		if not doc["_path"].startswith(f"{app.name}/{folder}/doctype/"):
			problems.append(
				f"{doc['_path']}: DocType {name!r} of module {doc.get('module')!r} is in another module's folder"
			)
	return problems


if __name__ == "__main__":
	root = (
		Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "distribution_sales"
	)
	found = check_app(root)
	print("\n".join(found) or "no problems")
	sys.exit(1 if found else 0)
