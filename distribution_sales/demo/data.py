"""The demo's data: names, places, items and schemes, read from data.json beside this file."""

import json
from pathlib import Path

COMPANY = "Alborz Pakhsh"
ABBR = "AP"
SEED = 1404

_DATA = json.loads(Path(__file__).with_name("data.json").read_text(encoding="utf-8"))
# region -> [code, main province, areas]; area -> [code, province, city, routes]
ORGANISATION = _DATA["organisation"]
CITY_CENTRES = _DATA["city_centres"]
CUSTOMER_GROUPS = _DATA["customer_groups"]
SHOP_KINDS = _DATA["shop_kinds"]
SHOP_NAMES = _DATA["shop_names"]
ITEM_GROUPS = _DATA["item_groups"]  # group -> [brand, item names]
RETURN_REASONS = _DATA["return_reasons"]  # [reason, caused by]
DICTIONARIES = _DATA["dictionaries"]
VEHICLES = _DATA["vehicles"]  # [plate as typed, make, model, capacity kg, capacity m3, driver]
SCHEMES = _DATA["schemes"]  # Trade Scheme fields, conditions and tiers
