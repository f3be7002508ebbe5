"""Demo data for 厦门市: one area tree (city → district → street → community → grid), the sectors
and thirty invented enterprises spread over the six districts.

Districts and streets/towns are real (names as of the 2021-2022 撤镇设街道 changes: 马巷、新店、西柯
are now 街道). Street, community and grid codes are synthetic (district code + "001"..., street code
+ "001"..., community code + "01"/"02"); community names are real or realistic. Companies, addresses,
people and phone numbers are invented. Coordinates are WGS-84 and lie inside the named district.

Pure data: standard library plus the credit-code helper only.
"""

from app.domain.credit_code import make_credit_code

CITY_CODE = "350200"

# district code, district name, [(street/town name, [community names])]; streets and communities are
# numbered in list order.
# fmt: off
_TREE: list[tuple[str, str, list[tuple[str, list[str]]]]] = [
    ("350203", "思明区", [
        ("中华街道", ["中山社区", "大同社区"]),
        ("鹭江街道", ["镇海社区", "新路社区"]),
        ("嘉莲街道", ["松柏社区", "育秀社区"]),
    ]),
    ("350205", "海沧区", [
        ("海沧街道", ["海虹社区", "囷瑶社区"]),
        ("新阳街道", ["霞阳社区", "祥露社区"]),
    ]),
    ("350206", "湖里区", [
        ("湖里街道", ["东渡社区", "塘边社区"]),
        ("殿前街道", ["高殿社区", "殿前社区"]),
        ("禾山街道", ["枋湖社区", "后坑社区"]),
    ]),
    ("350211", "集美区", [
        ("集美街道", ["浔江社区", "岑西社区"]),
        ("杏林街道", ["杏林社区", "高浦社区"]),
        ("灌口镇", ["灌口社区", "深青村"]),
    ]),
    ("350212", "同安区", [
        ("大同街道", ["东桥社区", "碧岳社区"]),
        ("祥平街道", ["阳翟社区", "西山社区"]),
        ("西柯街道", ["丙洲社区", "西柯社区"]),
    ]),
    ("350213", "翔安区", [
        ("新店街道", ["新店社区", "澳头社区"]),
        ("马巷街道", ["五美社区", "友民社区"]),
        ("内厝镇", ["内厝社区"]),
    ]),
]
# fmt: on

_GRID_ORDINALS = ("第一网格", "第二网格")


def _build_areas() -> list[tuple[str, str, str, str | None]]:
    areas: list[tuple[str, str, str, str | None]] = [(CITY_CODE, "厦门市", "city", None)]
    for district_code, district_name, streets in _TREE:
        areas.append((district_code, district_name, "district", CITY_CODE))
        for s, (street_name, communities) in enumerate(streets, start=1):
            street_code = f"{district_code}{s:03d}"
            areas.append((street_code, street_name, "street", district_code))
            for c, community_name in enumerate(communities, start=1):
                community_code = f"{street_code}{c:03d}"
                areas.append((community_code, community_name, "community", street_code))
                for g, ordinal in enumerate(_GRID_ORDINALS, start=1):
                    grid_code = f"{community_code}{g:02d}"
                    areas.append((grid_code, community_name + ordinal, "grid", community_code))
    return areas


AREAS: list[tuple[str, str, str, str | None]] = _build_areas()
"""(code, name_zh, level, parent_code), parents before children."""

_COMMUNITY_CODE = {name: code for code, name, level, _ in AREAS if level == "community"}
assert len(_COMMUNITY_CODE) == sum(len(c) for _, _, ss in _TREE for _, c in ss), "duplicate community name"


def _grid(community_name: str, n: int) -> str:
    return f"{_COMMUNITY_CODE[community_name]}{n:02d}"


SECTORS: dict[str, tuple[str, str]] = {
    "manufacturing": ("制造业", "Manufacturing"),
    "chemical": ("化工/危险化学品", "Chemicals & hazardous chemicals"),
    "construction": ("建筑施工", "Construction"),
    "warehousing": ("仓储物流", "Warehousing & logistics"),
    "catering": ("餐饮", "Catering"),
    "retail": ("商贸零售", "Retail & trade"),
    "gas": ("城镇燃气", "Urban gas supply"),
    "metal": ("冶金工贸", "Metallurgy & industrial trade"),
    "port": ("港口码头", "Ports & wharves"),
    "hotel": ("住宿", "Hotels & lodging"),
}

