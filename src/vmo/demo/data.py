"""Plausible vehicle models and Changji addresses for the demo and the generator."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Model:
    brand: str
    name: str
    wmi: str  # world manufacturer identifier of the maker's Chinese plant
    vds: str  # VIN positions 4-8
    vehicle_type: str
    seats: int
    energy: str = ""  # "" petrol/diesel, "D" pure electric, "F" other new energy
    use_nature: str = "A"

    @property
    def new_energy(self) -> bool:
        return bool(self.energy)

    @property
    def large(self) -> bool:
        return self.vehicle_type in {"K11", "K21", "H11", "H21"}

    @property
    def plate_kind(self) -> str:
        """Which serial space the plate comes from: ordinary, small or large new-energy."""
        if not self.new_energy:
            return "ordinary"
        return "ne_large" if self.large else "ne_small"

    @property
    def plate_type(self) -> str:
        """GA 36 plate type: 01 large (yellow), 02 small (blue), 07 motorcycle, 51/52 new energy."""
        if self.new_energy:
            return "51" if self.large else "52"
        if self.vehicle_type == "M21":
            return "07"
        return "01" if self.large else "02"


MODELS = (
    Model("大众", "朗逸", "LSV", "AB41E", "K33", 5),
    Model("丰田", "卡罗拉", "LFM", "A2BE3", "K33", 5),
    Model("本田", "雅阁", "LHG", "CV163", "K33", 5),
    Model("日产", "轩逸", "LGB", "H52E8", "K33", 5),
    Model("吉利", "帝豪", "L6T", "7824S", "K33", 5),
    Model("长安", "CS75 PLUS", "LS5", "A3DM2", "K31", 5),
    Model("哈弗", "H6", "LGW", "EF6A9", "K31", 5),
    Model("比亚迪", "秦PLUS DM-i", "LGX", "C76C4", "K33", 5, "F"),
    Model("比亚迪", "海豚", "LGX", "E10A2", "K33", 5, "D"),
    Model("特斯拉", "Model Y", "LRW", "YGEF8", "K31", 5, "D"),
    Model("五菱", "宏光MINIEV", "LZW", "ACAG2", "K41", 4, "D"),
    Model("五菱", "宏光", "LZW", "ADAG8", "K39", 7),
    Model("福田", "欧马可", "LVB", "V3JD4", "H31", 3, use_nature="F"),
    Model("江淮", "帅铃", "LJ1", "1EA36", "H31", 3, use_nature="F"),
    Model("东风", "天龙", "LGA", "X5DC8", "H11", 2, use_nature="F"),
    Model("解放", "J6P", "LFW", "N5R78", "H11", 2, use_nature="F"),
    Model("重汽", "豪沃", "LZZ", "1CLV9", "H21", 2, use_nature="F"),
    Model("宇通", "ZK6122H", "LZY", "T2TD4", "K11", 49, use_nature="B"),
    Model("金龙", "XMQ6802", "LA6", "R1GX3", "K21", 23, use_nature="B"),
    Model("宇通", "E12 纯电动客车", "LZY", "T3PH2", "K11", 45, "D", use_nature="C"),
    Model("豪爵", "HJ125-16", "LC6", "PCJK1", "M21", 2),
    Model("五羊本田", "WH125", "LWB", "PJ306", "M21", 2),
)
# Rough shares of a northern Xinjiang registry: mostly cars, then trucks and motorcycles.
MODEL_WEIGHTS = (12, 9, 6, 7, 7, 9, 9, 5, 3, 2, 3, 3, 4, 3, 2, 1, 1, 0.3, 0.3, 0.2, 3, 2)

COLOURS = ("A", "B", "J", "M", "H", "E", "C", "G")
COLOUR_WEIGHTS = (30, 12, 20, 18, 8, 5, 3, 4)

# Counties of Changji prefecture by ID region code, with a few real street names each.
REGION_PLACES = {
    "652301": (
        "昌吉市",
        ("延安北路", "北京南路", "长宁路", "建国西路", "宁边西路", "乌伊东路", "世纪大道"),
    ),
    "652302": ("阜康市", ("天池街", "博峰街", "准噶尔路", "瑶池路")),
    "652323": ("呼图壁县", ("天山南路", "胜利路", "迎宾路", "广场路")),
    "652324": ("玛纳斯县", ("凤凰路", "新兴路", "玛河路", "团结路")),
    "652325": ("奇台县", ("天山路", "古城路", "新华路", "东环路")),
    "652327": ("吉木萨尔县", ("北庭路", "文化路", "人民路", "健康路")),
    "652328": ("木垒哈萨克自治县", ("团结路", "人民路", "天山路", "木垒河路")),
}
PLACES_ON_ROADS = (
    "昌吉市延安北路与北京南路交叉口",
    "昌吉市世纪大道宁边路口",
    "京新高速昌吉段K2563",
    "G216线阜康段K32",
    "昌吉市长宁路人行横道",
    "呼图壁县天山南路",
    "乌昌快速路昌吉段",
)

MORTGAGEES = (
    "中国农业银行昌吉分行",
    "中国工商银行昌吉分行",
    "昌吉农村商业银行",
    "上汽通用汽车金融有限责任公司",
)


def address(rng: random.Random, region: str, city_fallback: str) -> str:
    county, streets = REGION_PLACES.get(region, (city_fallback, ("人民路", "建设路", "解放路")))
    return f"新疆{county}{rng.choice(streets)}{rng.randint(1, 399)}号"
