import re
from pathlib import Path

from setuptools import find_packages, setup

# the version lives in the package; read it without importing the package (which needs frappe)
__version__ = re.search(
	r'__version__ = "([^"]+)"',
	Path(__file__).with_name("distribution_sales").joinpath("__init__.py").read_text(),
).group(1)

setup(
	name="distribution_sales",
	version=__version__,
	description="Route sales, head-office sales control, make-to-order, channel CRM and sell-out data for ERPNext",
	author="distribution_sales developers",
	packages=find_packages(include=["distribution_sales", "distribution_sales.*"]),
	include_package_data=True,
	zip_safe=False,
	python_requires=">=3.10",
	install_requires=[
		# frappe and erpnext are installed by bench (see [tool.bench.frappe-dependencies]).
		"jdatetime>=5.0",
		# sell-out imports (SEC-1): xlsx/xls rows streamed by a Rust reader, fast CSV blocks,
		# encoding detection for legacy Persian/Russian/Chinese files, fuzzy name matching
		"python-calamine>=0.5",
		"pyarrow>=14",
		"charset-normalizer>=3.0",
		"rapidfuzz>=3.0",
		"numpy>=1.24",  # rapidfuzz's process.cdist returns its score matrix as a numpy array
		# brands written in another script (Гринфилд / Greenfield, کاله / Kalleh) compared in Latin
		# letters (SEC-2): pure Python, ISC licence, reads Persian keheh as k (unidecode: kh)
		"anyascii>=0.3.2",
		# writing sample xlsx files (already in Frappe's own requirements)
		"openpyxl>=3.1",
	],
	extras_require={
		"test": ["pytest>=8", "hypothesis>=6.100", "selenium>=4.20"],
	},
)
