# ruff: noqa: E501  (a table of sample rows reads best one row a line)
"""Write the sample import files in docs/samples/ (run from the repository root):

    .venv/bin/python scripts/make_import_samples.py

- enterprises-sample.xlsx / .csv: 20 invented enterprises of the Xiamen demo tree, with valid credit codes
  (GB 32100-2015), the import's Chinese headers, sectors written as a bureau's ledger writes them;
- users-sample.xlsx: a few staff accounts (用户名, 姓名, 角色, 所在区划代码, 企业信用代码, 初始密码);
- areas-sample.csv: a new street with a community and two grids under 湖里区 (区划代码, 名称, 上级区划代码, 层级).

They import into a database that has the demo loaded (make run), and the tests import them too
(tests/api/test_import_samples.py). Names, people and phone numbers are invented.
"""

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.demo.xiamen import AREAS  # noqa: E402
from app.domain.credit_code import make_credit_code  # noqa: E402

OUT = ROOT / "docs" / "samples"
ENTERPRISE_HEADERS = ["企业名称", "统一社会信用代码", "所在区划代码", "行业", "地址", "经度", "纬度", "主要负责人", "联系电话"]
# name, sector as written in a ledger, district, org body, address, lng, lat, contact, phone
# fmt: off
COMPANIES = [
    ("厦门鹭安五金制品有限公司", "制造业", "350206", "MA8PQ1A2", "厦门市湖里区高林中路301号", 118.1702, 24.5104, "周海峰", "13806051102"),
    ("厦门金禾危险化学品储运有限公司", "危化", "350205", "MA8PQ1A3", "厦门市海沧区南海三路88号", 118.0305, 24.4873, "郑国栋", "13959281204"),
    ("厦门城建第七工程有限公司", "建筑施工", "350211", "MA8PQ1A4", "厦门市集美区银江路166号", 118.0978, 24.5881, "何建新", "18650092316"),
    ("厦门华润燃气翔安供应站", "燃气", "350213", "MA8PQ1A5", "厦门市翔安区新店镇洪前路2号", 118.2421, 24.6189, "林燃", "15980869021"),
    ("厦门嘉莲购物广场有限公司", "消防重点单位", "350203", "MA8PQ1A6", "厦门市思明区嘉禾路268号", 118.1279, 24.4871, "蔡晓红", "13606015537"),
    ("厦门顺达仓储有限公司", "仓储物流", "350206", "MA8PQ1A7", "厦门市湖里区长浩路166号", 118.1561, 24.5223, "吴天明", "13906017744"),
    ("厦门海港餐饮管理有限公司", "餐饮", "350203", "MA8PQ1A8", "厦门市思明区鹭江道52号", 118.0801, 24.4598, "陈美玲", "15359205512"),
    ("厦门同安汇丰商贸有限公司", "商贸", "350212", "MA8PQ1A9", "厦门市同安区银湖中路101号", 118.1577, 24.7302, "黄宝珠", "18959210877"),
    ("厦门鑫泰冶金材料有限公司", "冶金工贸", "350211", "MA8PQ1AA", "厦门市集美区灌口南路61号", 117.9951, 24.6012, "苏铁成", "13799237010"),
    ("厦门东渡港联物流有限公司", "港口码头", "350206", "MA8PQ1AB", "厦门市湖里区东港北路9号", 118.0872, 24.4977, "许港生", "13860151234"),
    ("厦门鼓浪湾酒店有限公司", "住宿", "350203", "MA8PQ1AC", "厦门市思明区中山路301号", 118.0841, 24.4567, "王小燕", "15805928843"),
    ("厦门瑞丰烟花爆竹批发有限公司", "烟花爆竹", "350212", "MA8PQ1AD", "厦门市同安区西柯街道官浔路3号", 118.1602, 24.6988, "李炮", "13959219976"),
    ("厦门捷运道路运输有限公司", "道路运输", "350211", "MA8PQ1AE", "厦门市集美区杏林湾路218号", 118.0436, 24.5771, "曾运通", "18005921167"),
    ("厦门海翔精密电子有限公司", "工贸", "350213", "MA8PQ1AF", "厦门市翔安区舫山北路200号", 118.2466, 24.6235, "蒋精", "13656012289"),
    ("厦门海沧石化设备安装有限公司", "化工/危险化学品", "350205", "MA8PQ1AG", "厦门市海沧区新阳路102号", 118.0141, 24.5137, "邱石化", "15960211338"),
    ("厦门湖里新天地商业管理有限公司", "人员密集场所", "350206", "MA8PQ1AH", "厦门市湖里区湖里大道78号", 118.0991, 24.5077, "赖群英", "13599518806"),
    ("厦门海渔远洋渔业有限公司", "渔业船舶", "350213", "MA8PQ1AJ", "厦门市翔安区澳头渔港1号", 118.2311, 24.5648, "洪海", "13806009912"),
    ("厦门通利特种设备检测有限公司", "特种设备使用单位", "350212", "MA8PQ1AK", "厦门市同安区阳翟三路12号", 118.1412, 24.7224, "卓利", "18965157723"),
    ("厦门鹭岛电梯工程有限公司", "manufacturing", "350206", "MA8PQ1AL", "厦门市湖里区枋湖南路56号", 118.1489, 24.5068, "叶梯", "0592-5712345"),
    ("厦门集美学村文创商贸有限公司", "retail", "350211", "MA8PQ1AM", "厦门市集美区嘉庚路120号", 118.1012, 24.5768, "陈文创", "0592-6061234"),
]
# fmt: on
USERS = [
    ["zhou.jc", "周检查", "检查员", "350206", "", "Huli-inspect-2026"],
    ["xu.wg", "许网格", "网格员", "35020600200101", "", "Grid-patrol-2026"],
    ["li.sh", "李审核", "审核人", "350200", "", "Review-chief-2026"],
]
AREA_ROWS = [
    ["350206004", "江头街道（示例）", "350206", "街道"],
    ["350206004001", "吕岭社区（示例）", "350206004", "社区"],
    ["35020600400101", "吕岭社区第一网格", "350206004001", "网格"],
    ["35020600400102", "吕岭社区第二网格", "350206004001", "网格"],
]


