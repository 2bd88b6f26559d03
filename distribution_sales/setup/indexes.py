"""The composite indexes the app's locking reads rely on, and the hints that name them: one place.

Credit and stock decisions read submitted documents with shared locks (sales_control). These indexes
let those reads reach only submitted rows, never a draft another request is saving (which would make
two submits wait for each other); the reads name them with ``force index`` so the optimiser cannot
pick ERPNext's own (item, warehouse) index instead. A test checks that every index a hint names
exists on the site.
"""

# (doctype, columns): created on migrate as ds_<columns>, dropped on uninstall
INDEXES = (
	("Sales Order Item", ("item_code", "warehouse", "docstatus")),
	("Sales Order", ("customer", "docstatus")),
	("Sales Order", ("ds_sales_person", "docstatus")),
	("Sales Invoice", ("customer", "docstatus")),
	("Sales Invoice", ("ds_sales_person", "docstatus")),
	("Payment Entry", ("party", "docstatus")),
	("Delivery Note", ("customer", "docstatus")),
)
# made by the DocType itself (on_doctype_update, Frappe's naming): named here so hints can use them
DOCTYPE_INDEXES = (("Proforma Reservation", "item_code_warehouse_status_index"),)


def index_name(columns) -> str:
	return "ds_" + "_".join(columns)


def force_index(doctype: str, columns) -> str:
	"""``force index (ds_...)`` for one of INDEXES; refuses an index that is not declared there."""
	if (doctype, tuple(columns)) not in INDEXES:
		raise ValueError(f"no index on {doctype} {tuple(columns)} is declared in setup/indexes.py")
	return f"force index (`{index_name(columns)}`)"


def all_index_names() -> dict[str, set[str]]:
	out: dict[str, set[str]] = {}
	for doctype, columns in INDEXES:
		out.setdefault(doctype, set()).add(index_name(columns))
	for doctype, name in DOCTYPE_INDEXES:
		out.setdefault(doctype, set()).add(name)
	return out
