frappe.query_reports["Customers by Route"] = {
	filters: [
		{ fieldname: "sales_area", label: __("Area"), fieldtype: "Link", options: "Sales Area" },
		{ fieldname: "ds_sales_route", label: __("Route"), fieldtype: "Link", options: "Sales Route" },
		{ fieldname: "ds_sales_person", label: __("Salesperson (Visitor)"), fieldtype: "Link", options: "Sales Person" },
		{ fieldname: "customer_group", label: __("Customer Group"), fieldtype: "Link", options: "Customer Group" },
	],
};
