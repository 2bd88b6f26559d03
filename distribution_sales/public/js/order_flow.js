// Sales Order in the document flow (DOC-3, DOC-4): approval state, receipts received and remaining,
// and the buttons for what the server allows this user (send, approve, return, complete, refund).
const DS_FLOW = "distribution_sales.order_management.flow";

frappe.ui.form.on("Sales Order", {
	refresh(frm) {
		if (frm.is_new()) return;
		frappe.call(`${DS_FLOW}.order_receipts`, { name: frm.doc.name }).then(({ message: info }) => {
			if (info) ds_order_flow.show(frm, info);
		});
	},
});

const ds_order_flow = {
	show(frm, info) {
		// one line above the form (the dashboard sits in the Connections tab): approval and receipts
		const state = frm.doc.ds_approval_state;
		const parts = state ? [__(state)] : [];
		if (frm.doc.docstatus === 1) {
			const fmt = (v) => format_currency(v, frm.doc.currency);
			parts.push(__("Received: {0}", [fmt(info.received - info.refunded)]));
			parts.push(__("Remaining: {0}", [fmt(info.remaining)]));
		}
		frm.layout.message.find(".ds-order-flow").closest(".form-message").remove();
		if (parts.length) {
			const colour = state === "Returned for Edit" ? "red" : state === "Sent for Approval" ? "yellow" : "blue";
			frm.layout.show_message(`<div class="ds-order-flow">${frappe.utils.escape_html(parts.join(" · "))}</div>`, colour);
		}
		// the buttons are the actions the server allows this user (allowed_actions), nothing more
		const allowed = new Set(info.allowed_actions || []);
		const action = (label, method, group) =>
			frm.add_custom_button(
				label,
				() => {
					const run = () =>
						frappe.call(`${DS_FLOW}.${method}`, { name: frm.doc.name }).then(() => frm.reload_doc());
					return frm.is_dirty() ? frm.save().then(run) : run();
				},
				group
			);
		if (allowed.has("send")) {
			action(__("Send for Approval"), "send_for_approval", frm.doc.docstatus === 0 ? undefined : __("Approval"));
		}
		if (allowed.has("approve")) action(__("Approve"), "approve_order", __("Approval"));
		if (allowed.has("return")) action(__("Return for Edit"), "return_for_edit", __("Approval"));
		if (allowed.has("complete")) action(__("Complete"), "complete_order", __("Status"));
		if (allowed.has("refund")) {
			frm.add_custom_button(__("Refund"), () => ds_order_flow.refund(frm, info), __("Create"));
		}
	},

	refund(frm, info) {
		frappe.prompt(
			[
				{ fieldname: "amount", fieldtype: "Currency", label: __("Amount"), reqd: 1, default: info.refundable },
				{ fieldname: "mode_of_payment", fieldtype: "Link", label: __("Mode of Payment"), options: "Mode of Payment" },
			],
			(values) =>
				frappe
					.call(`${DS_FLOW}.make_refund`, { name: frm.doc.name, ...values })
					.then(({ message }) => frappe.set_route("Form", "Payment Entry", message)),
			__("Refund the Customer"),
			__("Refund")
		);
	},
};
