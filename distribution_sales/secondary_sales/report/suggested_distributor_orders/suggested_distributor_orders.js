frappe.query_reports["Suggested Distributor Orders"] = {
	filters: [
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company",
			default: frappe.defaults.get_user_default("Company") },
		{ fieldname: "distributor", label: __("Distributor"), fieldtype: "Link", options: "Customer", reqd: 1,
			get_query: () => ({ filters: { ds_is_distributor: 1 } }) },
		{ fieldname: "item", label: __("Item"), fieldtype: "Link", options: "Item" },
		{ fieldname: "as_of", label: __("As of"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{ fieldname: "months", label: __("Months of History"), fieldtype: "Int", default: 6 },
		{ fieldname: "method", label: __("Forecast Method"), fieldtype: "Select", default: "Moving Average (3)",
			options: ["Moving Average (3)", "Linear Trend", "Seasonal Naive"].map((d) => ({ value: d, label: __(d) })) },
		{ fieldname: "target_days", label: __("Target Days of Cover"), fieldtype: "Float", default: 30 },
	],
};
