"""Reference table of common national violation codes (违法行为代码), as the 12123 system shows them.

Points follow R163 (道路交通安全违法行为记分管理办法, in force 2022-04-01), Arts 8-12, read in
the regulation text itself. The code numbers come from the national code table (GA 408.1 style:
four digits; 1st = kind of road user, 2nd = points class *under the pre-2022 table*, last two =
sequence). R163 changed many point values without the published numbers changing everywhere,
so the 2nd digit no longer always matches the points. Marks on each row:

- [C2] the number is confirmed by several independent public pages;
- [U]  the number is best knowledge only: check it against the office's own code table before
       production, and fix it here *and* in a new data migration.

Fines are in fen. Where the law gives a range (e.g. 《道路交通安全法》第九十条: warning or 20-200
yuan), the range is stored; where the office applies one standard amount, min = max. Xinjiang's
standard amounts (新疆维吾尔自治区实施《道路交通安全法》办法) were not available to us [U]:
treat every amount as data the office reviews.

The data migration ``0002_violation_codes`` keeps a frozen copy of this list; a test checks that
the two agree, so a change here needs a new data migration.
"""

from __future__ import annotations

from typing import TypedDict


class CodeRow(TypedDict):
    code: str
    description_zh: str
    description_en: str
    points: int
    fine_min_fen: int
    fine_max_fen: int
    legal_basis: str


def _row(
    code: str, zh: str, en: str, points: int, fine_min_yuan: int, fine_max_yuan: int, basis: str
) -> CodeRow:
    return CodeRow(
        code=code,
        description_zh=zh,
        description_en=en,
        points=points,
        fine_min_fen=fine_min_yuan * 100,
        fine_max_fen=fine_max_yuan * 100,
        legal_basis=basis,
    )


