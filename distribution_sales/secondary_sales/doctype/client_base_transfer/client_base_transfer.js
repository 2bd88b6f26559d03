frappe.ui.form.on("Client Base Transfer", {
	setup(frm) {
		for (const field of ["from_distributor", "to_distributor"]) {
			frm.set_query(field, () => ({ filters: { ds_is_distributor: 1 } }));
		}
		frm.set_query("outlet_mapping", "outlets", () => ({
			filters: { distributor: frm.doc.from_distributor, status: ["in", ["Auto", "Confirmed"]] },
		}));
	},
});
