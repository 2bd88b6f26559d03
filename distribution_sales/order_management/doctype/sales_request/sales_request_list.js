frappe.listview_settings["Sales Request"] = {
	add_fields: ["status", "quotation", "sales_order"],
	get_indicator(doc) {
		const colours = { Draft: "red", Submitted: "blue", Converted: "green", Cancelled: "gray" };
		return [__(doc.status), colours[doc.status] || "gray", `status,=,${doc.status}`];
	},
};
