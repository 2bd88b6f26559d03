"""Vehicle (ORG-5): one spelling of a plate, so the same plate typed twice is one vehicle."""

from distribution_sales.rules.text import normalize_text


def before_insert(doc, method=None):
	# before naming: the plate is the vehicle's name
	doc.license_plate = normalize_text(doc.license_plate).upper()


def validate(doc, method=None):
	doc.license_plate = normalize_text(doc.license_plate).upper()
