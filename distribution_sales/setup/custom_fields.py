"""Custom fields this app adds to ERPNext doctypes, declared in code (created on install and migrate).

Every fieldname starts with ``ds_`` so they never clash with ERPNext's own fields and can be removed
cleanly on uninstall.
"""

SALES_ROLES = "\nSales Supervisor\nSalesman\nDistribution Agent\nDriver\nDistribution Worker"

# Documents that belong to a salesperson (ORG-4: supervisor-scoped access)
SALES_DOCUMENTS = ("Quotation", "Sales Order", "Sales Invoice", "Delivery Note")
# Documents priced by Distribution Prices and Trade Schemes (PRC-3)
PRICED_DOCUMENTS = ("Quotation", "Sales Order", "Sales Invoice")
# Documents checked by credit policies, quotas and the blacklist (CRD-1..5)
CREDIT_CHECKED_DOCUMENTS = ("Quotation", "Sales Order", "Sales Invoice")


def _sales_person_field(insert_after: str) -> dict:
	return {
		"fieldname": "ds_sales_person",
		"label": "Salesperson (Visitor)",
		"fieldtype": "Link",
		"options": "Sales Person",
		"insert_after": insert_after,
		"in_standard_filter": 1,
		"search_index": 1,
		"description": "Who sold it; decides which supervisors and salespeople can see the document",
	}


def _scheme_table_fields() -> list[dict]:
	"""The explanation of the trade schemes a document got (PRC-3)."""
	return [
		{
			"fieldname": "ds_schemes_section",
			"label": "Trade Schemes",
			"fieldtype": "Section Break",
			"insert_after": "items",
			"collapsible": 1,
		},
		{
			"fieldname": "ds_scheme_applications",
			"label": "Scheme Applications",
			"fieldtype": "Table",
			"options": "Scheme Application",
			"insert_after": "ds_schemes_section",
			"read_only": 1,
			"no_copy": 1,
		},
	]


def _line_price_fields(insert_after: str) -> list[dict]:
	"""Where a line's price came from and what the schemes took off it (PRC-1, PRC-3)."""
	return [
		{
			"fieldname": "ds_price_source",
			"label": "Price From",
			"fieldtype": "Data",
			"insert_after": insert_after,
			"read_only": 1,
			"no_copy": 1,
		},
		{
			"fieldname": "ds_scheme_discount",
			"label": "Scheme Discount",
			"fieldtype": "Currency",
			"options": "currency",
			"insert_after": "ds_price_source",
			"read_only": 1,
			"no_copy": 1,
		},
	]


def _credit_fields() -> list[dict]:
	"""Payment type and credit approval on a sales document (CRD-1, CRD-2, CRD-5)."""
	return [
		{
			"fieldname": "ds_payment_type",
			"label": "Payment Type",
			"fieldtype": "Link",
			"options": "Payment Type",
			"insert_after": "ds_sales_person",
			"in_standard_filter": 1,
			"description": "Cash, cheque or credit: decides which credit policies check the document",
		},
		{
			"fieldname": "ds_credit_section",
			"label": "Credit Control",
			"fieldtype": "Section Break",
			"insert_after": "ds_scheme_applications",
			"collapsible": 1,
			"collapsible_depends_on": "ds_credit_state",
		},
		{
			"fieldname": "ds_credit_state",
			"label": "Credit State",
			"fieldtype": "Select",
			"options": "\nPending Approval\nApproved\nRejected",
			"insert_after": "ds_credit_section",
			"read_only": 1,
			"no_copy": 1,
			"in_standard_filter": 1,
			"allow_on_submit": 1,
		},
		{
			"fieldname": "ds_credit_approved_amount",
			"label": "Approved Amount",
			"fieldtype": "Currency",
			"options": "currency",
			"insert_after": "ds_credit_state",
			"read_only": 1,
			"no_copy": 1,
			"description": "A credit approval covers the document up to this grand total",
		},
		{
			"fieldname": "ds_credit_log",
			"label": "Credit Checks",
			"fieldtype": "Table",
			"options": "Credit Check Log",
			"insert_after": "ds_credit_approved_amount",
			"read_only": 1,
			"no_copy": 1,
			"allow_on_submit": 1,
		},
	]


