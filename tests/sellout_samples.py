"""Realistic distributor sell-out files for tests, benchmarks and demos (no external data needed).

Each language prints its files the way distributors' own systems do:

* ``fa``: Persian headers, Jalali dates, Persian digits mixed with Latin ones, Arabic ي/ك in names;
  CSV in windows-1256 (the old Windows code page, so Latin digits and Arabic letters only) or UTF-8
  with a BOM, or XLSX.
* ``ru``: a 1C report: a title line above the headers, cp1251 CSV with ``;``, dd.mm.yyyy dates,
  comma decimals and spaces between thousands; XLSX sheet "TDSheet" with real date cells.
* ``zh``: GBK CSV or XLSX, 2024年7月5日 dates, now and then full-width digits and brackets.

With ``messy=True`` names are spelled in the many ways people type them (look-alike letters, pack sizes
as "900гр"/"0,9 кг", extra spaces) and about one row in a hundred cannot be read (a date that does not
exist, a quantity that is not a number, a return where the profile forbids returns); their row numbers
are in ``Sample.bad_rows``. ``Sample.truth`` holds (date, outlet code, item code, qty) of every good row.

For name matching (SEC-2), :func:`make_look_alikes` writes products a distributor sells and we do not,
each made from one of our items by changing one distinguishing token (brand, fat percentage, pack
size, pack count, a negation, flavour, a look-alike brand in Latin letters): their truth is that they
must never be matched. :func:`make_foreign_script_names` writes names of items we do sell with the
brand in Latin letters, as printed on the pack («Kalleh» for «کاله», "Prostokvashino").

This module imports no frappe, so pure tests and benchmarks use it too.
"""

import csv
import datetime
import io
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

LANGUAGES = ("fa", "ru", "zh")

HEADERS = {
	"fa": {
		"date": "تاریخ فاکتور",
		"outlet_code": "کد مشتری",
		"outlet_name": "نام مشتری",
		"outlet_address": "نشانی",
		"outlet_city": "شهر",
		"item_code": "کد کالا",
		"item_name": "شرح کالا",
		"qty": "تعداد",
		"uom": "واحد",
		"amount": "مبلغ (ریال)",
		"doc_no": "شماره فاکتور",
	},
	"ru": {
		"date": "Дата",
		"outlet_code": "Код контрагента",
		"outlet_name": "Контрагент",
		"outlet_address": "Адрес доставки",
		"outlet_city": "Город",
		"item_code": "Артикул",
		"item_name": "Номенклатура",
		"qty": "Количество",
		"uom": "Ед. изм.",
		"amount": "Сумма, руб.",
		"doc_no": "Номер документа",
	},
	"zh": {
		"date": "日期",
		"outlet_code": "客户编码",
		"outlet_name": "客户名称",
		"outlet_address": "地址",
		"outlet_city": "城市",
		"item_code": "商品编码",
		"item_name": "商品名称",
		"qty": "数量",
		"uom": "单位",
		"amount": "金额（元）",
		"doc_no": "单号",
	},
}
ORDER = tuple(HEADERS["fa"])


def _words(text: str) -> list[str]:
	return text.split("|")


