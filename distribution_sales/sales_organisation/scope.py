"""Which doctypes are scoped to a team (ORG-4), and how each row relates to the team.

One list, read by hooks.py (``permission_query_conditions`` and ``has_permission`` are built from it,
so the two cannot drift apart), by access.py (the SQL condition of each kind) and by the tests (every
child table of a scoped doctype must be listed here; an HTTP matrix reads every doctype below as real
users of two teams). Plain data: this module imports no frappe.

The kinds:
* ``Owned``: the document carries the salesperson (``ds_sales_person``) who owns it.
* ``Customer``: the Customer itself: owned by a salesperson, or on a route assigned to one today.
* ``CustomerLink``: a record that names a customer in ``field``; visible when that customer is.
  ``optional`` records without a customer (a price or policy for everyone) stay visible;
  ``when`` limits the rule to rows of one kind (a Payment Entry to a customer, not to a supplier).
* ``PartyLink``: a rule (credit policy, quota) for a customer or a salesperson, named by a dynamic
  ``party`` beside ``applies_to``; visible when that party is.
* ``DynamicLinks``: Address and Contact, linked to parties through Dynamic Link rows; hidden when
  they link to a customer the user may not see.
* ``SchemeConditions``: a trade scheme whose conditions name a customer the user may not see.
* ``RouteAssigned`` / ``PersonField``: routes assigned to, and assignments of, the user's people.
* ``Hidden``: head-office data that scoped users do not read at all (the distributors' sell-out).
* Child tables follow their parent (``CHILD_TABLES``): a row is visible when its parent is.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Owned:
	field: str = "ds_sales_person"


@dataclass(frozen=True)
class Customer:
	pass


@dataclass(frozen=True)
class CustomerLink:
	field: str
	optional: bool = False
	when: tuple[str, str] | None = None  # (field, value): the rule holds for rows with field = value


@dataclass(frozen=True)
class PartyLink:
	kind_field: str = "applies_to"
	party_field: str = "party"


@dataclass(frozen=True)
class DynamicLinks:
	pass


@dataclass(frozen=True)
class SchemeConditions:
	pass


@dataclass(frozen=True)
class RouteAssigned:
	pass


@dataclass(frozen=True)
class PersonField:
	field: str = "sales_person"


@dataclass(frozen=True)
class Hidden:
	pass


SELLING_DOCUMENTS = ("Quotation", "Sales Order", "Sales Invoice", "Delivery Note", "Sales Request")

SECONDARY_SALES = (
	"Sell Out Entry",
	"Sell Out Import",
	"Sell Out Import Profile",
	"Distributor Item Mapping",
	"Distributor Outlet Mapping",
	"Distributor Target",
	"Client Base Transfer",
)

SCOPES = {
	"Customer": Customer(),
	**{doctype: Owned() for doctype in SELLING_DOCUMENTS},
	"Payment Entry": CustomerLink("party", when=("party_type", "Customer")),
	"Proforma Reservation": CustomerLink("customer"),
	"Distribution Price": CustomerLink("customer", optional=True),
	"Credit Policy": PartyLink(),
	"Sales Quota": PartyLink(),
	"Trade Scheme": SchemeConditions(),
	"Address": DynamicLinks(),
	"Contact": DynamicLinks(),
	"Sales Route": RouteAssigned(),
	"Route Assignment": PersonField(),
	"Delivery Trip": Hidden(),  # its stops name the customers of every team on the trip
	**{doctype: Hidden() for doctype in SECONDARY_SALES},
}

# child doctype -> the scoped parents it appears in (every table field of every doctype in SCOPES
# whose rows can name a customer, an amount or an item sold; checked against the real meta in tests)
CHILD_TABLES = {
	"Quotation Item": ("Quotation",),
	"Sales Order Item": ("Sales Order",),
	"Sales Invoice Item": ("Sales Invoice",),
	"Delivery Note Item": ("Delivery Note",),
	"Sales Request Item": ("Sales Request",),
	"Sales Taxes and Charges": ("Quotation", "Sales Order", "Sales Invoice", "Delivery Note"),
	"Packed Item": ("Quotation", "Sales Order", "Sales Invoice", "Delivery Note"),
	"Pricing Rule Detail": ("Quotation", "Sales Order", "Sales Invoice", "Delivery Note"),
	"Payment Schedule": ("Quotation", "Sales Order", "Sales Invoice"),
	"Quotation Lost Reason Detail": ("Quotation",),
	"Competitor Detail": ("Quotation",),
	"Sales Team": ("Customer", "Sales Order", "Sales Invoice", "Delivery Note"),
	"Credit Check Log": ("Quotation", "Sales Order", "Sales Invoice", "Sales Request"),
	"Scheme Application": ("Quotation", "Sales Order", "Sales Invoice", "Sales Request"),
	"Sales Invoice Timesheet": ("Sales Invoice",),
	"Sales Invoice Payment": ("Sales Invoice",),
	"Sales Invoice Advance": ("Sales Invoice",),
	"Allowed To Transact With": ("Customer",),
	"Customer Credit Limit": ("Customer",),
	"Party Account": ("Customer",),
	"Portal User": ("Customer",),
	"Payment Entry Reference": ("Payment Entry",),
	"Advance Taxes and Charges": ("Payment Entry",),
	"Payment Entry Deduction": ("Payment Entry",),
	"Sales Route Customer": ("Sales Route",),
	"Trade Scheme Condition": ("Trade Scheme",),
	"Credit Policy Payment Type": ("Credit Policy",),
	"Delivery Stop": ("Delivery Trip",),
	"Dynamic Link": ("Address", "Contact"),
	"Sell Out Import Error": ("Sell Out Import",),
	"Sell Out Import Column": ("Sell Out Import Profile",),
	"Distributor Item Suggestion": ("Distributor Item Mapping",),
	"Distributor Outlet Suggestion": ("Distributor Outlet Mapping",),
	"Client Base Transfer Outlet": ("Client Base Transfer",),
}

# child tables that name nothing of a team (tiers of a scheme): listed so the meta test accepts them
UNSCOPED_CHILD_TABLES = frozenset(
	{"Trade Scheme Tier", "Contact Email", "Contact Phone", "Advance Payment Ledger Entry"}
)

# a child table of a doctype that is not scoped itself (Sales Person targets): the parent's key field
PERSON_CHILD_TABLES = {"Target Detail": "Sales Person"}

SCOPED_DOCTYPES = tuple(SCOPES) + tuple(CHILD_TABLES) + tuple(PERSON_CHILD_TABLES)
# has_permission is asked of parents only (frappe checks a child row through its parent)
PARENT_DOCTYPES = tuple(SCOPES)
