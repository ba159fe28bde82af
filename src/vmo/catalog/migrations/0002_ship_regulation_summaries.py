"""Ship the summaries of the three regulations the product follows, published, so the
regulations page is useful the moment the site starts. Editors change them through the normal
draft → review → publish flow afterwards.

Written in the product's own words from the texts of the regulations (the
summaries cite articles; they do not copy the texts). The ages follow R162 as amended by
Order 172 [C2]. The link is the issuer's site: the deep link to each order is for the
editors to set [U].

No history event is written here: the rows are the product's initial data, not anyone's
change, and a migration's rows in the append-only history would break the tests that restore
the database (serialized rollback re-saves every row). Every later change is an event.
"""

from __future__ import annotations

from datetime import date

from django.db import migrations
from django.utils import timezone

MPS_ZH, MPS_EN = "公安部", "Ministry of Public Security"
MPS_URL = "https://www.mps.gov.cn/"

REGULATIONS = [
    {
        "title_zh": "机动车登记规定",
        "title_en": "Provisions on Motor Vehicle Registration",
        "document_number": "公安部令第164号",
        "effective_on": date(2022, 5, 1),
        "summary_zh": (
            "<p>《机动车登记规定》由公安部于2021年12月17日以第164号令公布，自2022年5月1日起施行，"
            "规定机动车注册、变更、转让、抵押和注销登记，以及号牌、行驶证、检验合格标志和临时行驶车号牌的"
            "申领、补领和换领。车辆管理所应当依法受理申请、审查材料、查验车辆；材料不齐全或者不符合法定形式的，"
            "一次书面或者电子告知需要补正的全部内容；不予受理或者不予登记的，书面或者电子告知理由。"
            "办理事项、条件、依据、程序、期限、收费标准、材料目录和申请表示范文本应当公示。"
            "申请人可以在网上申请，能够联网核查的信息免于提交证明、凭证。</p>"
            "<h3>要点</h3><ul>"
            "<li>注册登记自受理之日起2日内办结；变更、转让、抵押、注销登记和补领、换领行驶证1日内办结；"
            "补领、换领号牌15日内办结（第十二条、第十七条、第二十六条、第三十二条、第三十八条、第五十一条、第五十二条）。</li>"
            "<li>以上期限是工作日，不包括节假日（第九十二条）。</li>"
            "<li>改变车身颜色、更换发动机、车身或者车架的，变更后10日内申请变更登记；住所、联系方式等变化的，"
            "30日内申请变更备案（第十六条、第二十三条）。</li>"
            "<li>机动车转让的，现所有人自交付之日起30日内申请转让登记；申请前应当将该车的交通违法行为和交通事故"
            "处理完毕（第二十五条）。</li>"
            "<li>抵押登记、质押备案期间不予办理注销登记（第四十二条）。</li>"
            "<li>隐瞒有关情况或者提供虚假材料申请登记的，不予受理或者不予登记，处500元以下罚款，"
            "申请人1年内不得再次申请（第八十条）。</li>"
            "</ul>"
        ),
        "summary_en": (
            "<p>The Provisions on Motor Vehicle Registration were issued by the Ministry of Public"
            " Security as Order No. 164 on 17 December 2021 and are in force from 1 May 2022. They"
            " govern first registration, alteration, transfer, mortgage and cancellation of"
            " vehicles, and the issue and replacement of plates, vehicle licences, inspection"
            " stickers and temporary plates. The office accepts applications, examines the"
            " materials and inspects the vehicle; when materials are incomplete it tells the"
            " applicant everything to correct at once, in writing or electronically, and it gives"
            " its reasons for any refusal. It publishes each business's conditions, basis,"
            " procedure, time limit, fees, materials and model forms. Applications can be made"
            " online, and what the office can verify online need not be submitted.</p>"
            "<h3>Key points</h3><ul>"
            "<li>First registration within 2 days of acceptance; alteration, transfer, mortgage"
            " and cancellation, and a replacement vehicle licence, within 1 day; replacement"
            " plates within 15 days (Arts 12, 17, 26, 32, 38, 51, 52).</li>"
            "<li>These limits are working days, holidays excluded (Art 92).</li>"
            "<li>A new colour, engine, body or frame: apply within 10 days of the change; a new"
            " address or contact details: file them within 30 days (Arts 16, 23).</li>"
            "<li>A sold vehicle: the new owner applies within 30 days of delivery, after the"
            " vehicle's violations and accidents are dealt with (Art 25).</li>"
            "<li>No cancellation while a mortgage or pledge is registered (Art 42).</li>"
            "<li>Hiding facts or false materials: refusal, a fine of up to 500 yuan, and no new"
            " application for a year (Art 80).</li>"
            "</ul>"
        ),
    },
    {
        "title_zh": "机动车驾驶证申领和使用规定",
        "title_en": "Provisions on the Application for and Use of Motor Vehicle Driving Licences",
        "document_number": "公安部令第162号（根据公安部令第172号修正）",
        "effective_on": date(2025, 1, 1),
        "summary_zh": (
            "<p>《机动车驾驶证申领和使用规定》由公安部于2021年12月17日以第162号令公布，自2022年4月1日起施行，"
            "经公安部令第172号修正，修正后的规定自2025年1月1日起施行。它规定驾驶证的申请条件、考试、发证、"
            "换证、补证、审验、延期、注销和监督管理。车辆管理所应当依法受理申请、审查材料；材料不齐全的，"
            "一次告知需要补正的全部内容；不符合条件的，书面或者电子告知理由；并公示办理事项、条件、依据、程序、"
            "期限、收费标准、材料目录和申请表示范文本。换证、补证、延期等业务可以在网上申请。</p>"
            "<h3>要点</h3><ul>"
            "<li>驾驶证有效期分为6年、10年和长期（第十三条）。</li>"
            "<li>有效期满前90日内申请换证，提交身份证明和医疗机构出具的身体条件证明，1日内换发"
            "（第六十三条、第六十八条）。</li>"
            "<li>驾驶证遗失的，1日内补发；被扣押、扣留或者暂扣期间不得申请补发（第六十九条）。</li>"
            "<li>因服兵役、出国（境）等原因不能按时换证、审验或者提交身体条件证明的，可以在有效期内或者期满"
            "1年内申请延期，最长不超过3年，延期期间不得驾驶机动车（第七十五条）。</li>"
            "<li>70周岁以上的驾驶人每年体检一次，在记分周期结束后30日内提交身体条件证明（第七十四条）。</li>"
            "<li>初次取得汽车类或者摩托车类准驾车型后的12个月为实习期（第七十六条）。</li>"
            "<li>超过有效期1年以上未换证的，驾驶证予以注销（第七十九条）。</li>"
            "<li>第172号令修正后，大中型客货车等准驾车型的年龄上限为63周岁（第十四条、第六十五条）。</li>"
            "</ul>"
        ),
        "summary_en": (
            "<p>The Provisions on the Application for and Use of Motor Vehicle Driving Licences"
            " were issued by the Ministry of Public Security as Order No. 162 on 17 December 2021,"
            " in force from 1 April 2022, and amended by Order No. 172; the amended text applies"
            " from 1 January 2025. They govern the conditions for a licence, the tests, the issue,"
            " renewal and replacement of licences, verification, deferral, cancellation and"
            " supervision. The office accepts applications and examines the materials; when"
            " materials are incomplete it tells the applicant everything to correct at once, it"
            " gives its reasons for a refusal in writing or electronically, and it publishes each"
            " business's conditions, basis, procedure, time limit, fees, materials and model"
            " forms. Renewal, replacement and deferral can be applied for online.</p>"
            "<h3>Key points</h3><ul>"
            "<li>A licence is valid for 6 years, 10 years or long-term (Art 13).</li>"
            "<li>Renew in the 90 days before expiry, with your ID and a medical certificate of"
            " your physical condition; the new licence is issued within 1 day (Arts 63, 68).</li>"
            "<li>A lost licence is replaced within 1 day, but not while it is seized or suspended"
            " (Art 69).</li>"
            "<li>Military service, a stay abroad or a similar reason: renewal, verification or the"
            " physical proof can be deferred, applied for while the licence is valid or within a"
            " year after it expired, by up to 3 years; no driving meanwhile (Art 75).</li>"
            "<li>From the age of 70, a medical examination every year, the certificate due within"
            " 30 days after each scoring cycle (Art 74).</li>"
            "<li>The first 12 months after first obtaining a car or motorcycle class are a"
            " probation period (Art 76).</li>"
            "<li>A licence more than a year past expiry without renewal is cancelled"
            " (Art 79).</li>"
            "<li>Since Order 172, the upper age limit of the large and medium bus and truck classes"
            " is 63 (Arts 14, 65).</li>"
            "</ul>"
        ),
    },
    {
        "title_zh": "道路交通安全违法行为记分管理办法",
        "title_en": "Measures for Scoring Road Traffic Violations",
        "document_number": "公安部令第163号",
        "effective_on": date(2022, 4, 1),
        "summary_zh": (
            "<p>《道路交通安全违法行为记分管理办法》由公安部于2021年12月17日以第163号令公布，自2022年4月1日起施行。"
            "对机动车驾驶人的交通违法行为，除依法给予行政处罚外，实行累积记分制度。记分周期为12个月，满分为12分，"
            "自初次领取驾驶证之日起连续计算；一次记分的分值为12分、9分、6分、3分、1分，在作出处罚决定的同时记分，"
            "分值在处罚决定书上载明。累积记分满12分的，驾驶人应当参加满分学习和考试；未满12分的，可以参加交通安全"
            "教育减免部分记分。交通违法记录和记分可以在互联网和业务窗口查询。</p>"
            "<h3>要点</h3><ul>"
            "<li>记分周期届满累积记分未满12分的予以清除；有罚款逾期未缴纳的，该违法行为的记分转入下一记分周期"
            "（第十五条）。</li>"
            "<li>累积记分满12分的，扣留驾驶证，送达满分教育通知书；学习7天，大型客车、重型牵引挂车、城市公交车、"
            "中型客车、大型货车驾驶人学习30天（第十七条、第十八条）。</li>"
            "<li>处理完交通违法行为记录后累积记分未满12分的，可以申请学法减分，一个记分周期内最高扣减6分"
            "（第二十五条）。</li>"
            "<li>网上学习3日内累计满30分钟且考试合格的扣减1分；现场学习满1小时且考试合格的扣减2分；"
            "参加交通安全公益活动满1小时的扣减1分（第二十七条）。</li>"
            "</ul>"
        ),
        "summary_en": (
            "<p>The Measures for Scoring Road Traffic Violations were issued by the Ministry of"
            " Public Security as Order No. 163 on 17 December 2021 and are in force from 1 April"
            " 2022. Besides the penalty, each violation by a driver scores points. A scoring cycle"
            " is 12 months, counted continuously from the day the licence was first issued, and"
            " the full score is 12; one violation scores 12, 9, 6, 3 or 1 points, given with the"
            " penalty decision, which states them. A driver who reaches 12 points must complete"
            " full-score study and an exam; below 12, points can be reduced through road-safety"
            " education. Violations and points can be looked up online and at the counter.</p>"
            "<h3>Key points</h3><ul>"
            "<li>At the end of a cycle a total below 12 is cleared, except the points of violations"
            " whose fine is overdue, which carry over (Art 15).</li>"
            "<li>At 12 points the licence is withheld and a full-score education notice served;"
            " 7 days of study, 30 days for large bus, heavy tractor, city bus, medium bus and"
            " large truck drivers (Arts 17, 18).</li>"
            "<li>With every violation record dealt with and fewer than 12 points, a driver may"
            " learn to reduce points: at most 6 points per cycle (Art 25).</li>"
            "<li>30 minutes of online study within 3 days and a passed test: 1 point; 1 hour of"
            " on-site study and a passed test: 2 points; 1 hour of road-safety volunteering:"
            " 1 point (Art 27).</li>"
            "</ul>"
        ),
    },
]


def ship(apps, schema_editor):
    RegulationSummary = apps.get_model("catalog", "RegulationSummary")
    now = timezone.now()
    for row in REGULATIONS:
        if RegulationSummary.objects.filter(document_number=row["document_number"]).exists():
            continue
        RegulationSummary.objects.create(
            **row,
            issuer_zh=MPS_ZH,
            issuer_en=MPS_EN,
            official_url=MPS_URL,
            state="published",
            published_at=now,
            created_at=now,
            updated_at=now,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_regulation_summary"),
    ]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
