from distribution_sales.setup.install import after_migrate


def execute():
	after_migrate()