def enterprise_rows() -> list[list]:
    grids = {}
    for code, _name, level, _parent in AREAS:
        if level == "grid":
            grids.setdefault(code[:6], []).append(code)
    rows = []
    for i, (name, sector, district, org8, address, lng, lat, contact, phone) in enumerate(COMPANIES):
        area = grids[district][i % len(grids[district])]
        rows.append([name, make_credit_code(district, org8), area, sector, address, lng, lat, contact, phone])
    return rows


def officer_row(rows: list[list]) -> list:
    return ["officer.sample", "示例安全员", "企业安全员", "", rows[0][1], "Officer-sample-2026"]


def write_xlsx(path: Path, title: str, header: list, rows: list[list]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for column, width in zip("ABCDEFGHI", (34, 22, 18, 16, 36, 11, 10, 10, 15), strict=False):
        sheet.column_dimensions[column].width = width
    book.save(path)


def write_csv(path: Path, header: list, rows: list[list]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as out:  # with a BOM: Excel opens it as UTF-8
        csv.writer(out).writerows([header, *rows])


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rows = enterprise_rows()
    write_xlsx(OUT / "enterprises-sample.xlsx", "企业", ENTERPRISE_HEADERS, rows)
    write_csv(OUT / "enterprises-sample.csv", ENTERPRISE_HEADERS, rows)
    users = [*USERS, officer_row(rows)]
    write_xlsx(OUT / "users-sample.xlsx", "用户", ["用户名", "姓名", "角色", "所在区划代码", "企业信用代码", "初始密码"], users)
    write_csv(OUT / "areas-sample.csv", ["区划代码", "名称", "上级区划代码", "层级"], AREA_ROWS)
    print(f"wrote {len(rows)} enterprises, {len(users)} users, {len(AREA_ROWS)} areas to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