# name, sector, district, org8 (credit-code body), address, lat, lng, (community, grid no.), contact, phone
# fmt: off
_ENTERPRISE_ROWS: list[tuple[str, str, str, str, str, float, float, tuple[str, int], str, str]] = [
    # 湖里区 350206 — index 0 is the demo enterprise officer's company
    ("厦门鹭岛精密机械有限公司", "manufacturing", "350206", "MA2XK4L7",
     "厦门市湖里区安岭路986号", 24.5212, 118.1186, ("高殿社区", 1), "陈志明", "13806052718"),
    ("厦门万禾商贸有限公司", "retail", "350206", "MA31BN8Q",
     "厦门市湖里区枋湖北二路889号", 24.5063, 118.1478, ("枋湖社区", 1), "林淑芬", "15959213046"),
    ("厦门金湖建设工程有限公司", "construction", "350206", "MA2Y6RT3",
     "厦门市湖里区金尚路1201号", 24.5018, 118.1562, ("后坑社区", 2), "黄建国", "18950017362"),
    ("厦门港丰仓储物流有限公司", "warehousing", "350206", "MA34D9WC",
     "厦门市湖里区东渡路88号", 24.4986, 118.0893, ("东渡社区", 1), "郑海滨", "13959284105"),
    ("厦门海天港通码头服务有限公司", "port", "350206", "MA2FH1E8",
     "厦门市湖里区海天路68号", 24.4962, 118.0836, ("东渡社区", 2), "吴国强", "13606098831"),
    ("厦门阿盛海鲜酒楼有限公司", "catering", "350206", "MA3276JP",
     "厦门市湖里区湖里大道45号", 24.5081, 118.0982, ("塘边社区", 1), "蔡丽华", "15860735219"),
    ("厦门安泰液化气供应有限公司", "gas", "350206", "MA8UC05N",
     "厦门市湖里区高崎南五路220号", 24.5278, 118.1052, ("殿前社区", 2), "许文杰", "18659281473"),
    # 思明区 350203
    ("厦门中山海韵酒店有限公司", "hotel", "350203", "MA2AG7KB",
     "厦门市思明区中山路168号", 24.4561, 118.0829, ("中山社区", 1), "张晓燕", "13950198627"),
    ("厦门古早味餐饮管理有限公司", "catering", "350203", "MA33PLX4",
     "厦门市思明区大同路256号", 24.4589, 118.0851, ("大同社区", 2), "李永福", "15880272934"),
    ("厦门嘉莲百货商贸有限公司", "retail", "350203", "MA2MRE92",
     "厦门市思明区莲岳路208号", 24.4853, 118.1262, ("松柏社区", 2), "王秀英", "18006012385"),
    ("厦门鹭江海景大酒店有限公司", "hotel", "350203", "MA35QY1H",
     "厦门市思明区鹭江道98号", 24.4603, 118.0787, ("镇海社区", 1), "洪振华", "13779905264"),
    ("厦门嘉禾筑城建筑工程有限公司", "construction", "350203", "MA2TWD6G",
     "厦门市思明区育秀东路322号", 24.4879, 118.1318, ("育秀社区", 1), "苏明辉", "15396251807"),
    # 海沧区 350205
    ("厦门海沧新材化工有限公司", "chemical", "350205", "MA3A8JCU",
     "厦门市海沧区阳光西路366号", 24.5118, 118.0213, ("霞阳社区", 1), "杨志勇", "13859963140"),
    ("厦门海沧港联集装箱码头有限公司", "port", "350205", "MA2K0XFR",
     "厦门市海沧区港南路1号", 24.4826, 118.0538, ("囷瑶社区", 1), "方建平", "18965148692"),
    ("厦门鑫阳金属铸造有限公司", "metal", "350205", "MA31NH5D",
     "厦门市海沧区新阳西路158号", 24.5149, 118.0124, ("祥露社区", 2), "曾德胜", "13515920478"),
    ("厦门通达仓储有限公司", "warehousing", "350205", "MA2LYB4W",
     "厦门市海沧区海沧大道567号", 24.4862, 118.0491, ("海虹社区", 1), "谢美玲", "15005920631"),
    ("厦门联创化学品贸易有限公司", "chemical", "350205", "MA36EQ7T",
     "厦门市海沧区霞阳路77号", 24.5097, 118.0281, ("霞阳社区", 2), "邱金水", "18259208714"),
    # 集美区 350211
    ("厦门杏林鹭丰电子科技有限公司", "manufacturing", "350211", "MA2PC3UM",
     "厦门市集美区杏林北路101号", 24.5764, 118.0452, ("杏林社区", 1), "庄伟东", "13696931582"),
    ("厦门灌口宏达钢材加工有限公司", "metal", "350211", "MA38GT0A",
     "厦门市集美区灌口中路312号", 24.6031, 117.9962, ("灌口社区", 2), "叶天福", "15959278306"),
    ("厦门学村餐饮管理有限公司", "catering", "350211", "MA2W5KH9",
     "厦门市集美区嘉庚路86号", 24.5762, 118.1008, ("浔江社区", 1), "陈丽娟", "18950098127"),
    ("厦门集美新城建设工程有限公司", "construction", "350211", "MA3CRL2F",
     "厦门市集美区岑西路210号", 24.5893, 118.1003, ("岑西社区", 2), "林建华", "13860107945"),
    ("厦门华燃燃气有限公司", "gas", "350211", "MA2H9DBX",
     "厦门市集美区灌口镇深青路18号", 24.6148, 117.9881, ("深青村", 1), "黄金龙", "15080323651"),
    # 同安区 350212
    ("厦门同辉轻工包装制品有限公司", "manufacturing", "350212", "MA39MU4E",
     "厦门市同安区同集南路1802号", 24.7042, 118.1352, ("西柯社区", 1), "颜志坚", "18030051296"),
    ("厦门银城百货商贸有限公司", "retail", "350212", "MA2R7PWL",
     "厦门市同安区环城南路266号", 24.7291, 118.1553, ("东桥社区", 2), "刘淑贞", "13906027413"),
    ("厦门银湖酒店管理有限公司", "hotel", "350212", "MA3E1XQK",
     "厦门市同安区阳翟二路58号", 24.7218, 118.1401, ("阳翟社区", 1), "傅俊杰", "15859261078"),
    ("厦门丙洲新涂料有限公司", "chemical", "350212", "MA2UF8CN",
     "厦门市同安区西柯街道丙洲大道39号", 24.7012, 118.1648, ("丙洲社区", 2), "吕秋菊", "18606051934"),
    # 翔安区 350213
    ("厦门刘五店港务有限公司", "port", "350213", "MA3G2YH6",
     "厦门市翔安区新店街道澳头路128号", 24.5652, 118.2302, ("澳头社区", 1), "彭海涛", "13950066215"),
    ("厦门翔安火炬光电科技有限公司", "manufacturing", "350213", "MA2NJ0RD",
     "厦门市翔安区舫山南路870号", 24.6203, 118.2451, ("新店社区", 2), "蒋文斌", "15280218637"),
    ("厦门巷南燃气有限公司", "gas", "350213", "MA3HTC5P",
     "厦门市翔安区巷南路612号", 24.6618, 118.2502, ("五美社区", 1), "朱荣发", "18120756342"),
    ("厦门鸿运仓储物流有限公司", "warehousing", "350213", "MA2DL7Q1",
     "厦门市翔安区内厝镇内官路355号", 24.6752, 118.2948, ("内厝社区", 2), "卓丽萍", "13666019258"),
]
# fmt: on

ENTERPRISES: list[dict] = [
    {
        "name": name,
        "sector": sector,
        "address": address,
        "lat": lat,
        "lng": lng,
        "grid_code": _grid(*grid),
        "contact_name": contact_name,
        "contact_phone": contact_phone,
        "credit_code": make_credit_code(district, org8),
    }
    for name, sector, district, org8, address, lat, lng, grid, contact_name, contact_phone in _ENTERPRISE_ROWS
]

OFFICER_ENTERPRISE_INDEX = 0
"""The demo enterprise officer belongs to ENTERPRISES[0], a manufacturer in 湖里区."""

DEMO_GRID_CODE = ENTERPRISES[OFFICER_ENTERPRISE_INDEX]["grid_code"]
"""The demo grid worker's grid: the grid of ENTERPRISES[0] (高殿社区第一网格)."""

DEMO_INSPECTOR_AREA = "350206"
"""The demo inspector's home area: 湖里区."""

DEMO_SUPERVISOR_AREA = CITY_CODE
"""The demo supervisor's home area: 厦门市."""
