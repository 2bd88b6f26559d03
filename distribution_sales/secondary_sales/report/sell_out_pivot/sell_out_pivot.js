const SELL_OUT_DIMENSIONS = ["Item", "Item Group", "Brand", "Distributor", "Territory", "Sales Route", "Outlet", "Month"];

frappe.query_reports["Sell Out Pivot"] = {
	filters: [
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company",
			default: frappe.defaults.get_user_default("Company") },
		{ fieldname: "distributor", label: __("Distributor"), fieldtype: "Link", options: "Customer",
			get_query: () => ({ filters: { ds_is_distributor: 1 } }) },
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.month_start(), -2) },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{ fieldname: "item_group", label: __("Item Group"), fieldtype: "Link", options: "Item Group" },
		{ fieldname: "territory", label: __("Territory"), fieldtype: "Link", options: "Territory" },
		{ fieldname: "rows", label: __("Rows"), fieldtype: "Select", default: "Item",
			options: SELL_OUT_DIMENSIONS.map((d) => ({ value: d, label: __(d) })) },
		{ fieldname: "columns", label: __("Columns"), fieldtype: "Select", default: "Month",
			options: [{ value: "", label: "" }, ...SELL_OUT_DIMENSIONS.map((d) => ({ value: d, label: __(d) }))] },
		{ fieldname: "value", label: __("Value"), fieldtype: "Select", default: "Qty in Stock UOM",
			options: ["Qty in Stock UOM", "Qty", "Amount"].map((d) => ({ value: d, label: __(d) })) },
	],
	onload(report) {
		for (const format of ["CSV", "XLSX", "Parquet"]) {
			report.page.add_inner_button(format, () => {
				const filters = report.get_values();
				window.open(
					"/api/method/distribution_sales.secondary_sales.api.export_ledger?" +
						$.param({ file_format: format, filters: JSON.stringify(filters) })
				);
			}, __("Export Ledger"));
		}
	},
};
