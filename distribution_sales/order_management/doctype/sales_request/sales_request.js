// Sales Request (DOC-1): what a visitor takes in the shop. Prices and trade schemes are applied by the
// server when it is saved; once submitted it becomes a proforma or an order, as the company's flow says.
const DS_REQUEST = "distribution_sales.order_management.doctype.sales_request.sales_request";

frappe.ui.form.on("Sales Request", {
	setup(frm) {
		frm.set_query("selling_price_list", () => ({ filters: { selling: 1, enabled: 1 } }));
		frm.set_query("set_warehouse", () => ({ filters: { company: frm.doc.company, is_group: 0 } }));
		frm.set_query("warehouse", "items", () => ({ filters: { company: frm.doc.company, is_group: 0 } }));
		frm.set_query("uom", "items", (doc, cdt, cdn) => {
			const row = locals[cdt][cdn];
			return {
				query: "erpnext.controllers.queries.get_item_uom_query",
				filters: { item_code: row.item_code },
			};
		});
	},

	onload(frm) {
		if (frm.is_new() && !frm.doc.selling_price_list) {
			frappe.db.get_single_value("Selling Settings", "selling_price_list").then((value) => {
				if (value && !frm.doc.selling_price_list) frm.set_value("selling_price_list", value);
			});
		}
	},

	refresh(frm) {
		if (frm.doc.docstatus === 1 && frm.doc.status === "Submitted") {
			frappe
				.call("distribution_sales.order_management.flow.get_flow_steps", { company: frm.doc.company })
				.then(({ message: steps }) => {
					const next = (steps || [])[steps.indexOf("Sales Request") + 1];
					if (next === "Quotation") {
						frm.add_custom_button(__("Proforma"), () => ds_make(frm, "make_quotation"), __("Create"));
					} else if (next === "Sales Order") {
						frm.add_custom_button(__("Sales Order"), () => ds_make(frm, "make_sales_order"), __("Create"));
					}
					frm.page.set_inner_btn_group_as_primary(__("Create"));
				});
		}
	},

	customer(frm) {
		if (!frm.doc.customer) return;
		frappe.db.get_value("Customer", frm.doc.customer, "default_price_list").then(({ message }) => {
			if (message && message.default_price_list) {
				frm.set_value("selling_price_list", message.default_price_list);
			}
		});
	},
});

frappe.ui.form.on("Sales Request Item", {
	item_code(frm, cdt, cdn) {
		const row = locals[cdt][cdn];
		if (!row.warehouse && frm.doc.set_warehouse) {
			frappe.model.set_value(cdt, cdn, "warehouse", frm.doc.set_warehouse);
		}
		if (row.item_code && !row.uom) {
			frappe.db.get_value("Item", row.item_code, ["sales_uom", "stock_uom"]).then(({ message }) => {
				if (message) frappe.model.set_value(cdt, cdn, "uom", message.sales_uom || message.stock_uom);
			});
		}
	},
});

function ds_make(frm, method) {
	frappe.model.open_mapped_doc({ method: `${DS_REQUEST}.${method}`, frm });
}
