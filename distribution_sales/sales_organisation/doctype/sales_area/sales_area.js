frappe.ui.form.on("Sales Area", {
	setup(frm) {
		frm.set_query("city", () => ({ filters: frm.doc.province ? { province: frm.doc.province } : {} }));
	},
});
