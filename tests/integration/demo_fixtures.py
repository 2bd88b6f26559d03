"""The demo records the integration tests use without creating them, in one place.

The suite's set-up builds the demo (distribution_sales.demo) on the run's site, and tests lean on these
of its records by name: the company, its warehouse and price list, items, customer groups, the sales
organisation. A change to the demo that drops or renames one of them fails
``test_platform.TestDemoFixtures`` first, naming it. Everything else a test needs it makes itself
(tests/integration/helpers.py and the *_helpers modules).
"""

from distribution_sales.demo import ABBR, COMPANY

WAREHOUSE = f"Central Warehouse - {ABBR}"
PRICE_LIST = "Standard Selling"

USED = {
	"Company": [COMPANY],
	"Warehouse": [WAREHOUSE, f"Shiraz Warehouse - {ABBR}"],
	"Price List": [PRICE_LIST],
	"Item": [
		"DAI-001",
		"DAI-002",
		"DAI-003",
		"DAI-004",
		"DAI-005",
		"SNA-001",
		"SNA-002",
		"SNA-003",
		"BEV-001",
		"BEV-002",
		"CAN-004",
		"CAN-007",
		"CAN-009",
		"DET-001",
		"DET-003",
		"DET-005",
	],
	"Item Group": ["Products", "Dairy", "Snacks", "Beverages", "Canned Food", "Detergents"],
	"Customer Group": ["Grocery", "Supermarket", "Wholesale", "Wholesaler", "Chain Store"],
	"Territory": ["Tehranpars"],
	"Sales Region": ["North", "South"],
	"Sales Area": ["Tehran West"],
	"Sales Person": ["Supervisor North", "Supervisor South"],
	"Trade Scheme": ["Snacks Buy 12 Get 1", "Chain Store Exclusive 12%", "Wholesale Extra 2%"],
}
