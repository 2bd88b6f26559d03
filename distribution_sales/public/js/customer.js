// Customer form: balance and remaining credit at a glance (ORG-7), city filtered by province.
frappe.ui.form.on("Customer", {
	setup(frm) {
		frm.set_query("ds_city", () => ({ filters: frm.doc.ds_province ? { province: frm.doc.ds_province } : {} }));
	},
	refresh(frm) {
		if (frm.is_new()) return;
		frappe
			.call("distribution_sales.sales_organisation.api.get_customer_credit", { customer: frm.doc.name })
			.then(({ message: c }) => {
				if (!c || !c.company) return;
				const fmt = (v) => format_currency(v, frappe.defaults.get_default("currency"));
				frm.dashboard.add_indicator(__("Balance: {0}", [fmt(c.outstanding)]), c.outstanding > 0 ? "orange" : "green");
				if (c.remaining === null) {
					frm.dashboard.add_indicator(__("No credit limit"), "gray");
				} else {
					frm.dashboard.add_indicator(
						__("Remaining credit: {0}", [fmt(c.remaining)]),
						c.over_limit ? "red" : "blue"
					);
				}
			});
		if (frm.doc.ds_is_blacklisted) {
			frm.dashboard.set_headline_alert(
				`<span class="indicator red">${__("Blacklisted since {0}: {1}", [
					frappe.datetime.str_to_user(frm.doc.ds_blacklisted_on),
					frappe.utils.escape_html(frm.doc.ds_blacklist_reason || ""),
				])}</span>`
			);
		}
	},
});
