from distribution_sales.utils import clean_code


def validate(doc, method=None):
	if doc.get("ds_group_code"):
		doc.ds_group_code = clean_code(doc.ds_group_code, "Group Code")
