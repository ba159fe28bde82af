"""Every business the office handles online, defined once (CATALOGUE.md, DOMAIN.md).

A business is a frozen value, not a database row: the law fixes what it is, its basis and its
time limit, and a change of those is a code change that is reviewed and tested. The application
engine grows this by adding fields with defaults (materials, conditions, procedure steps), so
the definitions below keep working.

Time limits are the office's limits in working days (R164 Art 92, R162 Art 110, RP Art 81).
Where the regulation names no limit, the office sets its own service standard and
``time_limit_statutory`` is False, so the guide can say which is which.

Fees: DOMAIN.md marks amounts as local configuration. The card fees below are the national
standard of 发改价格〔2004〕2831号 as commonly published [U: the office confirms the current local
amounts]; a business with no fee of its own has 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    VEHICLE = "vehicle", _("Vehicle business")
    LICENCE = "licence", _("Driver's-licence business")
    VIOLATIONS = "violations", _("Violations and education")


class Applicant(models.TextChoices):
    OWNER = "owner", _("The vehicle's owner")
    COMPANY_AGENT = "company_agent", _("An authorised agent of a company that owns the vehicle")
    MORTGAGEE = "mortgagee", _("The lender (mortgagee), jointly with the owner")
    HOLDER = "holder", _("The licence holder")
    LEARNER = "learner", _("A learner driver whose application for a licence was accepted")


@dataclass(frozen=True)
class Regulation:
    abbreviation: str
    title_zh: str
    # Shown only on the English page, beside the authoritative Chinese title.
    title_en: str


R164 = Regulation("R164", "机动车登记规定", "Provisions on Motor Vehicle Registration")
R162 = Regulation(
    "R162",
    "机动车驾驶证申领和使用规定",
    "Provisions on the Application for and Use of Motor Vehicle Driving Licences",
)
R163 = Regulation(
    "R163", "道路交通安全违法行为记分管理办法", "Measures for Scoring Road Traffic Violations"
)
RP = Regulation(
    "RP",
    "道路交通安全违法行为处理程序规定",
    "Provisions on the Procedure for Handling Road Traffic Violations",
)
RTSL = Regulation("RTSL", "中华人民共和国道路交通安全法", "Road Traffic Safety Law")
RI = Regulation(
    "RI",
    "中华人民共和国道路交通安全法实施条例",
    "Regulation Implementing the Road Traffic Safety Law",
)

_ZH_DIGITS = "零一二三四五六七八九"


def zh_number(n: int) -> str:
    """Article numbers as the regulations write them: 16 -> 十六, 105 -> 一百零五, 110 -> 一百一十."""
    if not 0 < n < 1000:
        raise ValueError("article numbers run from 1 to 999")
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    text = f"{_ZH_DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        # "十六" on its own, but "一百一十" inside a larger number.
        text += ("" if tens == 1 and not hundreds else _ZH_DIGITS[tens]) + "十"
    elif hundreds and units:
        text += "零"
    if units:
        text += _ZH_DIGITS[units]
    return text


Articles = tuple[int | tuple[int, int], ...]


@dataclass(frozen=True)
class LegalRef:
    """Articles of one regulation; a pair (first, last) is a range."""

    regulation: Regulation
    articles: Articles

    @property
    def zh(self) -> str:
        parts = [
            f"第{zh_number(a[0])}条至第{zh_number(a[1])}条"
            if isinstance(a, tuple)
            else f"第{zh_number(a)}条"
            for a in self.articles
        ]
        return f"《{self.regulation.title_zh}》{'、'.join(parts)}"

    @property
    def en(self) -> str:
        parts = [f"{a[0]}–{a[1]}" if isinstance(a, tuple) else str(a) for a in self.articles]
        single = len(self.articles) == 1 and not isinstance(self.articles[0], tuple)
        return f"{self.regulation.title_en}, {'Art.' if single else 'Arts'} {', '.join(parts)}"


@dataclass(frozen=True)
class Business:
    code: str
    term_zh: str
    name: Promise
    category: Category
    summary: Promise
    legal_basis: tuple[LegalRef, ...]
    time_limit_days: int
    applicants: tuple[Applicant, ...]
    fee_fen: int = 0
    time_limit_statutory: bool = True

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def applicant_labels(self) -> list[str]:
        return [str(a.label) for a in self.applicants]


VEHICLE_OWNERS = (Applicant.OWNER, Applicant.COMPANY_AGENT)
HOLDER = (Applicant.HOLDER,)
PLATE_FEE_FEN = 10000  # a pair of small-car plates [U]
CARD_FEE_FEN = 1000  # a vehicle licence or a driving licence [U]
TEMPORARY_PLATE_FEE_FEN = 500  # [U]

_VEHICLE: tuple[Business, ...] = (
    Business(
        code="V01",
        term_zh="号牌号码预选",
        name=_("Plate-number pre-selection"),
        category=Category.VEHICLE,
        summary=_(
            "Choose a number from a random draw of free numbers, or compose one by the published rules;"
            " it is kept for your new vehicle and bound to it at registration, or released if unused in"
            " time."
        ),
        legal_basis=(LegalRef(R164, (43,)),),
        # The system reserves the number at once; the regulation sets no limit.
        time_limit_days=0,
        applicants=VEHICLE_OWNERS,
        time_limit_statutory=False,
    ),
    Business(
        code="V02",
        term_zh="注册登记",
        name=_("First registration of a new vehicle"),
        category=Category.VEHICLE,
        summary=_(
            "Register a new vehicle with its pre-selected number; the office issues the registration"
            " certificate, plates, vehicle licence and the first inspection date."
        ),
        legal_basis=(LegalRef(R164, ((10, 15),)),),
        time_limit_days=2,
        applicants=VEHICLE_OWNERS,
        fee_fen=PLATE_FEE_FEN + CARD_FEE_FEN,
    ),
    Business(
        code="V03",
        term_zh="补领号牌",
        name=_("Replacement of lost or stolen plates"),
        category=Category.VEHICLE,
        summary=_(
            "Report lost or stolen plates; the old plates become void and new plates with the same number"
            " are made and mailed to you."
        ),
        legal_basis=(LegalRef(R164, (51,)),),
        time_limit_days=15,
        applicants=VEHICLE_OWNERS,
        fee_fen=PLATE_FEE_FEN,
    ),
    Business(
        code="V04",
        term_zh="换领号牌",
        name=_("Exchange of damaged plates"),
        category=Category.VEHICLE,
        summary=_("Exchange damaged plates for new ones with the same number."),
        legal_basis=(LegalRef(R164, (51,)),),
        time_limit_days=15,
        applicants=VEHICLE_OWNERS,
        fee_fen=PLATE_FEE_FEN,
    ),
    Business(
        code="V05",
        term_zh="补领行驶证",
        name=_("Replacement of a lost vehicle licence"),
        category=Category.VEHICLE,
        summary=_(
            "Replace a lost vehicle licence; the old one becomes void and a new one is issued."
        ),
        legal_basis=(LegalRef(R164, (52,)),),
        time_limit_days=1,
        applicants=VEHICLE_OWNERS,
        fee_fen=CARD_FEE_FEN,
    ),
    Business(
        code="V06",
        term_zh="换领行驶证",
        name=_("Exchange of a vehicle licence"),
        category=Category.VEHICLE,
        summary=_("Exchange a damaged vehicle licence for a newly issued one."),
        legal_basis=(LegalRef(R164, (52,)),),
        time_limit_days=1,
        applicants=VEHICLE_OWNERS,
        fee_fen=CARD_FEE_FEN,
    ),
    Business(
        code="V07",
        term_zh="补领检验合格标志",
        name=_("Replacement of the inspection sticker"),
        category=Category.VEHICLE,
        summary=_(
            "Replace a lost or damaged inspection sticker while the compulsory insurance is valid;"
            " the sticker is reissued."
        ),
        legal_basis=(LegalRef(R164, (56, 57)),),
        time_limit_days=1,
        applicants=VEHICLE_OWNERS,
    ),
    Business(
        code="V08",
        term_zh="申领免检标志",
        name=_("Inspection-exempt sticker"),
        category=Category.VEHICLE,
        summary=_(
            "Eligible private cars receive the inspection sticker without a station visit; the inspection"
            " validity is extended."
        ),
        legal_basis=(LegalRef(R164, (54, 55, 56)), LegalRef(RI, (16,))),
        time_limit_days=1,
        applicants=VEHICLE_OWNERS,
    ),
    Business(
        code="V09",
        term_zh="延期检验",
        name=_("Extension of inspection"),
        category=Category.VEHICLE,
        summary=_(
            "When the vehicle cannot be inspected in time, for example because it is away from the region,"
            " the inspection due date is moved within the legal maximum."
        ),
        # No article names this deferral; it rests on the inspection duty and periods [U].
        legal_basis=(LegalRef(RTSL, (13,)), LegalRef(RI, (16,))),
        time_limit_days=1,
        applicants=VEHICLE_OWNERS,
        time_limit_statutory=False,
    ),
    Business(
        code="V10",
        term_zh="检验预约",
        name=_("Inspection appointment"),
        category=Category.VEHICLE,
        summary=_(
            "Book a slot at an inspection station; the result of the inspection updates the inspection"
            " validity."
        ),
        legal_basis=(LegalRef(RTSL, (13,)), LegalRef(RI, (15, 16))),
        time_limit_days=0,
        applicants=VEHICLE_OWNERS,
        time_limit_statutory=False,
    ),
    Business(
        code="V11",
        term_zh="变更联系方式",
        name=_("Change of contact details"),
        category=Category.VEHICLE,
        summary=_(
            "File your new phone number or address for your vehicles; the contact details are updated at"
            " once, without review."
        ),
        legal_basis=(LegalRef(R164, (23, 24)),),
        time_limit_days=1,
        applicants=VEHICLE_OWNERS,
    ),
    Business(
        code="V12",
        term_zh="临时号牌",
        name=_("Temporary plates"),
        category=Category.VEHICLE,
        summary=_(
            "Obtain temporary plates for a vehicle that must use the road before registration; they are"
            " valid for a limited period, never beyond the compulsory insurance."
        ),
        legal_basis=(LegalRef(R164, (46, 47)),),
        time_limit_days=1,
        applicants=VEHICLE_OWNERS,
        fee_fen=TEMPORARY_PLATE_FEE_FEN,
    ),
    Business(
        code="V13",
        term_zh="变更登记",
        name=_("Alteration registration"),
        category=Category.VEHICLE,
        summary=_(
            "Register a change of colour, body, engine or the owner's address; the record is altered and"
            " a new vehicle licence issued."
        ),
        # Moving out of the office's area takes 3 working days (Art 18); the engine applies it.
        legal_basis=(LegalRef(R164, ((16, 22),)),),
        time_limit_days=1,
        applicants=VEHICLE_OWNERS,
        fee_fen=CARD_FEE_FEN,
    ),
    Business(
        code="V14",
        term_zh="转让登记",
        name=_("Transfer registration"),
        category=Category.VEHICLE,
        summary=_(
            "The seller starts and the buyer confirms the transfer; the vehicle passes to the new owner and"
            " both owners' records follow."
        ),
        legal_basis=(LegalRef(R164, ((25, 30),)),),
        time_limit_days=1,
        applicants=VEHICLE_OWNERS,
        fee_fen=PLATE_FEE_FEN + CARD_FEE_FEN,
    ),
    Business(
        code="V15",
        term_zh="抵押登记",
        name=_("Mortgage registration"),
        category=Category.VEHICLE,
        summary=_(
            "The owner and the lender register a mortgage; the vehicle is marked mortgaged and cannot be"
            " transferred until the mortgage is released."
        ),
        legal_basis=(LegalRef(R164, (31, 32, 35, 36)),),
        time_limit_days=1,
        applicants=(*VEHICLE_OWNERS, Applicant.MORTGAGEE),
    ),
    Business(
        code="V16",
        term_zh="解除抵押",
        name=_("Mortgage release"),
        category=Category.VEHICLE,
        summary=_("The owner and the lender release a mortgage; the mortgage mark is removed."),
        legal_basis=(LegalRef(R164, (31, 33, 35, 36)),),
        time_limit_days=1,
        applicants=(*VEHICLE_OWNERS, Applicant.MORTGAGEE),
    ),
    Business(
        code="V17",
        term_zh="注销登记",
        name=_("Cancellation of registration"),
        category=Category.VEHICLE,
        summary=_(
            "Cancel the registration of a scrapped, destroyed or exported vehicle; the vehicle is cancelled"
            " and its plates become void."
        ),
        legal_basis=(LegalRef(R164, ((37, 42),)),),
        time_limit_days=1,
        applicants=VEHICLE_OWNERS,
    ),
)

_LICENCE: tuple[Business, ...] = (
    Business(
        code="D01",
        term_zh="驾驶证补领",
        name=_("Replacement of a lost driving licence"),
        category=Category.LICENCE,
        summary=_(
            "Replace a lost driving licence; a new licence is issued and the old one becomes void."
        ),
        legal_basis=(LegalRef(R162, (69, 70)),),
        time_limit_days=1,
        applicants=HOLDER,
        fee_fen=CARD_FEE_FEN,
    ),
    Business(
        code="D02",
        term_zh="期满换证",
        name=_("Renewal of a driving licence"),
        category=Category.LICENCE,
        summary=_(
            "Renew your licence in the 90 days before it expires; the new licence is valid for 6 years,"
            " 10 years or long-term, according to your record."
        ),
        legal_basis=(LegalRef(R162, (63, 68)),),
        time_limit_days=1,
        applicants=HOLDER,
        fee_fen=CARD_FEE_FEN,
    ),
    Business(
        code="D03",
        term_zh="损毁或信息变化换证",
        name=_("Exchange of a damaged licence or after a change of details"),
        category=Category.LICENCE,
        summary=_(
            "Exchange a damaged licence, or one whose details changed, within 30 days; the licence is"
            " reissued."
        ),
        legal_basis=(LegalRef(R162, (66, 68)),),
        time_limit_days=1,
        applicants=HOLDER,
        fee_fen=CARD_FEE_FEN,
    ),
    Business(
        code="D04",
        term_zh="延期换证",
        name=_("Extension of renewal"),
        category=Category.LICENCE,
        summary=_(
            "When military service, a stay abroad or a similar reason prevents renewal, the renewal deadline"
            " is moved by up to 3 years; you may not drive meanwhile."
        ),
        legal_basis=(LegalRef(R162, (75,)),),
        time_limit_days=1,
        applicants=HOLDER,
        time_limit_statutory=False,
    ),
    Business(
        code="D05",
        term_zh="延期审验",
        name=_("Extension of verification"),
        category=Category.LICENCE,
        summary=_(
            "When a valid reason prevents the periodic verification, the verification deadline is moved by"
            " up to 3 years; you may not drive meanwhile."
        ),
        legal_basis=(LegalRef(R162, (72, 75)),),
        time_limit_days=1,
        applicants=HOLDER,
        time_limit_statutory=False,
    ),
    Business(
        code="D06",
        term_zh="提交身体条件证明",
        name=_("Submission of physical-condition proof"),
        category=Category.LICENCE,
        summary=_(
            "Submit the hospital's certificate of your physical condition; the proof is recorded and the"
            " next due date set."
        ),
        legal_basis=(LegalRef(R162, (74, 85)),),
        time_limit_days=1,
        applicants=HOLDER,
        time_limit_statutory=False,
    ),
    Business(
        code="D07",
        term_zh="延期提交身体条件证明",
        name=_("Extension of the physical-condition proof"),
        category=Category.LICENCE,
        summary=_(
            "When a valid reason prevents the physical examination, the due date of the proof is moved by up"
            " to 3 years; you may not drive meanwhile."
        ),
        legal_basis=(LegalRef(R162, (74, 75)),),
        time_limit_days=1,
        applicants=HOLDER,
        time_limit_statutory=False,
    ),
    Business(
        code="D08",
        term_zh="考试预约与取消",
        name=_("Driving-test appointment and cancellation"),
        category=Category.LICENCE,
        summary=_(
            "Book a seat in a test session, or cancel it at least one day before; the results are recorded"
            " on your file."
        ),
        legal_basis=(LegalRef(R162, (39, 43, 44, 46, 47, 52)),),
        # Seats are allocated by the booking queue, confirmed before the test session.
        time_limit_days=0,
        applicants=(Applicant.LEARNER,),
        time_limit_statutory=False,
    ),
    Business(
        code="D09",
        term_zh="驾驶证联系方式变更",
        name=_("Change of licence contact details"),
        category=Category.LICENCE,
        summary=_(
            "File your new phone number or address for your driving licence; the contact details are"
            " updated."
        ),
        legal_basis=(LegalRef(R162, (81,)),),
        time_limit_days=1,
        applicants=HOLDER,
        time_limit_statutory=False,
    ),
    Business(
        code="D10",
        term_zh="主动注销",
        name=_("Cancellation of the licence at the holder's request"),
        category=Category.LICENCE,
        summary=_("Ask the office to cancel your driving licence; the licence is cancelled."),
        # Art 68 sets one day for cancellation on health grounds; the office applies it to every request.
        legal_basis=(LegalRef(R162, (67, 68, 79)),),
        time_limit_days=1,
        applicants=HOLDER,
        time_limit_statutory=False,
    ),
)

_VIOLATIONS: tuple[Business, ...] = (
    Business(
        code="W01",
        term_zh="非现场违法处理",
        name=_("Handling of camera-recorded violations"),
        category=Category.VIOLATIONS,
        summary=_(
            "Handle a violation recorded by a camera, within the online limits; you receive the penalty"
            " decision and the points are recorded in the current cycle."
        ),
        legal_basis=(LegalRef(RP, (5, 19, 20, 52, 58)), LegalRef(R163, (13, 14))),
        # The simple procedure decides on the spot (RP Art 52): same day.
        time_limit_days=0,
        applicants=(*HOLDER, Applicant.OWNER, Applicant.COMPANY_AGENT),
        time_limit_statutory=False,
    ),
    Business(
        code="W02",
        term_zh="罚款缴纳",
        name=_("Fine payment"),
        category=Category.VIOLATIONS,
        summary=_(
            "Pay a fine within 15 days of the decision, with the late-payment surcharge where due; the"
            " payment is recorded and a receipt issued."
        ),
        # The amount is the fine of the decision, not a fee of the office.
        legal_basis=(LegalRef(RTSL, (108, 109)), LegalRef(RP, (60,))),
        time_limit_days=0,
        applicants=(*HOLDER, Applicant.OWNER, Applicant.COMPANY_AGENT),
        time_limit_statutory=False,
    ),
    Business(
        code="W03",
        term_zh="备案非本人机动车",
        name=_("Binding a vehicle that is not your own"),
        category=Category.VIOLATIONS,
        summary=_(
            "With the owner's consent, bind a vehicle you drive but do not own, so you can handle its"
            " violations; the number of such vehicles is limited."
        ),
        # The limit per person and per vehicle is the office's configuration (DOMAIN.md §4) [C2].
        legal_basis=(LegalRef(RP, (5, 20)),),
        time_limit_days=0,
        applicants=HOLDER,
        time_limit_statutory=False,
    ),
    Business(
        code="E01",
        term_zh="学法减分",
        name=_("Learning to reduce points"),
        category=Category.VIOLATIONS,
        summary=_(
            "Study online and pass the test; points are taken off your current cycle, at most 6 per"
            " cycle."
        ),
        legal_basis=(LegalRef(R163, ((25, 27),)),),
        time_limit_days=0,
        applicants=HOLDER,
        time_limit_statutory=False,
    ),
    Business(
        code="E02",
        term_zh="满分教育",
        name=_("Full-score education (online study)"),
        category=Category.VIOLATIONS,
        summary=_(
            "After reaching 12 points, complete the online part of the required study; the hours are"
            " recorded and the exam appointment opens."
        ),
        legal_basis=(LegalRef(R163, ((17, 21),)),),
        time_limit_days=0,
        applicants=HOLDER,
        time_limit_statutory=False,
    ),
    Business(
        code="E03",
        term_zh="审验教育",
        name=_("Verification education"),
        category=Category.VIOLATIONS,
        summary=_(
            "Complete the study that the periodic verification requires; the verification is satisfied."
        ),
        legal_basis=(LegalRef(R162, (72, 73)),),
        time_limit_days=0,
        applicants=HOLDER,
        time_limit_statutory=False,
    ),
)

ALL: tuple[Business, ...] = _VEHICLE + _LICENCE + _VIOLATIONS
BUSINESSES: dict[str, Business] = {b.code: b for b in ALL}
if len(BUSINESSES) != len(ALL):  # pragma: no cover - a duplicated code is a programming error
    raise RuntimeError("business codes must be unique")