def get_custom_fields() -> dict[str, list[dict]]:
	fields: dict[str, list[dict]] = {
		"Customer": [
			{
				"fieldname": "ds_distribution_tab",
				"label": "Distribution",
				"fieldtype": "Tab Break",
				"insert_after": "portal_users",
			},
			{
				"fieldname": "ds_customer_code",
				"label": "Customer Code",
				"fieldtype": "Data",
				"insert_after": "ds_distribution_tab",
				"unique": 1,
				"read_only": 1,
				"no_copy": 1,
				"in_standard_filter": 1,
				"in_global_search": 1,
				"description": "Given on creation from the company's customer code pattern",
			},
			{
				"fieldname": "ds_company",
				"label": "Company",
				"fieldtype": "Link",
				"options": "Company",
				"insert_after": "ds_customer_code",
				"description": "The company whose customer code pattern and sub-ledger apply",
			},
			_sales_person_field("ds_company"),
			{
				"fieldname": "ds_sales_route",
				"label": "Sales Route",
				"fieldtype": "Link",
				"options": "Sales Route",
				"insert_after": "ds_sales_person",
				"read_only": 1,
				"in_standard_filter": 1,
				"search_index": 1,
				"description": "Set when the customer is placed on a route",
			},
			{
				"fieldname": "ds_main_customer_group",
				"label": "Main Customer Group",
				"fieldtype": "Link",
				"options": "Customer Group",
				"insert_after": "ds_sales_route",
				"read_only": 1,
			},
			{
				"fieldname": "ds_column_break_1",
				"fieldtype": "Column Break",
				"insert_after": "ds_main_customer_group",
			},
			{
				"fieldname": "ds_customer_nature",
				"label": "Customer Nature",
				"fieldtype": "Link",
				"options": "Customer Nature",
				"insert_after": "ds_column_break_1",
			},
			{
				"fieldname": "ds_outlet_type",
				"label": "Outlet Type",
				"fieldtype": "Link",
				"options": "Outlet Type",
				"insert_after": "ds_customer_nature",
			},
			{
				"fieldname": "ds_customer_source",
				"label": "Customer Source",
				"fieldtype": "Link",
				"options": "Lead Source",
				"insert_after": "ds_outlet_type",
			},
			{
				"fieldname": "ds_follow_up_method",
				"label": "Follow-up Method",
				"fieldtype": "Link",
				"options": "Follow Up Method",
				"insert_after": "ds_customer_source",
			},
			{
				"fieldname": "ds_geo_section",
				"label": "Location",
				"fieldtype": "Section Break",
				"insert_after": "ds_follow_up_method",
			},
			{
				"fieldname": "ds_province",
				"label": "Province",
				"fieldtype": "Link",
				"options": "Province",
				"insert_after": "ds_geo_section",
			},
			{
				"fieldname": "ds_city",
				"label": "City",
				"fieldtype": "Link",
				"options": "City",
				"insert_after": "ds_province",
			},
			{"fieldname": "ds_column_break_2", "fieldtype": "Column Break", "insert_after": "ds_city"},
			{
				"fieldname": "ds_latitude",
				"label": "Latitude",
				"fieldtype": "Float",
				"precision": "6",
				"insert_after": "ds_column_break_2",
			},
			{
				"fieldname": "ds_longitude",
				"label": "Longitude",
				"fieldtype": "Float",
				"precision": "6",
				"insert_after": "ds_latitude",
			},
			{
				"fieldname": "ds_blacklist_section",
				"label": "Blacklist",
				"fieldtype": "Section Break",
				"insert_after": "ds_longitude",
				"collapsible": 1,
			},
			{
				"fieldname": "ds_is_blacklisted",
				"label": "Blacklisted",
				"fieldtype": "Check",
				"insert_after": "ds_blacklist_section",
				"description": "A blacklisted customer cannot be quoted, ordered or invoiced",
			},
			{
				"fieldname": "ds_blacklisted_on",
				"label": "Blacklisted On",
				"fieldtype": "Date",
				"insert_after": "ds_is_blacklisted",
				"depends_on": "ds_is_blacklisted",
				"read_only": 1,
			},
			{
				"fieldname": "ds_blacklist_reason",
				"label": "Blacklist Reason",
				"fieldtype": "Small Text",
				"insert_after": "ds_blacklisted_on",
				"depends_on": "ds_is_blacklisted",
				"mandatory_depends_on": "ds_is_blacklisted",
			},
			{
				"fieldname": "ds_distributor_section",
				"label": "Distributor",
				"fieldtype": "Section Break",
				"insert_after": "ds_blacklist_reason",
				"collapsible": 1,
			},
			{
				"fieldname": "ds_is_distributor",
				"label": "Is a Distributor",
				"fieldtype": "Check",
				"insert_after": "ds_distributor_section",
				"in_standard_filter": 1,
				"description": "Buys from us and resells to outlets; its sell-out reports are imported (SEC-1)",
			},
		],
		"Customer Group": [
			{
				"fieldname": "ds_group_code",
				"label": "Group Code",
				"fieldtype": "Data",
				"insert_after": "parent_customer_group",
				"unique": 1,
				"description": "Used in customer codes (the {GROUP} part)",
			}
		],
		"Sales Person": [
			{
				"fieldname": "ds_personnel_code",
				"label": "Personnel Code",
				"fieldtype": "Data",
				"insert_after": "sales_person_name",
				"unique": 1,
				"in_list_view": 1,
				"in_standard_filter": 1,
				"mandatory_depends_on": "ds_sales_role",
			},
			{
				"fieldname": "ds_sales_role",
				"label": "Sales Role",
				"fieldtype": "Select",
				"options": SALES_ROLES,
				"insert_after": "ds_personnel_code",
				"in_list_view": 1,
				"in_standard_filter": 1,
			},
			{
				"fieldname": "ds_user",
				"label": "User",
				"fieldtype": "Link",
				"options": "User",
				"insert_after": "ds_sales_role",
				"unique": 1,
				"description": "The login of this person; decides which customers and documents they see",
			},
		],
		"Vehicle": [
			{
				"fieldname": "ds_distribution_section",
				"label": "Distribution",
				"fieldtype": "Section Break",
				"insert_after": "uom",
			},
			{
				"fieldname": "ds_capacity_kg",
				"label": "Capacity (kg)",
				"fieldtype": "Float",
				"insert_after": "ds_distribution_section",
				"non_negative": 1,
			},
			{
				"fieldname": "ds_capacity_m3",
				"label": "Capacity (m³)",
				"fieldtype": "Float",
				"insert_after": "ds_capacity_kg",
				"non_negative": 1,
			},
			{
				"fieldname": "ds_driver",
				"label": "Driver",
				"fieldtype": "Link",
				"options": "Driver",
				"insert_after": "ds_capacity_m3",
			},
		],
	}
	for doctype in SALES_DOCUMENTS:
		fields[doctype] = [_sales_person_field("customer_name")]
	for doctype in PRICED_DOCUMENTS:
		fields[doctype].extend(_scheme_table_fields())
		fields[f"{doctype} Item"] = [
			*_line_price_fields("price_list_rate"),
			{
				"fieldname": "ds_is_scheme_free",
				"label": "Free by Scheme",
				"fieldtype": "Check",
				"insert_after": "ds_scheme_discount",
				"read_only": 1,
				"no_copy": 1,
			},
			{
				"fieldname": "ds_scheme",
				"label": "Scheme",
				"fieldtype": "Link",
				"options": "Trade Scheme",
				"insert_after": "ds_is_scheme_free",
				"read_only": 1,
				"no_copy": 1,
			},
			{
				"fieldname": "ds_prize_value",
				"label": "Prize Value",
				"fieldtype": "Currency",
				"options": "currency",
				"insert_after": "ds_scheme",
				"read_only": 1,
				"no_copy": 1,
				"depends_on": "ds_is_scheme_free",
				"description": "What the free goods would have cost at this customer's price",
			},
		]
	for doctype in CREDIT_CHECKED_DOCUMENTS:
		fields[doctype].extend(_credit_fields())
	fields["Blanket Order"] = _scheme_table_fields()
	fields["Blanket Order Item"] = _line_price_fields("rate")
	for doctype in ("Sales Invoice", "Delivery Note"):
		fields[doctype].append(
			{
				"fieldname": "ds_return_reason",
				"label": "Return Reason",
				"fieldtype": "Link",
				"options": "Return Reason",
				"insert_after": "is_return",
				"depends_on": "is_return",
				"mandatory_depends_on": "is_return",
				"allow_on_submit": 0,
				"in_standard_filter": 1,
			}
		)
	_add_document_flow_fields(fields)
	return fields


