"""The penalty decision (公安交通管理简易程序处罚决定书) as a PDF letter, in the reader's language.

What it must say: the facts, the legal basis, the penalty with its points (R163 Art 13), how
and by when to pay and what follows if not (RTSL Arts 108-109, RP Art 60), and the rights of
appeal with their time limits (行政复议法 Art 20: 60 days; 行政诉讼法 Art 46: 6 months).
"""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.masking import mask_id_number
from vmo.core.money import format_fen
from vmo.core.pdf import render_letter
from vmo.core.selectors import office_config

from .models import PenaltyDecision, Violation
from .rules import LATE_FEE_PERMILLE


def _office_name() -> str:
    config = office_config()
    return (
        config.office_name_en if (get_language() or "").startswith("en") else config.office_name_zh
    )


def _description(violation: Violation) -> str:
    code = violation.code
    english = (get_language() or "").startswith("en")
    return code.description_en if english else code.description_zh


def decision_pdf(decision: PenaltyDecision) -> bytes:
    violation = decision.violation
    holder = decision.licence.holder
    when = clock.local(violation.occurred_at)
    party = [
        _("Name: %(name)s") % {"name": holder.name},
        _("ID number: %(id)s") % {"id": mask_id_number(holder.id_number)},
        _("Driver's licence file number: %(number)s")
        % {"number": mask_id_number(decision.licence.file_number)},
    ]
    facts = [
        _("Time: %(time)s") % {"time": f"{when:%Y-%m-%d %H:%M}"},
        _("Place: %(place)s") % {"place": violation.place},
        _("Vehicle: %(plate)s") % {"plate": violation.plate_number},
        _("Violation: %(code)s %(description)s")
        % {"code": violation.code.code, "description": _description(violation)},
        _("Recorded by traffic camera %(device)s (record %(record)s).")
        % {"device": violation.device or "-", "record": violation.record_id},
    ]
    if violation.speed_kmh and violation.limit_kmh:
        facts.append(
            _("Measured speed %(speed)d km/h where the limit is %(limit)d km/h.")
            % {"speed": violation.speed_kmh, "limit": violation.limit_kmh}
        )
    if violation.evidence:
        facts.append(_("Evidence: %(refs)s") % {"refs": ", ".join(map(str, violation.evidence))})
    basis = [
        violation.code.legal_basis,
        _(
            "Decided under the simple procedure of Article 52 of the Provisions on the Procedures"
            " for Handling Road Traffic Safety Violations; points under Article 13 of the Measures"
            " on Points for Road Traffic Safety Violations."
        ),
    ]
    penalty = [
        _("Fine: %(fine)s") % {"fine": format_fen(decision.fine_fen)},
        _("Points: %(points)d") % {"points": decision.points},
    ]
    per_cent = LATE_FEE_PERMILLE // 10
    payment = [
        _(
            "Pay the fine by %(due)s through the online service platform or at a designated bank"
            " (Road Traffic Safety Law, Article 108)."
        )
        % {"due": f"{decision.payment_due:%Y-%m-%d}"},
        _(
            "If it is not paid by then, a late fee of %(pc)d%% of the fine is added for each day,"
            " never more in total than the fine itself (Road Traffic Safety Law, Article 109;"
            " Procedures, Article 60), and the office may apply to the court for enforcement."
        )
        % {"pc": per_cent},
    ]
    if decision.paid_at:
        payment.append(
            _("Paid %(amount)s on %(day)s.")
            % {
                "amount": format_fen(decision.paid_fen),
                "day": f"{clock.local(decision.paid_at):%Y-%m-%d}",
            }
        )
    rights = [
        _(
            "If you disagree with this decision, you may apply for administrative reconsideration"
            " to the people's government at the same level or to the public security organ at the"
            " next level up within 60 days of receiving it, or bring an administrative lawsuit in"
            " a people's court within 6 months of receiving it."
        ),
        _(
            "Reconsideration or a lawsuit does not suspend the decision, except as the law provides."
        ),
    ]
    return render_letter(
        title=_("Road traffic penalty decision (simple procedure)"),
        office_name=_office_name(),
        reference=_("No. %(number)s") % {"number": decision.number},
        sections=[
            (_("Party"), party),
            (_("Facts"), facts),
            (_("Legal basis"), basis),
            (_("Decision"), penalty),
            (_("Payment"), payment),
            (_("Rights of appeal"), rights),
        ],
        footer=_(
            "Decided on %(day)s and served electronically through the online service platform"
            " the same day (Procedures, Article 56). Valid without a seal. Printed %(time)s."
        )
        % {
            "day": f"{clock.local(decision.decided_at):%Y-%m-%d}",
            "time": f"{clock.now():%Y-%m-%d %H:%M}",
        },
    )
