frappe.ui.form.on("Distributor Item Mapping", {
	refresh(frm) {
		if (frm.doc.status !== "Review") return;
		(frm.doc.suggestions || []).forEach((s) => {
			frm.add_custom_button(`${s.item} (${Math.round(s.score)}%)`, () =>
				frm.call("confirm", { item: s.item }).then(() => frm.reload_doc()), __("Accept Suggestion"));
		});
	},
});