def _add_document_flow_fields(fields: dict[str, list[dict]]) -> None:
	"""Links to the Sales Request a proforma or order came from, and the order's approval (DOC-1, DOC-4)."""
	for doctype in ("Quotation", "Sales Order"):
		fields[doctype].append(
			{
				"fieldname": "ds_sales_request",
				"label": "Sales Request",
				"fieldtype": "Link",
				"options": "Sales Request",
				"insert_after": "transaction_date",
				"read_only": 1,
				"no_copy": 1,
				"search_index": 1,
			}
		)
		fields[f"{doctype} Item"].append(
			{
				"fieldname": "ds_sales_request_item",
				"label": "Sales Request Item",
				"fieldtype": "Data",
				"insert_after": "ds_scheme",
				"read_only": 1,
				"no_copy": 1,
				"print_hide": 1,
			}
		)
	fields["Sales Order"].append(
		{
			"fieldname": "ds_approval_state",
			"label": "Approval",
			"fieldtype": "Select",
			"options": "\nSent for Approval\nApproved\nReturned for Edit",
			"insert_after": "ds_sales_request",
			"read_only": 1,
			"no_copy": 1,
			"allow_on_submit": 1,
			"in_standard_filter": 1,
			"description": "Set when the order is submitted; only a Sales Manager approves or returns it for edit",
		}
	)
	fields.setdefault("Payment Entry", []).append(
		{
			"fieldname": "ds_refund_of",
			"label": "Refund of Sales Order",
			"fieldtype": "Link",
			"options": "Sales Order",
			"insert_after": "party_name",
			"read_only": 1,
			"no_copy": 1,
			"search_index": 1,
			"depends_on": "ds_refund_of",
		}
	)
