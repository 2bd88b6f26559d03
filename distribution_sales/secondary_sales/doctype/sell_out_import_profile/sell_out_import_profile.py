"""How one distributor's sell-out files look (SEC-1): file type, sheet, header row, columns and formats."""

import frappe
from frappe import _
from frappe.model.document import Document

# The profile's labels (what users pick in the desk) -> the values of parsing.ImportSpec
FIELD_OF_LABEL = {
	"Date": "date",
	"Outlet Code": "outlet_code",
	"Outlet Name": "outlet_name",
	"Outlet Address": "outlet_address",
	"Outlet City": "outlet_city",
	"Item Code": "item_code",
	"Item Name": "item_name",
	"Quantity": "qty",
	"UOM": "uom",
	"Amount": "amount",
	"Document No": "doc_no",
}
LABEL_OF_FIELD = {v: k for k, v in FIELD_OF_LABEL.items()}
DATE_FORMATS = {
	"Detect": "auto",
	"Jalali": "jalali",
	"Year Month Day": "ymd",
	"Day Month Year": "dmy",
	"Month Day Year": "mdy",
	"Chinese": "chinese",
}
DELIMITERS = {"Detect": None, "Comma": ",", "Semicolon": ";", "Tab": "\t", "Pipe": "|"}
DECIMAL_SEPARATORS = {"Point": ".", "Comma": ","}
THOUSANDS_SEPARATORS = {"Detect": "", "Comma": ",", "Point": ".", "Space": " ", "Apostrophe": "'"}


def _label(mapping: dict, value, default: str) -> str:
	for label, v in mapping.items():
		if v == value:
			return label
	return default


class SellOutImportProfile(Document):
	def validate(self):
		self.validate_distributor()
		self.validate_columns()
		self.validate_numbers()

	def validate_distributor(self):
		if not frappe.db.get_value("Customer", self.distributor, "ds_is_distributor"):
			frappe.throw(
				_("Customer {0} is not marked as a distributor (Is a Distributor on the customer)").format(
					frappe.bold(self.distributor)
				)
			)

	def validate_columns(self):
		seen = set()
		for row in self.columns:
			row.header = (row.header or "").strip()
			if row.field in seen:
				frappe.throw(_("Row {0}: the field {1} is mapped twice").format(row.idx, _(row.field)))
			seen.add(row.field)
		missing = [label for label in ("Date", "Quantity") if label not in seen]
		if not seen & {"Item Code", "Item Name"}:
			missing.append(_("Item Code or Item Name"))
		if not seen & {"Outlet Code", "Outlet Name"}:
			missing.append(_("Outlet Code or Outlet Name"))
		if missing:
			frappe.throw(
				_("Map these fields to columns of the file: {0}").format(", ".join(_(m) for m in missing))
			)

	def validate_numbers(self):
		if (self.header_row or 0) < 1:
			frappe.throw(_("Header Row must be 1 or more"))
		for field in ("match_threshold", "max_error_percent"):
			value = self.get(field) or 0
			if not 0 <= value <= 100:
				frappe.throw(_("{0} must be between 0 and 100").format(_(self.meta.get_label(field))))

	def spec(self):
		"""The profile as the pure reader's ImportSpec."""
		from distribution_sales.parsing import ImportSpec

		return ImportSpec(
			file_type=self.file_type,
			columns={FIELD_OF_LABEL[row.field]: row.header for row in self.columns},
			sheet=(self.sheet or "").strip() or None,
			header_row=self.header_row or 1,
			delimiter=DELIMITERS.get(self.delimiter or "Detect"),
			date_format=DATE_FORMATS.get(self.date_format or "Detect", "auto"),
			decimal_separator=DECIMAL_SEPARATORS.get(self.decimal_separator or "Point", "."),
			thousands_separator=THOUSANDS_SEPARATORS.get(self.thousands_separator or "Detect", ""),
			encoding=(self.encoding or "").strip() or None,
			allow_returns=bool(self.allow_returns),
		)


def profile_values(spec_kwargs: dict) -> dict:
	"""Profile field values for ImportSpec keyword arguments (used by tests, the demo and the benchmark)."""
	columns = spec_kwargs.get("columns") or {}
	return {
		"file_type": spec_kwargs.get("file_type", "csv"),
		"sheet": spec_kwargs.get("sheet"),
		"header_row": spec_kwargs.get("header_row", 1),
		"delimiter": _label(DELIMITERS, spec_kwargs.get("delimiter"), "Detect"),
		"encoding": spec_kwargs.get("encoding"),
		"date_format": _label(DATE_FORMATS, spec_kwargs.get("date_format", "auto"), "Detect"),
		"decimal_separator": _label(DECIMAL_SEPARATORS, spec_kwargs.get("decimal_separator", "."), "Point"),
		"thousands_separator": _label(
			THOUSANDS_SEPARATORS, spec_kwargs.get("thousands_separator", ""), "Detect"
		),
		"allow_returns": int(bool(spec_kwargs.get("allow_returns"))),
		"columns": [{"field": LABEL_OF_FIELD[f], "header": h} for f, h in columns.items()],
	}
