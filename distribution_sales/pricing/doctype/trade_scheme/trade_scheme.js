// Trade Scheme form: conditions offer only the kinds of record a scheme can apply to (the list lives
// on the server, with the check that enforces it).
frappe.ui.form.on("Trade Scheme", {
	setup(frm) {
		frm.set_query("condition_type", "conditions", () => ({
			query: "distribution_sales.pricing.doctype.trade_scheme.trade_scheme.condition_types",
		}));
		frm.set_query("free_item", "tiers", () => ({ filters: { is_sales_item: 1, disabled: 0 } }));
	},
});
