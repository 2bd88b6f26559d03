// Sales Person as sales personnel (ORG-3): show which routes this visitor covers today.
frappe.ui.form.on("Sales Person", {
	refresh(frm) {
		if (frm.is_new() || frm.doc.is_group) return;
		frappe
			.call("distribution_sales.sales_organisation.api.get_visitor_routes", { sales_person: frm.doc.name })
			.then(({ message: routes }) => {
				if (routes && routes.length) {
					frm.dashboard.add_indicator(__("Routes today: {0}", [routes.join(", ")]), "blue");
				}
			});
	},
});
