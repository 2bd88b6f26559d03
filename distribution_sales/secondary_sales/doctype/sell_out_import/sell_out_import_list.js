frappe.listview_settings["Sell Out Import"] = {
	get_indicator(doc) {
		const colours = {
			Draft: "gray", Queued: "orange", Running: "orange", Completed: "green",
			Failed: "red", "Rolled Back": "gray", Replaced: "blue",
		};
		return [__(doc.status), colours[doc.status] || "gray", `status,=,${doc.status}`];
	},
};
