frappe.ui.form.on("Distributor Target", {
	setup(frm) {
		frm.set_query("distributor", () => ({ filters: { ds_is_distributor: 1 } }));
	},
});
