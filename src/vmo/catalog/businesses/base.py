"""Every business the office handles online, defined once (docs/catalogue.md; the rules in docs/legal-rules.md).

A business is a frozen value, not a database row: the law fixes what it is, its basis and its
time limit, and a change of those is a code change that is reviewed and tested. The application
engine grows this by adding fields with defaults (materials, conditions, procedure steps), so
the definitions below keep working.

Time limits are the office's limits in working days (R164 Art 92, R162 Art 110, RP Art 81).
Where the regulation names no limit, the office sets its own service standard and
``time_limit_statutory`` is False, so the guide can say which is which.

Fees: the law leaves amounts to local configuration. The card fees below are the national
standard of 发改价格〔2004〕2831号 as commonly published [U: the office confirms the current local
amounts]; a business with no fee of its own has 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..spec import Condition, FormField, Material, Review, Subject


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
    # How it is done online (spec.py). A business whose `online` is "engine" is applied for
    # through the application engine; otherwise `online` names the page of the app that runs it.
    online: str = "engine"
    subject: Subject = Subject.NONE
    conditions: tuple[Condition, ...] = ()
    materials: tuple[Material, ...] = ()
    fields: tuple[FormField, ...] = ()
    review: Review = Review.OFFICER
    # The documents the office issues and hands over (pick-up or mail), e.g. a new licence.
    issues: tuple[Promise, ...] = ()
    # A two-party business: the form field holding the other party's ID number; that person
    # confirms from their own account (a transfer's buyer).
    counterparty_field: str = ""
    # Steps in the applicant's words, for the guide; the engine's generic steps if empty.
    procedure: tuple[Promise, ...] = ()
    # What on a person's status page this business resolves: "licence:<letter>",
    # "vehicle:<letter>" or "step:<next-step kind>". The status page links the business from
    # there, so a new business that clears a status says so here and nowhere else.
    resolves: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def via_engine(self) -> bool:
        return self.online == "engine"

    @property
    def applicant_labels(self) -> list[str]:
        return [str(a.label) for a in self.applicants]

    def legal_ref(self, title_zh: str) -> LegalRef | None:
        """The business's own reference (its legal basis, a condition's) cited as
        ``title_zh``: a correction's or a refusal's basis is kept as the Chinese title the
        letter cites, and an English reader is shown the English one beside it. None for a
        basis the officer typed."""
        refs = [*self.legal_basis, *(c.basis for c in self.conditions)]
        return next((ref for ref in refs if ref.zh == title_zh), None)


VEHICLE_OWNERS = (Applicant.OWNER, Applicant.COMPANY_AGENT)
HOLDER = (Applicant.HOLDER,)
PLATE_FEE_FEN = 10000  # a pair of small-car plates [U]
CARD_FEE_FEN = 1000  # a vehicle licence or a driving licence [U]
TEMPORARY_PLATE_FEE_FEN = 500  # [U]
