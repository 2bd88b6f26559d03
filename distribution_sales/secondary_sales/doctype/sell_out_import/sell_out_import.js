// Sell Out Import: preview the file, start the background import, watch its progress, roll it back.
const SOI_METHOD = "distribution_sales.secondary_sales.doctype.sell_out_import.sell_out_import";

frappe.ui.form.on("Sell Out Import", {
	setup(frm) {
		frappe.realtime.on("sell_out_import_progress", (data) => {
			if (data && data.name === frm.doc.name) show_progress(frm, data);
		});
	},
	refresh(frm) {
		frm.set_intro("");
		if (frm.is_new()) return;
		const status = frm.doc.status;
		if (["Draft", "Failed"].includes(status) && frm.doc.import_file) {
			frm.add_custom_button(__("Preview"), () => preview(frm));
			frm.add_custom_button(__("Start Import"), () =>
				frm.call("start_import").then(() => {
					frm.reload_doc();
					poll(frm);
				})
			).addClass("btn-primary");
		}
		if (["Completed", "Replaced"].includes(status)) {
			frm.add_custom_button(__("Roll Back"), () =>
				frappe.confirm(
					__("Remove all {0} ledger rows of this import?", [frm.doc.imported_rows || 0]),
					() => frm.call("roll_back").then(() => frm.reload_doc())
				)
			);
			frm.add_custom_button(__("Ledger Rows"), () =>
				frappe.set_route("List", "Sell Out Entry", { sell_out_import: frm.doc.name })
			);
		}
		const colours = { Completed: "green", Failed: "red", Running: "orange", Queued: "orange" };
		if (frm.doc.message) frm.set_intro(frm.doc.message, colours[status] || "blue");
		if (["Queued", "Running"].includes(status)) poll(frm);
		if (status === "Completed") {
			frm.dashboard.show_progress(__("Import"), 100, __("{0} rows imported, {1} rows with errors", [
				frm.doc.imported_rows || 0, frm.doc.error_rows || 0,
			]));
		}
	},
});

function show_progress(frm, data) {
	if (["Completed", "Failed"].includes(data.stage)) {
		frm.reload_doc();
		return;
	}
	if (data.stage === "Running" || data.status === "Running") frm.page.set_indicator(__("Running"), "orange");
	const percent = data.percent == null ? 5 : data.percent;
	const text = data.total
		? __("{0} of about {1} rows read", [format_number(data.rows, null, 0), format_number(data.total, null, 0)])
		: __("{0} rows read", [format_number(data.rows || 0, null, 0)]);
	frm.dashboard.show_progress(__("Import"), percent, text);
}

function poll(frm) {
	if (frm._soi_polling) return;
	frm._soi_polling = true;
	const tick = () =>
		frappe.call({ method: `${SOI_METHOD}.get_progress`, args: { name: frm.doc.name } }).then(({ message }) => {
			if (!message || !["Queued", "Running"].includes(message.status)) {
				frm._soi_polling = false;
				frm.reload_doc();
				return;
			}
			show_progress(frm, message);
			setTimeout(tick, 1500);
		});
	tick();
}

function preview(frm) {
	frm.call("preview").then(({ message: data }) => {
		const esc = frappe.utils.escape_html;
		const score = (s) => (s == null ? "" : ` <span class="text-muted">(${Math.round(s)}%)</span>`);
		const rows = data.rows
			.map(
				(r) => `<tr><td>${r.row_no}</td><td>${esc(r.date)}</td><td>${esc(r.outlet || "")}</td>
				<td>${esc(r.mapped_outlet || __("Review"))}${score(r.outlet_score)}</td>
				<td>${esc(r.item || "")}</td><td>${esc(r.mapped_item || __("Review"))}${score(r.item_score)}</td>
				<td class="text-right">${format_number(r.qty)}</td><td>${esc(r.uom || "")}</td>
				<td class="text-right">${r.amount == null ? "" : format_number(r.amount)}</td></tr>`
			)
			.join("");
		const errors = data.errors
			.map((e) => `<li>${__("Row {0}", [e.row_no])}: ${esc(e.message)}</li>`)
			.join("");
		const html = `<div class="sell-out-preview">
			<p>${__("Encoding")}: <b>${esc(data.encoding || "-")}</b> &middot; ${__("First {0} rows", [data.rows.length])}</p>
			<table class="table table-bordered table-sm"><thead><tr>
			<th>${__("Row")}</th><th>${__("Date")}</th><th>${__("Outlet in File")}</th><th>${__("Outlet (Customer)")}</th>
			<th>${__("Item in File")}</th><th>${__("Item")}</th><th>${__("Qty")}</th><th>${__("UOM")}</th><th>${__("Amount")}</th>
			</tr></thead><tbody>${rows}</tbody></table>
			${errors ? `<p class="text-danger">${__("Rows with errors")}</p><ul>${errors}</ul>` : ""}</div>`;
		frm.get_field("preview_html").$wrapper.html(html);
		frm.scroll_to_field("preview_html");
	});
}
