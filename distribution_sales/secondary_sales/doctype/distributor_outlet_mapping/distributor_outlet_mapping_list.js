frappe.listview_settings["Distributor Outlet Mapping"] = {
	get_indicator(doc) {
		const colours = { Review: "orange", Auto: "blue", Confirmed: "green", Transferred: "gray" };
		return [__(doc.status), colours[doc.status] || "gray", `status,=,${doc.status}`];
	},
};
