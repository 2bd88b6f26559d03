from distribution_sales.sales_organisation.scope import PARENT_DOCTYPES as _PARENT_DOCTYPES
from distribution_sales.sales_organisation.scope import SCOPED_DOCTYPES as _SCOPED_DOCTYPES

_SELLING_DOCUMENTS = ("Sales Request", "Quotation", "Sales Order", "Sales Invoice", "Delivery Note")
_SELLING_EVENTS = (
	"before_validate",
	"validate",
	"before_save",
	"before_submit",
	"on_update",
	"on_submit",
	"before_cancel",
	"on_cancel",
	"on_update_after_submit",
)

app_name = "distribution_sales"
app_title = "Distribution Sales"
app_publisher = "distribution_sales developers"
app_description = (
	"Route sales, head-office sales control, make-to-order, channel CRM and sell-out data for ERPNext"
)
app_email = "dev@distribution-sales.example"
app_license = "GNU General Public License (v3)"
required_apps = ["frappe/erpnext"]

require_type_annotated_api_methods = True

# Desk
# ----
doctype_js = {
	"Customer": "public/js/customer.js",
	"Sales Person": "public/js/sales_person.js",
	"Quotation": "public/js/sales_control.js",
	"Sales Order": ["public/js/sales_control.js", "public/js/order_flow.js"],
	"Sales Invoice": "public/js/sales_control.js",
	"Sales Request": "public/js/sales_control.js",  # its own script is in its doctype folder
}

# Install, migrate, uninstall
# ---------------------------
after_install = "distribution_sales.setup.install.after_install"
after_migrate = "distribution_sales.setup.install.after_migrate"
before_uninstall = "distribution_sales.setup.install.before_uninstall"

# Fixtures: provinces and cities of Iran, Russia and China (ORG-8)
fixtures = [
	{"dt": "Province", "filters": [["country", "in", ["Iran", "Russian Federation", "China"]]]},
	{"dt": "City", "filters": [["country", "in", ["Iran", "Russian Federation", "China"]]]},
]

# Row-level access (ORG-4): supervisors see their team's records, salespeople their own. Both hooks
# are built from one list (sales_organisation/scope.py), so no scoped doctype misses either.
permission_query_conditions = {
	doctype: "distribution_sales.sales_organisation.access.query_conditions" for doctype in _SCOPED_DOCTYPES
}
has_permission = {
	doctype: "distribution_sales.sales_organisation.access.has_permission" for doctype in _PARENT_DOCTYPES
}
# prepared (background) reports: a scoped user reads only his own, of reports he may run
permission_query_conditions["Prepared Report"] = (
	"distribution_sales.sales_organisation.access.prepared_report_conditions"
)
has_permission["Prepared Report"] = "distribution_sales.sales_organisation.access.prepared_report_permission"

# Script and query reports of other apps ignore row-level access: refused to scoped users (ORG-4)
override_whitelisted_methods = {
	"frappe.desk.query_report.run": "distribution_sales.sales_organisation.access.run_report",
	"frappe.desk.query_report.export_query": "distribution_sales.sales_organisation.access.export_report",
	# Update Items on a submitted order obeys the edit rules (DOC-4)
	"erpnext.controllers.accounts_controller.update_child_qty_rate": (
		"distribution_sales.order_management.flow.update_items"
	),
}

# Document events on ERPNext doctypes (code in overrides/)
doc_events = {
	"Customer": {
		"before_validate": "distribution_sales.overrides.customer.before_validate",
		"before_insert": "distribution_sales.overrides.customer.before_insert",
		"validate": "distribution_sales.overrides.customer.validate",
	},
	"Customer Group": {
		"validate": "distribution_sales.overrides.customer_group.validate",
	},
	"Sales Person": {
		"validate": "distribution_sales.overrides.sales_person.validate",
	},
	"Prepared Report": {
		"before_insert": "distribution_sales.sales_organisation.access.before_insert_prepared_report",
	},
	"Vehicle": {
		"before_insert": "distribution_sales.overrides.vehicle.before_insert",
		"validate": "distribution_sales.overrides.vehicle.validate",
	},
	"Blanket Order": {
		"validate": "distribution_sales.pricing.apply.price_blanket_order",
	},
	# the selling documents: one entry point per event, which calls the stages (salesperson stamp,
	# pricing, document flow, control checks, locks and reservations) in one visible order
	**{
		doctype: {
			event: f"distribution_sales.overrides.selling_transaction.{event}" for event in _SELLING_EVENTS
		}
		for doctype in _SELLING_DOCUMENTS
	},
}

scheduler_events = {
	"daily": ["distribution_sales.sales_control.stock.expire_proforma_reservations"],
}

# Testing
# -------
before_tests = "distribution_sales.demo.before_tests"
