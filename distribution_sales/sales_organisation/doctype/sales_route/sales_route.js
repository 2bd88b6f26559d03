frappe.ui.form.on("Sales Route", {
	setup(frm) {
		frm.set_query("sales_area", () => ({ filters: { sales_region: frm.doc.sales_region, is_active: 1 } }));
		frm.set_query("city", () => ({ filters: frm.doc.province ? { province: frm.doc.province } : {} }));
	},
	refresh(frm) {
		if (frm.is_new()) return;
		frappe
			.call("distribution_sales.sales_organisation.api.get_route_visitor", { route: frm.doc.name })
			.then(({ message: visitor }) => {
				frm.dashboard.add_indicator(
					visitor ? __("Visitor today: {0}", [visitor]) : __("No visitor assigned today"),
					visitor ? "green" : "orange"
				);
			});
		frm.add_custom_button(__("Assign Visitor"), () =>
			frappe.new_doc("Route Assignment", { sales_route: frm.doc.name })
		);
	},
	sales_region(frm) {
		frm.set_value("sales_area", null);
	},
});

frappe.ui.form.on("Sales Route Customer", {
	customers_add(frm, cdt, cdn) {
		const orders = (frm.doc.customers || []).map((r) => r.visit_order || 0);
		frappe.model.set_value(cdt, cdn, "visit_order", Math.max(0, ...orders) + 1);
	},
});