_PRODUCTS = {  # products | brands | variants | pack sizes
	"fa": (
		_words(
			"شیر|ماست|دوغ|پنیر|کره|آبمیوه|نوشابه|بیسکویت|چیپس|شکلات|چای|قهوه|ماکارونی|برنج|روغن|رب گوجه|کیک|پفک|کلوچه|آب معدنی"
		),
		_words("کاله|پگاه|میهن|دامداران|سن ایچ|مینو|شیرین عسل|زر|چی توز|لادن|گلستان|تک"),
		_words("کم چرب|پرچرب|پرتقالی|سیب|کاکائویی|ساده|موزی|توت فرنگی|وانیلی|نعنا"),
		_words("200 گرم|500 گرم|900 گرم|1 کیلو|250 میلی لیتر|1 لیتر|1.5 لیتر|2 لیتر"),
	),
	"ru": (
		_words(
			"Молоко|Кефир|Сметана|Йогурт|Творог|Сок|Вода|Печенье|Чипсы|Шоколад|Чай|Кофе|Макароны|Рис|Гречка|Масло|Майонез|Кетчуп|Сыр|Пряники"
		),
		_words(
			"Домик в деревне|Простоквашино|Весёлый молочник|Агуша|Любимый|Добрый|Юбилейное|Алёнка|Бабаевский|Красная цена|Махеевъ|Макфа"
		),
		_words("3,2%|2,5%|1%|клубника|персик|апельсин|классический|сливочный|ванильный|с орехами"),
		_words("200г|250г|500г|900г|1кг|0,5л|1л|1,5л"),
	),
	"zh": (
		_words(
			"牛奶|酸奶|果汁|矿泉水|饼干|薯片|巧克力|绿茶|咖啡|方便面|大米|食用油|酱油|醋|面包|火腿肠|月饼|花生|瓜子|豆奶"
		),
		_words("伊利|蒙牛|光明|农夫山泉|康师傅|统一|旺旺|达利园|奥利奥|乐事|德芙|海天"),
		_words("原味|草莓味|低脂|全脂|红烧牛肉|香辣|无糖|经典|芒果味|奶油"),
		_words("250毫升|500毫升|1升|200克|500克|1公斤|750毫升|1.5升"),
	),
}
_CODE_PREFIX = {"fa": "KL", "ru": "ART", "zh": "SP"}
_OUTLETS = {
	"fa": (
		["فروشگاه", "سوپرمارکت", "هایپر", "بقالی", "لبنیاتی"],
		["رضا", "نور", "امید", "پارس", "البرز", "ستاره", "مهر", "کوثر"],
	),
	"ru": (
		["Магазин", "Продукты", "Минимаркет", "ИП", "ООО"],
		["Ромашка", "Берёзка", "Уют", "Иванов", "Север", "Лидер", "Весна"],
	),
	"zh": (
		["超市", "便利店", "商行", "食品店", "百货"],
		["华联", "家乐", "永辉", "美宜佳", "好又多", "联华", "金利", "福满"],
	),
}
_CITIES = {
	"fa": ["تهران", "اصفهان", "شیراز", "مشهد", "تبریز", "کرج", "قم", "اهواز"],
	"ru": ["Москва", "Санкт-Петербург", "Казань", "Новосибирск", "Екатеринбург", "Самара", "Уфа"],
	"zh": ["北京", "上海", "广州", "深圳", "成都", "杭州", "武汉", "西安"],
}
_STREETS = {
	"fa": ["خیابان ولیعصر", "خیابان آزادی", "بلوار کشاورز", "میدان انقلاب", "خیابان فردوسی"],
	"ru": ["ул. Ленина", "пр. Мира", "ул. Гагарина", "ул. Советская", "Садовая ул."],
	"zh": ["人民路", "解放路", "中山路", "建设路", "和平街"],
}
_UOM = {"fa": ["عدد", "کارتن", "بسته"], "ru": ["шт", "упак", "кор"], "zh": ["件", "箱", "瓶"]}
_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_FULL_WIDTH = str.maketrans("0123456789()[]", "０１２３４５６７８９（）［］")
_LATIN_LOOKALIKE = str.maketrans("оаесрхОАЕСРХ", "oaecpxOAECPX")
_CP1256_SAFE = str.maketrans(
	{"ی": "ي", "ک": "ك", "٬": ",", **{c: str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")}}
)


@dataclass
class Sample:
	content: bytes
	spec_kwargs: dict
	truth: list[tuple] = field(default_factory=list)
	bad_rows: list[int] = field(default_factory=list)
	file_name: str = ""
	rows: int = 0  # data rows written, good and bad


class _Parts(NamedTuple):
	product: str
	brand: str
	variant: str
	pack: str
	suffix: str = ""  # a number that makes a repeated name unique


def _compose(lang: str, parts: _Parts) -> str:
	if lang == "zh":
		name = f"{parts.brand}{parts.variant}{parts.product} {parts.pack}"
	else:
		name = " ".join((parts.product, parts.brand, parts.variant, parts.pack))
	return f"{name} {parts.suffix}" if parts.suffix else name


def _catalogue_parts(lang: str, items: int, rng: random.Random) -> dict[str, _Parts]:
	products, brands, variants, packs = _PRODUCTS[lang]
	names: dict[str, _Parts] = {}
	while len(names) < items:
		parts = _Parts(rng.choice(products), rng.choice(brands), rng.choice(variants), rng.choice(packs))
		name = _compose(lang, parts)
		if name in names and len(names) > items // 2:
			parts = parts._replace(suffix=str(len(names)))
			name = _compose(lang, parts)
		names[name] = parts
	return names


def _item_code(lang: str, i: int) -> str:
	return f"{_CODE_PREFIX[lang]}-{i + 1:05d}"


def make_catalogue(lang: str, items: int = 60, outlets: int = 40, seed: int = 0):
	"""(items, outlets) in a language: [(code, name)], [(code, name, city)], names unique."""
	rng = random.Random(f"catalogue-{lang}-{seed}")
	names = _catalogue_parts(lang, items, rng)
	item_list = [(_item_code(lang, i), name) for i, name in enumerate(names)]
	kinds, words = _OUTLETS[lang]
	outlet_list = []
	for i in range(outlets):
		if lang == "zh":
			name = f"{rng.choice(words)}{rng.choice(kinds)}{i + 1}号店"
		elif lang == "ru":
			name = f"{rng.choice(kinds)} «{rng.choice(words)}» №{i + 1}"
		else:
			name = f"{rng.choice(kinds)} {rng.choice(words)} {i + 1}"
		outlet_list.append((f"C{i + 1:05d}", name, rng.choice(_CITIES[lang])))
	return item_list, outlet_list


def messy_name(name: str, lang: str, rng: random.Random) -> str:
	"""The same product as another system spells it: letter variants, digits, pack-size spellings."""
	text = name
	if lang == "fa":
		if rng.random() < 0.6:
			text = text.replace("ی", "ي").replace("ک", "ك")
		if rng.random() < 0.5:
			text = text.translate(_PERSIAN_DIGITS)
		if rng.random() < 0.3:
			text = text.replace(" گرم", " گرمی").replace(" لیتر", "لیتر")
	elif lang == "ru":
		if rng.random() < 0.3:
			text = text.upper()
		if rng.random() < 0.4:
			text = text.translate(_LATIN_LOOKALIKE)
		if rng.random() < 0.4:
			text = text[:-1] + "гр" if text.endswith("г") else text  # the unit, not the first г of the name
		if rng.random() < 0.2:
			text = text.replace("1кг", "1000 г").replace("0,5л", "500мл")
	else:
		if rng.random() < 0.4:
			text = text.translate(_FULL_WIDTH)
		if rng.random() < 0.3:  # the units after a number (巧克力 keeps its 克)
			text = re.sub(r"(?<=\d)克", "g", re.sub(r"(?<=\d)毫升", "ml", text))
		if rng.random() < 0.2:
			text = "【" + text + "】"
	if rng.random() < 0.3:
		text = text.replace(" ", "  ", 1)
	return text


# --- look-alikes: products we do not sell, made from ours by changing one distinguishing token ---------

LOOK_ALIKE_KINDS = ("brand", "percent", "pack", "count", "negation", "flavour", "transliterated brand")

# our brands as printed in Latin letters (no Latin spelling of the Chinese ones: the brief is Cyrillic
# and Persian; "Master Kong" for 康师傅 is a translation, not a transliteration)
_BRAND_LATIN = {
	"ru": {
		"Домик в деревне": "Domik v derevne",
		"Простоквашино": "Prostokvashino",
		"Весёлый молочник": "Veselyi molochnik",
		"Агуша": "Agusha",
		"Любимый": "Lyubimiy",
		"Добрый": "Dobry",
		"Юбилейное": "Yubileynoe",
		"Алёнка": "Alenka",
		"Бабаевский": "Babaevsky",
		"Красная цена": "Krasnaya Tsena",
		"Махеевъ": "Maheev",
		"Макфа": "Makfa",
	},
	"fa": {
		"کاله": "Kalleh",
		"پگاه": "Pegah",
		"میهن": "Mihan",
		"دامداران": "Damdaran",
		"سن ایچ": "Sunich",
		"مینو": "Minoo",
		"شیرین عسل": "Shirin Asal",
		"زر": "Zar",
		"چی توز": "Cheetoz",
		"لادن": "Ladan",
		"گلستان": "Golestan",
		"تک": "Tak",
	},
	"zh": {},
}
# brands we do not sell that look like ours (one word or letter off), in the name's script and in Latin
_OTHER_BRANDS = {
	"ru": {
		"Домик в деревне": ("Домик в селе", "Domik v sele"),
		"Простоквашино": ("Простоквашкино", "Prostokvashkino"),
		"Весёлый молочник": ("Весёлый фермер", "Veselyi fermer"),
		"Агуша": ("Агушка", "Agushka"),
		"Любимый": ("Любимый сад", "Lyubimiy sad"),
		"Добрый": ("Добрыня", "Dobrynya"),
		"Юбилейное": ("Юбилейное утро", "Yubileynoe utro"),
		"Алёнка": ("Алёнушка", "Alenushka"),
		"Бабаевский": ("Бабкинский", "Babkinsky"),
		"Красная цена": ("Красная линия", "Krasnaya liniya"),
		"Махеевъ": ("Махеевка", "Maheevka"),
		"Макфа": ("Макфуд", "Makfood"),
	},
	"fa": {
		"کاله": ("کالبر", "Kalber"),
		"پگاه": ("پگاه خراسان", "Pegah Khorasan"),
		"میهن": ("میهن نوین", "Mihan Novin"),
		"دامداران": ("دامپروران", "Damparvaran"),
		"سن ایچ": ("سن استار", "Sun Star"),
		"مینو": ("مینا", "Mina"),
		"شیرین عسل": ("شیرین نوش", "Shirin Noosh"),
		"زر": ("زرین", "Zarin"),
		"چی توز": ("چی پف", "Chee Pof"),
		"لادن": ("لادن طلایی", "Ladan Talaei"),
		"گلستان": ("گلسار", "Golsar"),
		"تک": ("تکنو", "Tekno"),
	},
	"zh": {
		"伊利": ("伊力", None),
		"蒙牛": ("蒙羊", None),
		"光明": ("光华", None),
		"农夫山泉": ("农夫果园", None),
		"康师傅": ("康帅傅", None),
		"统一": ("统益", None),
		"旺旺": ("旺仔", None),
		"达利园": ("达利源", None),
		"奥利奥": ("奥力奥", None),
		"乐事": ("乐享", None),
		"德芙": ("德芙莉", None),
		"海天": ("海大", None),
	},
}
_PERCENTS = {
	"ru": ["3,2%", "2,5%", "1%", "1,5%", "3,5%", "6%", "0,5%"],
	"fa": ["۱.۵٪", "2.5%", "۳ درصد"],
	"zh": ["3.5%", "1.5%", "4.0%"],
}
_OTHER_PACKS = {  # sizes we do not sell, by unit
	"ru": {"g": ["300г", "800г", "950г"], "ml": ["0,9л", "2л", "330мл"]},
	"fa": {"g": ["450 گرم", "800 گرم"], "ml": ["1.8 لیتر", "330 میلی لیتر"]},
	"zh": {"g": ["300克", "450克"], "ml": ["330毫升", "2升"]},
}
_COUNTS = {
	"ru": ["6 шт", "x12", "упаковка 4 шт"],
	"fa": ["۶ عددی", "بسته 12 تایی"],
	"zh": ["6瓶装", "×12", "12入"],
}
_NEGATIONS = {
	"ru": ["без сахара", "без лактозы", "безлактозный", "не газированный"],
	"fa": ["بدون شکر", "بدون لاکتوز", "بی نمک", "بدون گاز"],
	"zh": ["无糖", "无添加", "不加糖", "无乳糖"],
}
_FLAVOURS = {  # other flavours, then the catalogue's own
	"ru": ["вишня", "малина", "банан", "манго", "клубника", "персик", "апельсин", "ванильный"],
	"fa": ["آلبالویی", "انبه", "هلو", "لیمویی", "پرتقالی", "سیب", "موزی", "توت فرنگی", "وانیلی"],
	"zh": ["蓝莓味", "香草味", "荔枝味", "哈密瓜味", "草莓味", "芒果味", "原味", "香辣"],
}
_GRAMS = ("г", "گرم", "کیلو", "克", "公斤")


@dataclass(frozen=True)
class LookAlike:
	"""A product a distributor sells and we do not, made from one of our items: its truth is that it
	must never be matched automatically, neither to ``like`` nor to any other item."""

	name: str
	kind: str  # one of LOOK_ALIKE_KINDS
	like: str  # the code of our item it was made from


def _look_alike(lang: str, parts: _Parts, kind: str, rng: random.Random) -> _Parts | None:
	"""``parts`` with one distinguishing token changed (None when ``kind`` does not apply)."""
	if kind == "brand":
		return parts._replace(brand=_OTHER_BRANDS[lang][parts.brand][0])
	if kind == "transliterated brand":
		latin = _OTHER_BRANDS[lang][parts.brand][1]
		return parts._replace(brand=latin) if latin else None
	if kind == "percent":
		percent = rng.choice([p for p in _PERCENTS[lang] if p != parts.variant])
		if parts.variant in _PERCENTS[lang]:
			return parts._replace(variant=percent)
		return parts._replace(pack=f"{percent} {parts.pack}")
	if kind == "pack":
		unit = "g" if parts.pack.endswith(_GRAMS) else "ml"
		return parts._replace(pack=rng.choice(_OTHER_PACKS[lang][unit]))
	if kind == "count":
		return parts._replace(pack=f"{parts.pack} {rng.choice(_COUNTS[lang])}")
	if kind == "negation":
		negation = rng.choice([n for n in _NEGATIONS[lang] if n not in parts.variant])
		variant = f"{negation}{parts.variant}" if lang == "zh" else f"{parts.variant} {negation}"
		return parts._replace(variant=variant)
	if kind == "flavour":
		return parts._replace(variant=rng.choice([f for f in _FLAVOURS[lang] if f != parts.variant]))
	raise ValueError(f"kind must be one of {LOOK_ALIKE_KINDS}")


def _catalogue_with_codes(lang: str, items: int, seed: int) -> list[tuple[str, str, _Parts]]:
	parts = _catalogue_parts(lang, items, random.Random(f"catalogue-{lang}-{seed}"))
	return [(_item_code(lang, i), name, p) for i, (name, p) in enumerate(parts.items())]


def make_look_alikes(
	lang: str, items: int = 60, seed: int = 0, count: int = 100, rng_seed: int = 0, messy: bool = True
) -> list[LookAlike]:
	"""``count`` names of products we do not sell, each made from an item of ``make_catalogue(lang,
	items, seed=seed)`` by one change of LOOK_ALIKE_KINDS, the kinds in turn (zh has no Latin brands);
	none is a name of the catalogue. ``messy``: spelled as messy_name spells our own names."""
	catalogue = _catalogue_with_codes(lang, items, seed)
	ours = {name for _code, name, _parts in catalogue}
	kinds = [k for k in LOOK_ALIKE_KINDS if lang != "zh" or k != "transliterated brand"]
	rng = random.Random(f"look-alikes-{lang}-{seed}-{rng_seed}")
	out: list[LookAlike] = []
	while len(out) < count:
		code, _name, parts = catalogue[rng.randrange(len(catalogue))]
		kind = kinds[len(out) % len(kinds)]
		changed = _look_alike(lang, parts, kind, rng)
		if changed is None:
			continue
		name = _compose(lang, changed)
		if name in ours:
			continue  # another item of ours: we sell it
		out.append(LookAlike(messy_name(name, lang, rng) if messy else name, kind, code))
	return out


def make_foreign_script_names(
	lang: str, items: int = 60, seed: int = 0, count: int = 100, rng_seed: int = 0, messy: bool = True
) -> list[tuple[str, str]]:
	"""(code, name) of ``count`` items of ``make_catalogue(lang, items, seed=seed)`` that we sell, the
	brand written in Latin letters as on the pack ("Молоко Prostokvashino 3,2% 900г"); [] for zh."""
	if not _BRAND_LATIN[lang]:
		return []
	catalogue = _catalogue_with_codes(lang, items, seed)
	rng = random.Random(f"foreign-script-{lang}-{seed}-{rng_seed}")
	out = []
	for _ in range(count):
		code, _name, parts = catalogue[rng.randrange(len(catalogue))]
		name = _compose(lang, parts._replace(brand=_BRAND_LATIN[lang][parts.brand]))
		out.append((code, messy_name(name, lang, rng) if messy else name))
	return out


def _jalali(date: datetime.date) -> tuple[int, int, int]:
	import jdatetime

	j = jdatetime.date.fromgregorian(date=date)
	return j.year, j.month, j.day


def _date_text(lang: str, date: datetime.date, rng: random.Random, messy: bool, xlsx: bool):
	if lang == "fa":
		y, m, d = _jalali(date)
		text = f"{y}/{m:02d}/{d:02d}"
		return text.translate(_PERSIAN_DIGITS) if messy and rng.random() < 0.5 else text
	if lang == "ru":
		if xlsx and not (messy and rng.random() < 0.2):
			return date
		return date.strftime("%d.%m.%Y")
	if xlsx and rng.random() < 0.3:
		return date
	text = f"{date.year}年{date.month}月{date.day}日"
	return text.translate(_FULL_WIDTH) if messy and rng.random() < 0.05 else text


def _number_text(lang: str, value: float, rng: random.Random, messy: bool, amount: bool) -> str:
	if lang == "ru":
		whole = f"{abs(value):,.2f}" if amount else (f"{abs(value):g}")
		text = whole.replace(",", "\u00a0" if rng.random() < 0.5 else " ").replace(".", ",")
	elif lang == "fa":
		text = f"{abs(value):,.0f}" if amount else f"{abs(value):g}"
		if messy and rng.random() < 0.5:
			text = text.replace(",", "٬").translate(_PERSIAN_DIGITS)
	else:
		text = f"{abs(value):,.2f}" if amount else f"{abs(value):g}"
		if messy and rng.random() < 0.05:
			text = text.translate(_FULL_WIDTH)
	return ("-" if value < 0 else "") + text


def _rows(lang, rows, items, outlets, start, end, seed, messy, xlsx) -> Iterator[tuple[list, tuple | None]]:
	"""(cells in ORDER, truth or None for a bad row), in date order."""
	rng = random.Random(f"rows-{lang}-{seed}")
	span = max((end - start).days, 0) + 1
	prices = {code: rng.choice([1, 2, 5, 10, 25]) * (10_000 if lang == "fa" else 10) for code, _n in items}
	spellings = {code: [name] + [messy_name(name, lang, rng) for _ in range(2)] for code, name in items}
	streets = _STREETS[lang]
	uoms = _UOM[lang]
	for i in range(rows):
		date = start + datetime.timedelta(days=i * span // rows)
		outlet_code, outlet_name, city = outlets[rng.randrange(len(outlets))]
		item_code, item_name = items[rng.randrange(len(items))]
		qty = float(rng.choice([1, 1, 2, 3, 5, 6, 10, 12, 24, 48]))
		amount = qty * prices[item_code]
		name = rng.choice(spellings[item_code]) if messy else item_name
		code = (
			item_code.translate(_PERSIAN_DIGITS)
			if messy and lang == "fa" and rng.random() < 0.2
			else item_code
		)
		date_cell = _date_text(lang, date, rng, messy, xlsx)
		qty_cell = (
			qty if xlsx and not (messy and rng.random() < 0.1) else _number_text(lang, qty, rng, messy, False)
		)
		amount_cell = amount if xlsx else _number_text(lang, amount, rng, messy, True)
		truth = (date, outlet_code, item_code, qty)
		if messy and rng.random() < 0.01:
			kind = rng.randrange(3)
			if kind == 0:
				date_cell = {"fa": "1403/13/40", "ru": "31.02.2024", "zh": "2024年2月31日"}[lang]
			elif kind == 1:
				qty_cell = {"fa": "چند", "ru": "много", "zh": "若干"}[lang]
			else:
				qty_cell = -qty if xlsx else "-" + _number_text(lang, qty, rng, False, False)
			truth = None
		cells = [
			date_cell,
			outlet_code,
			outlet_name,
			f"{city}، {rng.choice(streets)} {rng.randint(1, 200)}"
			if lang == "fa"
			else f"{rng.choice(streets)} {rng.randint(1, 200)}",
			city,
			code,
			name,
			qty_cell,
			rng.choice(uoms),
			amount_cell,
			f"{rng.randint(1, 99999):05d}",
		]
		yield cells, truth


def _spec(lang: str, file_type: str, encoding: str | None) -> dict:
	header_row = 3 if lang == "ru" else 1
	return {
		"file_type": file_type,
		"columns": dict(HEADERS[lang]),
		"sheet": {"fa": "فروش", "ru": "TDSheet", "zh": "销售明细"}[lang] if file_type == "xlsx" else None,
		"header_row": header_row,
		"delimiter": (";" if lang == "ru" else ",") if file_type == "csv" else None,
		"date_format": {"fa": "jalali", "ru": "dmy", "zh": "chinese"}[lang],
		"decimal_separator": "," if lang == "ru" else ".",
		"thousands_separator": "",
		"encoding": encoding if file_type == "csv" else None,
		"allow_returns": False,
	}


def _encoding(lang: str, seed: int, encoding: str | None) -> str:
	if encoding:
		return encoding
	if lang == "fa":
		return "windows-1256" if seed % 2 == 0 else "utf-8-sig"
	return {"ru": "cp1251", "zh": "gbk"}[lang]


def _preamble(lang: str, start: datetime.date, end: datetime.date) -> list[list]:
	if lang != "ru":
		return []
	return [[f"Продажи по контрагентам за период {start:%d.%m.%Y} - {end:%d.%m.%Y}"], []]


def _default_range(start, end):
	start = start or datetime.date(2024, 7, 1)
	return start, end or start + datetime.timedelta(days=30)


def make_sellout_file(
	lang: str,
	rows: int,
	file_type: str = "csv",
	items: list[tuple[str, str]] | None = None,
	outlets: list[tuple[str, str, str]] | None = None,
	start: datetime.date | None = None,
	end: datetime.date | None = None,
	seed: int = 0,
	messy: bool = True,
	encoding: str | None = None,
) -> Sample:
	"""A distributor's sell-out file in memory (see the module docstring); ``encoding`` picks the CSV's
	(default: windows-1256 or UTF-8 with BOM for fa by seed, cp1251 for ru, gbk for zh)."""
	if lang not in LANGUAGES:
		raise ValueError(f"lang must be one of {LANGUAGES}")
	if items is None or outlets is None:
		default_items, default_outlets = make_catalogue(lang, seed=seed)
		items, outlets = items or default_items, outlets or default_outlets
	start, end = _default_range(start, end)
	enc = _encoding(lang, seed, encoding)
	spec = _spec(lang, file_type, enc)
	preamble = _preamble(lang, start, end)
	header = [HEADERS[lang][f] for f in ORDER]
	row_no = len(preamble) + 1
	truth, bad = [], []
	records = []
	for cells, good in _rows(lang, rows, items, outlets, start, end, seed, messy, file_type == "xlsx"):
		row_no += 1
		records.append(cells)
		if good is None:
			bad.append(row_no)
		else:
			truth.append(good)
	if messy and lang == "ru":  # 1C closes the report with a total line: no date, so not a sale
		records.append(
			[
				"",
				"",
				"Итого",
				"",
				"",
				"",
				"",
				"",
				"",
				_number_text("ru", 1.0, random.Random(0), False, True),
				"",
			]
		)
		bad.append(row_no + 1)
	if file_type == "xlsx":
		content = _xlsx(spec["sheet"], [*preamble, header, *records])
	elif file_type == "csv":
		content = _csv([*preamble, header, *records], spec["delimiter"], enc, lang)
	else:
		raise ValueError("file_type must be csv or xlsx")
	name = f"sellout_{lang}_{seed}.{file_type}"
	return Sample(content, spec, truth, bad, name, len(records))


def _cell_text(value, lang: str, encoding: str) -> str:
	text = "" if value is None else str(value)
	if encoding.replace("-", "").lower() in ("windows1256", "cp1256"):
		text = text.translate(_CP1256_SAFE)
	return text


def _csv(records: list[list], delimiter: str, encoding: str, lang: str) -> bytes:
	buffer = io.StringIO(newline="")
	writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
	for record in records:
		writer.writerow([_cell_text(v, lang, encoding) for v in record])
	return buffer.getvalue().encode(encoding)


def _xlsx(sheet: str, records: list[list]) -> bytes:
	from openpyxl import Workbook

	book = Workbook(write_only=True)
	ws = book.create_sheet(sheet)
	for record in records:
		ws.append(record)
	out = io.BytesIO()
	book.save(out)
	return out.getvalue()


def write_sellout_csv(
	path,
	rows: int,
	lang: str = "ru",
	seed: int = 0,
	items: list[tuple[str, str]] | None = None,
	outlets: list[tuple[str, str, str]] | None = None,
	messy: bool = False,
	encoding: str | None = None,
	start: datetime.date | None = None,
	end: datetime.date | None = None,
) -> Sample:
	"""Write a large CSV straight to ``path`` (row by row, nothing held in memory) for benchmarks.

	Returns a Sample without content and truth: its ``spec_kwargs``, ``bad_rows`` and ``rows``."""
	if items is None or outlets is None:
		default_items, default_outlets = make_catalogue(lang, items=500, outlets=3000, seed=seed)
		items, outlets = items or default_items, outlets or default_outlets
	start, end = _default_range(start, end)
	enc = _encoding(lang, seed, encoding)
	spec = _spec(lang, "csv", enc)
	preamble = _preamble(lang, start, end)
	bad = []
	row_no = len(preamble) + 1
	with open(path, "w", encoding=enc, newline="") as f:
		writer = csv.writer(f, delimiter=spec["delimiter"], lineterminator="\r\n")
		for record in [*preamble, [HEADERS[lang][k] for k in ORDER]]:
			writer.writerow([_cell_text(v, lang, enc) for v in record])
		for cells, good in _rows(lang, rows, items, outlets, start, end, seed, messy, False):
			row_no += 1
			if good is None:
				bad.append(row_no)
			writer.writerow([_cell_text(v, lang, enc) for v in cells])
	return Sample(b"", spec, [], bad, str(path), rows)
