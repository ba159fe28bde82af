"""What each status letter means for the person, what to do about it, and which business resolves it.

Letters and their legal sources (B <- R163 Art 17; J <- R163 Art 29; M/R <- R162
Art 79; N/P/T <- R162 Art 75; S <- R162 Arts 72, 99; vehicle Q <- R164 Art 78, 54).
The names come from registry.choices; this file adds the explanation a citizen needs. Which
business resolves a letter is said by the business itself (`Business.resolves` in the catalogue).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

OK, WARN, BAD = "ok", "warn", "bad"


@dataclass(frozen=True)
class LetterText:
    meaning: Promise
    what_to_do: Promise
    severity: str = BAD


LICENCE_TEXTS: dict[str, LetterText] = {
    "A": LetterText(
        _("The licence is valid and may be used."),
        _("Nothing to do. Keep an eye on the dates on this page."),
        severity=OK,
    ),
    "B": LetterText(
        _(
            "12 points were reached in the current scoring cycle; the licence is withheld (R163 Art 17)."
        ),
        _("Do the full-score education, pass the exam and pay every fine to get the licence back."),
    ),
    "C": LetterText(
        _("The licence file was transferred to another vehicle management office."),
        _("Do licence business at the office that now holds the file."),
        severity=WARN,
    ),
    "D": LetterText(
        _("The licence is suspended for a period by a penalty decision."),
        _("Do not drive until the suspension ends, then collect the licence."),
    ),
    "E": LetterText(
        _("The driving permit was annulled because it was obtained improperly."),
        _("You may not drive. You may apply again only after the period set in the decision."),
    ),
    "F": LetterText(
        _("The licence was revoked by a penalty decision."),
        _("You may not drive. You may apply again only after the period set in the decision."),
    ),
    "G": LetterText(
        _("The licence is cancelled (R162 Art 79)."),
        _("You may not drive. Ask the office whether and how it can be restored."),
    ),
    "H": LetterText(
        _("Traffic violations on record have not been handled."),
        _("Handle the violations and pay the fines."),
        severity=WARN,
    ),
    "I": LetterText(
        _("A traffic accident involving you has not been processed."),
        _("Contact the traffic police unit that handles the accident."),
        severity=WARN,
    ),
    "J": LetterText(
        _(
            "Full-score education was not attended within 30 days of the notice, so the licence was announced as stopped from use (R163 Art 29)."
        ),
        _("Do not drive. Do the full-score education and pass the exam."),
    ),
    "K": LetterText(
        _("The licence is seized, or held to assist an investigation."),
        _("Contact the office that seized the licence."),
    ),
    "L": LetterText(
        _("The licence is locked; business on it is blocked."),
        _("Contact the office to learn the reason and how to unlock it."),
    ),
    "M": LetterText(
        _(
            "The validity has ended and the licence was not renewed. More than one year after expiry it is cancelled (R162 Art 79)."
        ),
        _("Do not drive. Apply for renewal now, with a physical-condition proof."),
    ),
    "N": LetterText(
        _("Renewal is deferred (R162 Art 75). You may not drive during the deferral."),
        _("Renew the licence before the deferral ends."),
        severity=WARN,
    ),
    "P": LetterText(
        _(
            "Submission of the physical-condition proof is deferred (R162 Art 75). You may not drive during the deferral."
        ),
        _("Submit the physical-condition proof before the deferral ends."),
        severity=WARN,
    ),
    "R": LetterText(
        _("The licence is cancelled but can still be restored (R162 Art 79)."),
        _("Submit the physical-condition proof, or pass the theory test, to restore it."),
    ),
    "S": LetterText(
        _("Verification was not done in time (R162 Arts 72, 99). Driving now is fined."),
        _("Do not drive. Complete the verification education and the verification."),
    ),
    "T": LetterText(
        _("Verification is deferred (R162 Art 75). You may not drive during the deferral."),
        _("Complete the verification before the deferral ends."),
        severity=WARN,
    ),
    "U": LetterText(
        _("The licence was withheld, for example on the road after a violation."),
        _(
            "Handle the violation within 15 days, otherwise the licence may be revoked (RTSL Art 110)."
        ),
    ),
    "Z": LetterText(
        _("Another restriction is on record."),
        _("Contact the office for details."),
        severity=WARN,
    ),
}


VEHICLE_TEXTS: dict[str, LetterText] = {
    "A": LetterText(
        _("No restriction is on record for this vehicle."),
        _("Nothing to do. Keep the inspection and the compulsory insurance valid."),
        severity=OK,
    ),
    "B": LetterText(
        _("The vehicle's file was transferred to another vehicle management office."),
        _("Do vehicle business at the office that now holds the file."),
        severity=WARN,
    ),
    "C": LetterText(
        _("The vehicle is reported stolen or robbed; all business on it stops (R164 Art 76)."),
        _("Tell the police at once if you find the vehicle."),
    ),
    "D": LetterText(
        _("The vehicle is registered as laid up."),
        _("Contact the office before using the vehicle on the road again."),
        severity=WARN,
    ),
    "E": LetterText(
        _("The registration is cancelled; the vehicle may not be driven on the road."),
        _("Nothing to do unless you believe this is a mistake; then contact the office."),
    ),
    "G": LetterText(
        _("Traffic violations recorded for this vehicle have not been handled."),
        _("Handle the violations and pay the fines."),
        severity=WARN,
    ),
    "H": LetterText(
        _("The vehicle is under customs control; transfer and some business are blocked."),
        _("Contact the customs office that supervises the vehicle."),
        severity=WARN,
    ),
    "I": LetterText(
        _("A traffic accident involving this vehicle has not been processed."),
        _("Contact the traffic police unit that handles the accident."),
        severity=WARN,
    ),
    "J": LetterText(
        _("The vehicle is flagged as a suspect vehicle."),
        _("Contact the office to clear the matter."),
    ),
    "K": LetterText(
        _("The vehicle is sealed by a court or another authority; transfer is blocked."),
        _("Contact the authority that sealed the vehicle."),
    ),
    "L": LetterText(
        _("The vehicle is detained by the police."),
        _("Settle the matter for which it was detained, then collect the vehicle."),
    ),
    "M": LetterText(
        _(
            "The registration was cancelled compulsorily, for example after three inspection cycles were missed (R164 Art 40)."
        ),
        _("The vehicle may not be driven. Hand it to a licensed scrapping company."),
    ),
    "N": LetterText(
        _("The vehicle is recorded as involved in a hit-and-run."),
        _("Contact the traffic police at once."),
    ),
    "O": LetterText(
        _("The vehicle is locked; business on it is blocked."),
        _("Contact the office to learn the reason and how to unlock it."),
    ),
    "P": LetterText(
        _(
            "The vehicle reached the scrapping standard; its certificates and plates were announced void (R164 Art 41)."
        ),
        _("Do not drive it. Hand it to a scrapping company and cancel the registration."),
    ),
    "Q": LetterText(
        _(
            "The inspection validity has ended (R164 Art 78). Three missed cycles lead to compulsory scrapping."
        ),
        _("Book an inspection at a station and get the inspection sticker."),
        severity=WARN,
    ),
    "Z": LetterText(
        _("Another restriction is on record."),
        _("Contact the office for details."),
        severity=WARN,
    ),
}


# Next steps: kind -> message. %(date)s is the due date; %(vehicle)s the plate (or make and model).
STEP_TEXTS: dict[str, Promise] = {
    "renewal_overdue": _(
        "Your licence expired on %(date)s. Renew it now: more than a year after expiry it is cancelled."
    ),
    "renewal_window": _("Your licence expires on %(date)s. You can apply for renewal now."),
    "verification_overdue": _("Verification was due on %(date)s and is overdue."),
    "verification_due": _("Verification is due by %(date)s."),
    "physical_overdue": _("Your physical-condition proof was due on %(date)s and is overdue."),
    "physical_due": _("Submit your physical-condition proof by %(date)s."),
    "full_score": _(
        "You reached %(points)s points in this cycle. Do the full-score education to get your licence back."
    ),
    "points_warning": _(
        "You have %(points)s points in this cycle; at 12 the licence is withheld. Learning to reduce points can remove up to 6 points a cycle."
    ),
    "probation": _(
        "Your probation period ends on %(date)s. Until then, show the probation sign and do not drive on expressways alone."
    ),
    "inspection_overdue": _(
        "The inspection of %(vehicle)s expired on %(date)s. Book an inspection now."
    ),
    "inspection_window": _(
        "The inspection of %(vehicle)s is valid until %(date)s. You can apply for it now."
    ),
    "violations": _("%(vehicle)s has %(count)s unhandled violations, fines %(fines)s in total."),
    "insurance_expired": _(
        "The compulsory insurance of %(vehicle)s ended on %(date)s. Do not drive it until it is insured again."
    ),
    "insurance_ending": _(
        "The compulsory insurance of %(vehicle)s ends on %(date)s. Renew it with your insurer."
    ),
    "temporary_plate_ending": _(
        "Temporary plate %(plate)s is valid until %(date)s. Register the vehicle, or apply for"
        " another temporary plate if its case allows."
    ),
}
