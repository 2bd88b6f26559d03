// Quotation, Sales Order, Sales Invoice: the customer's balance and remaining credit, saleable stock of
// each line at entry (CRD-6, CRD-7), and credit approval (CRD-2). The rules live on the server.
const DS_CONTROLS = "distribution_sales.sales_control.api";

const ds_sales_control = {
	refresh(frm) {
		ds_sales_control.show_position(frm);
		ds_sales_control.show_stock(frm);
		ds_sales_control.approval_buttons(frm);
	},
	customer(frm) {
		ds_sales_control.show_position(frm);
	},
	ds_payment_type(frm) {
		ds_sales_control.show_position(frm);
	},
	validate(frm) {
		frm.__ds_stock_shown = null;
	},

	show_position(frm) {
		frm.__ds_position = "";
		if (!frm.doc.customer || !frm.doc.company) return;
		frappe
			.call(`${DS_CONTROLS}.get_customer_position`, {
				customer: frm.doc.customer,
				company: frm.doc.company,
				doctype: frm.doc.doctype,
				payment_type: frm.doc.ds_payment_type || null,
			})
			.then(({ message: p }) => {
				if (!p || !p.company) return;
				const fmt = (v) => format_currency(v, p.currency || frm.doc.currency);
				const parts = [__("Balance: {0}", [fmt(p.outstanding)])];
				if (p.open_orders) parts.push(__("Open orders: {0}", [fmt(p.open_orders)]));
				if (p.uncleared_cheques) parts.push(__("Uncleared cheques: {0}", [fmt(p.uncleared_cheques)]));
				if (p.overdue_days) parts.push(__("Overdue: {0} days", [p.overdue_days]));
				if (p.policy_remaining !== null && p.policy_remaining !== undefined) {
					parts.push(__("Remaining credit: {0} ({1})", [fmt(p.policy_remaining), p.policy]));
				} else if (p.remaining !== null && p.remaining !== undefined) {
					parts.push(__("Remaining credit: {0}", [fmt(p.remaining)]));
				}
				frm.__ds_over = (p.policy_remaining ?? p.remaining ?? 0) < 0;
				frm.__ds_position = `<div class="ds-credit-position">${parts.join(" · ")}</div>`;
				ds_sales_control.render(frm);
			});
	},

	// one alert at the top of the form (the dashboard sits in the Connections tab)
	render(frm) {
		const html = (frm.__ds_position || "") + (frm.__ds_stock || "");
		const box = $(frm.layout.wrapper).find(".ds-control-box");
		if (box.length) {
			// one block, updated in place (each show_message call would add another)
			box.html(html);
			box.closest(".form-message").toggleClass("red", !!frm.__ds_over).toggleClass("blue", !frm.__ds_over);
		} else if (html) {
			frm.layout.show_message(`<div class="ds-control-box">${html}</div>`, frm.__ds_over ? "red" : "blue", true);
		}
	},

	show_stock(frm) {
		frm.__ds_stock = "";
		if (frm.doc.docstatus !== 0 || frm.doc.doctype === "Sales Invoice" && !frm.doc.update_stock) return;
		const items = (frm.doc.items || [])
			.filter((r) => r.item_code)
			.map((r) => ({ item_code: r.item_code, warehouse: r.warehouse || frm.doc.set_warehouse }));
		if (!items.length) return;
		frappe
			.call(`${DS_CONTROLS}.get_saleable_stock`, {
				items,
				company: frm.doc.company,
				delivery_date: frm.doc.delivery_date || frm.doc.valid_till || null,
			})
			.then(({ message: rows }) => {
				if (!rows || !rows.length) return;
				const wanted = {};
				(frm.doc.items || []).forEach((r) => {
					const key = `${r.item_code}|${r.warehouse || frm.doc.set_warehouse || ""}`;
					wanted[key] = (wanted[key] || 0) + flt(r.stock_qty || r.qty * (r.conversion_factor || 1));
				});
				const body = rows
					.map((s) => {
						const want = wanted[`${s.item_code}|${s.warehouse}`] || 0;
						const ok = want <= s.saleable + s.incoming + 1e-9;
						return `<tr class="${ok ? "" : "text-danger"}">
							<td>${frappe.utils.escape_html(s.item_code)}</td>
							<td>${frappe.utils.escape_html(s.warehouse)}</td>
							<td class="text-right">${format_number(s.actual)}</td>
							<td class="text-right">${format_number(s.reserved)}</td>
							<td class="text-right"><b>${format_number(s.saleable)}</b></td>
							<td class="text-right">${s.incoming ? format_number(s.incoming) : ""}</td>
							<td class="text-right">${format_number(want)}</td></tr>`;
					})
					.join("");
				const html = `<div class="ds-saleable-stock"><table class="table table-sm table-bordered small mb-0">
					<thead><tr><th>${__("Item")}</th><th>${__("Warehouse")}</th><th>${__("Actual")}</th>
					<th>${__("Reserved")}</th><th>${__("Saleable")}</th><th>${__("Production Due")}</th>
					<th>${__("This Document")}</th></tr></thead><tbody>${body}</tbody></table></div>`;
				frm.__ds_stock = `<div class="mt-2"><b>${__("Saleable Stock")}</b>${html}</div>`;
				ds_sales_control.render(frm);
			});
	},

	approval_buttons(frm) {
		if (frm.doc.docstatus !== 0 || frm.is_new()) return;
		const state = frm.doc.ds_credit_state;
		if (state !== "Pending Approval") {
			frm.add_custom_button(__("Send for Credit Approval"), () =>
				frappe
					.call(`${DS_CONTROLS}.request_credit_approval`, { doctype: frm.doc.doctype, name: frm.doc.name })
					.then(() => frm.reload_doc())
			, __("Credit"));
		}
		if (state === "Pending Approval" && frappe.user.has_role(["Credit Controller", "System Manager"])) {
			const decide = (approve) =>
				frappe.prompt(
					{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
					({ reason }) =>
						frappe
							.call(`${DS_CONTROLS}.decide_credit_approval`, {
								doctype: frm.doc.doctype,
								name: frm.doc.name,
								approve: approve ? 1 : 0,
								reason,
							})
							.then(() => frm.reload_doc()),
					approve ? __("Approve Credit") : __("Reject Credit")
				);
			frm.add_custom_button(__("Approve Credit"), () => decide(true), __("Credit"));
			frm.add_custom_button(__("Reject Credit"), () => decide(false), __("Credit"));
		}
	},
};

["Quotation", "Sales Order", "Sales Invoice"].forEach((doctype) => frappe.ui.form.on(doctype, ds_sales_control));
