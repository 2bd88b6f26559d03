frappe.ui.form.on("Sell Out Import Profile", {
	setup(frm) {
		frm.set_query("distributor", () => ({ filters: { ds_is_distributor: 1 } }));
	},
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("New Import"), () =>
			frappe.new_doc("Sell Out Import", { profile: frm.doc.name })
		);
		frm.add_custom_button(__("Imports"), () =>
			frappe.set_route("List", "Sell Out Import", { profile: frm.doc.name })
		);
	},
});
