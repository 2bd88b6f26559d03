"""The role names this app reads, in one place (Python; the forms get what the server decides)."""

SALES_SUPERVISOR = "Sales Supervisor"
SALESMAN = "Salesman"
DISTRIBUTION_AGENT = "Distribution Agent"
DRIVER = "Driver"
DISTRIBUTION_WORKER = "Distribution Worker"
CREDIT_CONTROLLER = "Credit Controller"

# ERPNext's and Frappe's own
SALES_MANAGER = "Sales Manager"
SALES_USER = "Sales User"
ACCOUNTS_MANAGER = "Accounts Manager"
SYSTEM_MANAGER = "System Manager"

# the roles this app creates (ERPNext's own are reused where they exist)
APP_ROLES = (SALES_SUPERVISOR, SALESMAN, DISTRIBUTION_AGENT, DRIVER, DISTRIBUTION_WORKER, CREDIT_CONTROLLER)

# ORG-4: holders of a scoped role see their team's records, unless they also hold an unscoped one
SCOPED_ROLES = frozenset({SALES_SUPERVISOR, SALESMAN})
UNSCOPED_ROLES = frozenset({SYSTEM_MANAGER, SALES_MANAGER, ACCOUNTS_MANAGER, CREDIT_CONTROLLER})

# who decides: credit approvals (CRD-2), and orders after they were sent for approval (DOC-4)
CREDIT_DECIDERS = frozenset({CREDIT_CONTROLLER, SYSTEM_MANAGER})
ORDER_MANAGERS = frozenset({SALES_MANAGER, SYSTEM_MANAGER})