VIOLATION_CODES: tuple[CodeRow, ...] = (
    # [C2] was 1302 before the 2013 renumbering. Red light: 200 yuan is the common camera standard.
    _row(
        "1625",
        "驾驶机动车违反道路交通信号灯通行的",
        "Driving against a traffic signal (running a red light)",
        6,
        200,
        200,
        "《道路交通安全法》第三十八条、第九十条；记分办法第十条第（八）项",
    ),
    # [C2] 0 points: parking is not in R163's lists.
    _row(
        "1039",
        "机动车违反规定停放、临时停车，驾驶人不在现场或者虽在现场但拒绝立即驶离，妨碍其他车辆、行人通行的",
        "Illegal parking or stopping that obstructs traffic, driver absent or refusing to move on",
        0,
        200,
        200,
        "《道路交通安全法》第五十六条、第九十三条",
    ),
    # [C2] 0 points.
    _row(
        "1018",
        "机动车不在机动车道内行驶的",
        "Driving outside the motor-vehicle lanes",
        0,
        20,
        200,
        "《道路交通安全法》第三十六条、第九十条",
    ),
    # [C2] 0 points.
    _row(
        "1019",
        "机动车违反规定使用专用车道的",
        "Illegal use of a reserved lane (e.g. a bus lane)",
        0,
        20,
        200,
        "《道路交通安全法》第三十七条、第九十条",
    ),
    # [C2]
    _row(
        "1357",
        "驾驶机动车行经人行横道，遇行人正在通过人行横道时未停车让行的",
        "Not stopping for pedestrians on a pedestrian crossing",
        3,
        20,
        200,
        "《道路交通安全法》第四十七条、第九十条；记分办法第十一条第（七）项",
    ),
    # [U] 1223 carried 2 points before 2022 (2nd digit 2); R163 Art 11(6) makes it 3.
    _row(
        "1223",
        "驾驶机动车有拨打、接听手持电话等妨碍安全驾驶的行为的",
        "Making or answering a hand-held phone call while driving",
        3,
        20,
        200,
        "《道路交通安全法实施条例》第六十二条第（三）项；《道路交通安全法》第九十条；记分办法第十一条第（六）项",
    ),
    # [U] 6011 is the non-expressway seat-belt code, 0 points before 2022; R163 Art 12(9) gives
    # 1 point on every road.
    _row(
        "6011",
        "驾驶机动车在道路上行驶时，机动车驾驶人未按规定系安全带的",
        "Driver not wearing a seat belt",
        1,
        20,
        200,
        "《道路交通安全法》第五十一条、第九十条；记分办法第十二条第（九）项",
    ),
    # [C2] 3 points before 2022; R163 Art 12(4) gives 1.
    _row(
        "1344",
        "驾驶机动车违反禁令标志指示的",
        "Disobeying a prohibition sign",
        1,
        20,
        200,
        "《道路交通安全法》第三十八条、第九十条；记分办法第十二条第（四）项",
    ),
    # [C2] 3 points before 2022; R163 Art 12(4) gives 1.
    _row(
        "1345",
        "驾驶机动车违反禁止标线指示的",
        "Disobeying a prohibition road marking (e.g. crossing a solid line)",
        1,
        20,
        200,
        "《道路交通安全法》第三十八条、第九十条；记分办法第十二条第（四）项",
    ),
    # [U]
    _row(
        "1301",
        "驾驶机动车在高速公路、城市快速路以外的道路上逆行的",
        "Driving against the traffic on an ordinary road",
        3,
        20,
        200,
        "《道路交通安全法》第三十五条、第九十条；记分办法第十一条第（四）项",
    ),
    # [U] the three speeding rows below: R163 split the old bands by road type and vehicle kind;
    # the numbers are those of the nearest pre-2022 band.
    _row(
        "1303",
        "驾驶校车、中型以上载客载货汽车、危险物品运输车辆以外的机动车在高速公路、城市快速路以外的道路上行驶超过规定时速百分之二十以上未达到百分之五十的",
        "Speeding 20-50% over the limit on an ordinary road (cars and other light vehicles)",
        3,
        20,
        200,
        "《道路交通安全法》第四十二条、第九十条；记分办法第十一条第（二）项",
    ),
    _row(
        "1636",
        "驾驶校车、中型以上载客载货汽车、危险物品运输车辆以外的机动车在高速公路、城市快速路上行驶超过规定时速百分之二十以上未达到百分之五十的",
        "Speeding 20-50% over the limit on an expressway (cars and other light vehicles)",
        6,
        20,
        200,
        "《道路交通安全法》第四十二条、第九十条；记分办法第十条第（三）项",
    ),
    _row(
        "1603",
        "驾驶校车、中型以上载客载货汽车、危险物品运输车辆以外的机动车在高速公路、城市快速路以外的道路上行驶超过规定时速百分之五十以上的",
        "Speeding 50% or more over the limit on an ordinary road (cars and other light vehicles)",
        6,
        200,
        2000,
        "《道路交通安全法》第四十二条、第九十九条第一款第（四）项；记分办法第十条第（三）项",
    ),
    # [U] 12 points; the law also allows revoking the licence.
    _row(
        "1721",
        "驾驶校车、中型以上载客载货汽车、危险物品运输车辆以外的机动车在高速公路、城市快速路上行驶超过规定时速百分之五十以上的",
        "Speeding 50% or more over the limit on an expressway (cars and other light vehicles)",
        12,
        200,
        2000,
        "《道路交通安全法》第四十二条、第九十九条第一款第（四）项；记分办法第八条第（五）项",
    ),
    # [C2] (17121 in five-digit tables). Also 6 months' licence suspension (Art 91).
    _row(
        "1712",
        "饮酒后驾驶机动车的",
        "Driving after drinking alcohol",
        12,
        1000,
        2000,
        "《道路交通安全法》第二十二条、第九十一条第一款；记分办法第八条第（一）项",
    ),
    # [C2] 12 points before 2022; R163 Art 9(4) gives 9.
    _row(
        "1717",
        "驾驶未悬挂机动车号牌的机动车上道路行驶的",
        "Driving a vehicle without number plates",
        9,
        20,
        200,
        "《道路交通安全法》第十一条、第九十五条第一款；记分办法第九条第（四）项",
    ),
    # [C2] 3 points before 2022; R163 Art 12(7) gives 1 for ordinary vehicles (3 for buses and
    # dangerous goods, Art 11(12)).
    _row(
        "1340",
        "驾驶未按规定定期进行安全技术检验的公路客运汽车、旅游客运汽车、危险物品运输车辆以外的机动车上道路行驶的",
        "Driving a vehicle (other than a bus or dangerous-goods vehicle) that missed its periodic inspection",
        1,
        20,
        200,
        "《道路交通安全法》第十三条、第九十条；记分办法第十二条第（七）项",
    ),
)

BY_CODE: dict[str, CodeRow] = {row["code"]: row for row in VIOLATION_CODES}

# Codes a roadside camera records (the ones the demo and the generator use).
CAMERA_CODES: tuple[str, ...] = (
    "1625",
    "1039",
    "1018",
    "1019",
    "1357",
    "1223",
    "6011",
    "1344",
    "1345",
    "1301",
    "1303",
    "1636",
)

# Codes handled at a counter only, whatever the fine: drink driving and speeding 50% or more over
# the limit can lead to suspension or revocation of the licence (RTSL Arts 91, 99), which the
# online simple procedure (RP Art 52) cannot decide; driving without plates is an on-site case.
COUNTER_ONLY = frozenset({"1603", "1721", "1712", "1717"})

# Codes whose records must carry the measured speed and the limit (speeding bands).
SPEEDING_CODES = frozenset({"1303", "1636", "1603", "1721"})
