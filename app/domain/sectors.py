"""The fixed list of sectors (行业) an enterprise belongs to.

The codes the demo uses stay as they are; the rest are the regulators' own words for their lines of work
(SPEC §2: 工贸, 危化, 建筑施工, 燃气, 消防重点单位, 烟花爆竹, 矿山, 道路运输 …). Every sector has one code, one
Chinese name and one English name; an import may also give a Chinese name as bureaus write it in their
ledgers (危化 for 化工/危险化学品), which is an alias of exactly one sector.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Sector:
    code: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...] = ()


# fmt: off
SECTORS: tuple[Sector, ...] = (
    Sector("manufacturing", "制造业", "Manufacturing", ("制造", "机械制造")),
    Sector("industry_trade", "工贸", "Industry and trade (工贸)", ("工贸企业", "工贸行业")),
    Sector("metal", "冶金工贸", "Metallurgy & industrial trade", ("冶金", "有色", "冶金有色")),
    Sector("chemical", "化工/危险化学品", "Chemicals & hazardous chemicals",
           ("危化", "危化品", "危险化学品", "化工", "化工和危险化学品")),
    Sector("fireworks", "烟花爆竹", "Fireworks", ("烟花爆竹生产经营",)),
    Sector("mining", "矿山", "Non-coal mines", ("非煤矿山", "金属非金属矿山")),
    Sector("coal_mine", "煤矿", "Coal mines", ()),
    Sector("construction", "建筑施工", "Construction", ("建筑", "建筑业", "房屋市政工程")),
    Sector("gas", "城镇燃气", "Urban gas supply", ("燃气",)),
    Sector("fire_key_unit", "消防重点单位", "Fire safety key units", ("消防安全重点单位",)),
    Sector("crowded_place", "人员密集场所", "Crowded places", ()),
    Sector("warehousing", "仓储物流", "Warehousing & logistics", ("仓储", "物流")),
    Sector("road_transport", "道路运输", "Road transport", ("道路交通", "交通运输")),
    Sector("water_transport", "水上交通", "Water transport", ("水上运输", "航运")),
    Sector("port", "港口码头", "Ports & wharves", ("港口", "码头")),
    Sector("fishing", "渔业船舶", "Fishing vessels", ("渔业", "渔船")),
    Sector("special_equipment", "特种设备使用单位", "Special equipment users", ("特种设备",)),
    Sector("retail", "商贸零售", "Retail & trade", ("商贸", "零售", "商场")),
    Sector("catering", "餐饮", "Catering", ("餐饮业",)),
    Sector("hotel", "住宿", "Hotels & lodging", ("酒店", "宾馆", "住宿业")),
    Sector("self_built_housing", "经营性自建房", "Self-built housing used for business", ("自建房",)),
    Sector("other", "其他", "Other", ("其它",)),
)
# fmt: on

BY_CODE: dict[str, Sector] = {s.code: s for s in SECTORS}
_BY_WORD: dict[str, str] = {}
for _sector in SECTORS:
    for _word in (_sector.code, _sector.name_zh, *_sector.aliases):
        if _word in _BY_WORD:
            raise ValueError(f"sector word {_word!r} names two sectors")
        _BY_WORD[_word] = _sector.code


def sector_code(value: str) -> str | None:
    """The code of the sector `value` names (its code, Chinese name or an alias), or None."""
    word = value.strip() if isinstance(value, str) else ""
    return _BY_WORD.get(word) or _BY_WORD.get(word.lower())


def sector_problem(value: str) -> str | None:
    if sector_code(value) is None:
        return "Not a sector: give one of the codes or Chinese names of GET /api/v1/sectors."
    return None
