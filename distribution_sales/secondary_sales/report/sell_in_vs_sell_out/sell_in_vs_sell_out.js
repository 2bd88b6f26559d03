frappe.query_reports["Sell-In vs Sell-Out"] = {
	filters: [
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company",
			default: frappe.defaults.get_user_default("Company") },
		{ fieldname: "distributor", label: __("Distributor"), fieldtype: "Link", options: "Customer", reqd: 1,
			get_query: () => ({ filters: { ds_is_distributor: 1 } }) },
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.month_start(), -5) },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{ fieldname: "item", label: __("Item"), fieldtype: "Link", options: "Item" },
		{ fieldname: "history_as_opening", label: __("Count history as opening stock"), fieldtype: "Check", default: 1 },
	],
};
