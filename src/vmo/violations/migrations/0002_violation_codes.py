"""Load the reference violation codes, so a fresh database has them.

A frozen copy of vmo.violations.reference.VIOLATION_CODES as of this migration: migrations must
not change when that module does. Change a code with a new data migration.
"""

from django.db import migrations

# (code, points, fine_min_fen, fine_max_fen, description_zh, description_en, legal_basis)
CODES = [
    (
        "1625",
        6,
        20000,
        20000,
        "驾驶机动车违反道路交通信号灯通行的",
        "Driving against a traffic signal (running a red light)",
        "《道路交通安全法》第三十八条、第九十条；记分办法第十条第（八）项",
    ),
    (
        "1039",
        0,
        20000,
        20000,
        "机动车违反规定停放、临时停车，驾驶人不在现场或者虽在现场但拒绝立即驶离，妨碍其他车辆、行人通行的",
        "Illegal parking or stopping that obstructs traffic, driver absent or refusing to move on",
        "《道路交通安全法》第五十六条、第九十三条",
    ),
    (
        "1018",
        0,
        2000,
        20000,
        "机动车不在机动车道内行驶的",
        "Driving outside the motor-vehicle lanes",
        "《道路交通安全法》第三十六条、第九十条",
    ),
    (
        "1019",
        0,
        2000,
        20000,
        "机动车违反规定使用专用车道的",
        "Illegal use of a reserved lane (e.g. a bus lane)",
        "《道路交通安全法》第三十七条、第九十条",
    ),
    (
        "1357",
        3,
        2000,
        20000,
        "驾驶机动车行经人行横道，遇行人正在通过人行横道时未停车让行的",
        "Not stopping for pedestrians on a pedestrian crossing",
        "《道路交通安全法》第四十七条、第九十条；记分办法第十一条第（七）项",
    ),
    (
        "1223",
        3,
        2000,
        20000,
        "驾驶机动车有拨打、接听手持电话等妨碍安全驾驶的行为的",
        "Making or answering a hand-held phone call while driving",
        "《道路交通安全法实施条例》第六十二条第（三）项；《道路交通安全法》第九十条；记分办法第十一条第（六）项",
    ),
    (
        "6011",
        1,
        2000,
        20000,
        "驾驶机动车在道路上行驶时，机动车驾驶人未按规定系安全带的",
        "Driver not wearing a seat belt",
        "《道路交通安全法》第五十一条、第九十条；记分办法第十二条第（九）项",
    ),
    (
        "1344",
        1,
        2000,
        20000,
        "驾驶机动车违反禁令标志指示的",
        "Disobeying a prohibition sign",
        "《道路交通安全法》第三十八条、第九十条；记分办法第十二条第（四）项",
    ),
    (
        "1345",
        1,
        2000,
        20000,
        "驾驶机动车违反禁止标线指示的",
        "Disobeying a prohibition road marking (e.g. crossing a solid line)",
        "《道路交通安全法》第三十八条、第九十条；记分办法第十二条第（四）项",
    ),
    (
        "1301",
        3,
        2000,
        20000,
        "驾驶机动车在高速公路、城市快速路以外的道路上逆行的",
        "Driving against the traffic on an ordinary road",
        "《道路交通安全法》第三十五条、第九十条；记分办法第十一条第（四）项",
    ),
    (
        "1303",
        3,
        2000,
        20000,
        "驾驶校车、中型以上载客载货汽车、危险物品运输车辆以外的机动车在高速公路、城市快速路以外的道路上行驶超过规定时速百分之二十以上未达到百分之五十的",
        "Speeding 20-50% over the limit on an ordinary road (cars and other light vehicles)",
        "《道路交通安全法》第四十二条、第九十条；记分办法第十一条第（二）项",
    ),
    (
        "1636",
        6,
        2000,
        20000,
        "驾驶校车、中型以上载客载货汽车、危险物品运输车辆以外的机动车在高速公路、城市快速路上行驶超过规定时速百分之二十以上未达到百分之五十的",
        "Speeding 20-50% over the limit on an expressway (cars and other light vehicles)",
        "《道路交通安全法》第四十二条、第九十条；记分办法第十条第（三）项",
    ),
    (
        "1603",
        6,
        20000,
        200000,
        "驾驶校车、中型以上载客载货汽车、危险物品运输车辆以外的机动车在高速公路、城市快速路以外的道路上行驶超过规定时速百分之五十以上的",
        "Speeding 50% or more over the limit on an ordinary road (cars and other light vehicles)",
        "《道路交通安全法》第四十二条、第九十九条第一款第（四）项；记分办法第十条第（三）项",
    ),
    (
        "1721",
        12,
        20000,
        200000,
        "驾驶校车、中型以上载客载货汽车、危险物品运输车辆以外的机动车在高速公路、城市快速路上行驶超过规定时速百分之五十以上的",
        "Speeding 50% or more over the limit on an expressway (cars and other light vehicles)",
        "《道路交通安全法》第四十二条、第九十九条第一款第（四）项；记分办法第八条第（五）项",
    ),
    (
        "1712",
        12,
        100000,
        200000,
        "饮酒后驾驶机动车的",
        "Driving after drinking alcohol",
        "《道路交通安全法》第二十二条、第九十一条第一款；记分办法第八条第（一）项",
    ),
    (
        "1717",
        9,
        2000,
        20000,
        "驾驶未悬挂机动车号牌的机动车上道路行驶的",
        "Driving a vehicle without number plates",
        "《道路交通安全法》第十一条、第九十五条第一款；记分办法第九条第（四）项",
    ),
    (
        "1340",
        1,
        2000,
        20000,
        "驾驶未按规定定期进行安全技术检验的公路客运汽车、旅游客运汽车、危险物品运输车辆以外的机动车上道路行驶的",
        "Driving a vehicle (other than a bus or dangerous-goods vehicle) that missed its periodic inspection",
        "《道路交通安全法》第十三条、第九十条；记分办法第十二条第（七）项",
    ),
]


def load(apps, schema_editor):
    ViolationCode = apps.get_model("violations", "ViolationCode")
    for code, points, fine_min, fine_max, zh, en, basis in CODES:
        ViolationCode.objects.update_or_create(
            code=code,
            defaults={
                "points": points,
                "fine_min_fen": fine_min,
                "fine_max_fen": fine_max,
                "description_zh": zh,
                "description_en": en,
                "legal_basis": basis,
            },
        )


def unload(apps, schema_editor):
    ViolationCode = apps.get_model("violations", "ViolationCode")
    # Codes already used by a violation stay: the records need them.
    ViolationCode.objects.filter(
        code__in=[row[0] for row in CODES], violations__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("violations", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
