frappe.query_reports["Growth Points"] = {
	filters: [
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company",
			default: frappe.defaults.get_user_default("Company") },
		{ fieldname: "distributor", label: __("Distributor"), fieldtype: "Link", options: "Customer",
			get_query: () => ({ filters: { ds_is_distributor: 1 } }) },
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", reqd: 1,
			default: frappe.datetime.add_months(frappe.datetime.month_start(), -1) },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", reqd: 1,
			default: frappe.datetime.add_days(frappe.datetime.month_start(), -1) },
		{ fieldname: "dimension", label: __("By"), fieldtype: "Select", default: "Outlet",
			options: ["Outlet", "Item", "Territory", "Sales Route"].map((d) => ({ value: d, label: __(d) })) },
		{ fieldname: "min_drop_pct", label: __("Minimum Drop %"), fieldtype: "Percent", default: 20 },
	],
};
