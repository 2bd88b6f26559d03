// Customer form: balance, remaining credit and blacklist at the top of the form (ORG-7);
// city filtered by province.
frappe.ui.form.on("Customer", {
	setup(frm) {
		frm.set_query("ds_city", () => ({ filters: frm.doc.ds_province ? { province: frm.doc.ds_province } : {} }));
	},
	refresh(frm) {
		if (frm.is_new()) return;
		const blacklist = frm.doc.ds_is_blacklisted
			? __("Blacklisted since {0}: {1}", [
					frappe.datetime.str_to_user(frm.doc.ds_blacklisted_on),
					frappe.utils.escape_html(frm.doc.ds_blacklist_reason || ""),
			  ])
			: "";
		frappe
			.call("distribution_sales.sales_organisation.api.get_customer_credit", { customer: frm.doc.name })
			.then(({ message: c }) => {
				const parts = blacklist ? [blacklist] : [];
				if (c && c.company) {
					const fmt = (v) => format_currency(v, frappe.defaults.get_default("currency"));
					parts.push(__("Balance: {0}", [fmt(c.outstanding)]));
					if (c.open_orders) parts.push(__("Open orders: {0}", [fmt(c.open_orders)]));
					parts.push(
						c.remaining === null ? __("No credit limit") : __("Remaining credit: {0}", [fmt(c.remaining)])
					);
				}
				if (parts.length) {
					frm.set_intro(parts.join(" · "), blacklist || (c && c.over_limit) ? "red" : "blue");
				}
			});
	},
});
