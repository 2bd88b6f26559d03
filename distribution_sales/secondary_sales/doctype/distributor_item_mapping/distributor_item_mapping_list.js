frappe.listview_settings["Distributor Item Mapping"] = {
	get_indicator(doc) {
		const colours = { Review: "orange", Auto: "blue", Confirmed: "green" };
		return [__(doc.status), colours[doc.status] || "gray", `status,=,${doc.status}`];
	},
};
