// Sales Request, Quotation, Sales Order, Sales Invoice: the customer's balance and remaining credit,
// saleable stock of each line at entry (CRD-6, CRD-7), and credit approval (CRD-2). The server decides
// (which lines are short and by how much, which credit buttons the user has); this script renders it.
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
	party_name(frm) {
		ds_sales_control.show_position(frm);
	},
	ds_payment_type(frm) {
		ds_sales_control.show_position(frm);
	},
	payment_type(frm) {
		ds_sales_control.show_position(frm);
	},

	customer_of(frm) {
		if (frm.doc.doctype === "Quotation") return frm.doc.quotation_to === "Customer" ? frm.doc.party_name : null;
		return frm.doc.customer;
	},

	show_position(frm) {
		frm.__ds_position = "";
		frm.__ds_over = false;
		const customer = ds_sales_control.customer_of(frm);
		if (!customer || !frm.doc.company) return ds_sales_control.render(frm);
		frappe
			.call(`${DS_CONTROLS}.get_customer_position`, {
				customer,
				company: frm.doc.company,
				doctype: frm.doc.doctype,
				payment_type: frm.doc.ds_payment_type || frm.doc.payment_type || null,
			})
			.then(({ message: p }) => {
				if (!p || !p.company) return;
				const fmt = (v) => format_currency(v, p.currency || frm.doc.currency);
				const parts = [__("Balance: {0}", [fmt(p.outstanding)])];
				if (p.open_orders) parts.push(__("Open orders: {0}", [fmt(p.open_orders)]));
				if (p.uncleared_cheques) parts.push(__("Uncleared cheques: {0}", [fmt(p.uncleared_cheques)]));
				if (p.overdue_days) parts.push(__("Overdue: {0} days", [p.overdue_days]));
				if (p.policy_remaining !== null && p.policy_remaining !== undefined) {
					parts.push(
						__("Remaining credit: {0} ({1})", [fmt(p.policy_remaining), frappe.utils.escape_html(p.policy)])
					);
				} else if (p.remaining !== null && p.remaining !== undefined) {
					parts.push(__("Remaining credit: {0}", [fmt(p.remaining)]));
				}
				frm.__ds_over = !!p.over_limit;
				frm.__ds_position = `<div class="ds-credit-position">${parts.join(" · ")}</div>`;
				ds_sales_control.render(frm);
			});
	},

	// one alert at the top of the form (the dashboard sits in the Connections tab)
	render(frm) {
		const html = (frm.__ds_position || "") + (frm.__ds_stock || "");
		const red = !!(frm.__ds_over || frm.__ds_short);
		const box = $(frm.layout.wrapper).find(".ds-control-box");
		if (box.length) {
			// one block, updated in place (each show_message call would add another)
			box.html(html);
			box.closest(".form-message").toggleClass("red", red).toggleClass("blue", !red);
		} else if (html) {
			frm.layout.show_message(`<div class="ds-control-box">${html}</div>`, red ? "red" : "blue", true);
		}
	},

	// each line as the server judged it: saleable figure, short or not, by how much
	show_stock(frm) {
		frm.__ds_stock = "";
		frm.__ds_short = false;
		if (frm.doc.docstatus !== 0 || !(frm.doc.items || []).some((r) => r.item_code)) {
			return ds_sales_control.render(frm);
		}
		frappe.call(`${DS_CONTROLS}.get_line_status`, { doc: frm.doc }).then(({ message: status }) => {
			const lines = (status && status.lines) || [];
			if (!lines.length) return;
			const esc = frappe.utils.escape_html;
			const body = lines
				.map(
					(s) => `<tr class="${s.short ? "text-danger ds-short" : ""}" data-row="${esc(s.row || "")}">
						<td>${s.idx}</td>
						<td>${esc(s.item_code)}</td>
						<td>${esc(s.warehouse)}</td>
						<td class="text-right">${format_number(s.actual)}</td>
						<td class="text-right">${format_number(s.reserved)}</td>
						<td class="text-right"><b>${format_number(s.saleable)}</b></td>
						<td class="text-right">${s.incoming ? format_number(s.incoming) : ""}</td>
						<td class="text-right">${format_number(s.wanted)}</td>
						<td class="text-right">${s.short ? `<b>${format_number(s.shortage)}</b>` : ""}</td></tr>`
				)
				.join("");
			frm.__ds_short = lines.some((s) => s.short);
			const note = frm.__ds_short
				? `<div class="small">${
						status.refused
							? __("Short lines are refused when the document is submitted.")
							: __("Short lines cannot be promised from saleable stock.")
				  }</div>`
				: "";
			frm.__ds_stock = `<div class="mt-2 ds-saleable-stock"><b>${__("Saleable Stock")}</b>
				<table class="table table-sm table-bordered small mb-0">
				<thead><tr><th>${__("Row")}</th><th>${__("Item")}</th><th>${__("Warehouse")}</th><th>${__("Actual")}</th>
				<th>${__("Reserved")}</th><th>${__("Saleable")}</th><th>${__("Production Due")}</th>
				<th>${__("This Document")}</th><th>${__("Shortage")}</th></tr></thead><tbody>${body}</tbody></table>${note}</div>`;
			ds_sales_control.render(frm);
		});
	},

	approval_buttons(frm) {
		if (frm.doc.docstatus !== 0 || frm.is_new()) return;
		frappe
			.call(`${DS_CONTROLS}.get_credit_actions`, { doctype: frm.doc.doctype, name: frm.doc.name })
			.then(({ message: credit }) => {
				const allowed = new Set((credit && credit.allowed_actions) || []);
				const call = (method, args) =>
					frappe
						.call(`${DS_CONTROLS}.${method}`, { doctype: frm.doc.doctype, name: frm.doc.name, ...args })
						.then(() => frm.reload_doc());
				const decide = (approve) =>
					frappe.prompt(
						{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
						({ reason }) => call("decide_credit_approval", { approve: approve ? 1 : 0, reason }),
						approve ? __("Approve Credit") : __("Reject Credit")
					);
				if (allowed.has("request")) {
					frm.add_custom_button(__("Send for Credit Approval"), () => call("request_credit_approval"), __("Credit"));
				}
				if (allowed.has("approve")) frm.add_custom_button(__("Approve Credit"), () => decide(true), __("Credit"));
				if (allowed.has("reject")) frm.add_custom_button(__("Reject Credit"), () => decide(false), __("Credit"));
			});
	},
};

["Sales Request", "Quotation", "Sales Order", "Sales Invoice"].forEach((doctype) =>
	frappe.ui.form.on(doctype, ds_sales_control)
);
