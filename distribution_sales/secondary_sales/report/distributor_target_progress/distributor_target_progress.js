frappe.query_reports["Distributor Target Progress"] = {
	filters: [
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company",
			default: frappe.defaults.get_user_default("Company") },
		{ fieldname: "distributor", label: __("Distributor"), fieldtype: "Link", options: "Customer",
			get_query: () => ({ filters: { ds_is_distributor: 1 } }) },
		{ fieldname: "as_of", label: __("As of"), fieldtype: "Date", default: frappe.datetime.get_today() },
	],
};
