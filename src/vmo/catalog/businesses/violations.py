"""Violations and education businesses (RP, R163, R162)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .base import (
    HOLDER,
    R162,
    R163,
    RP,
    RTSL,
    Applicant,
    Business,
    Category,
    LegalRef,
)

VIOLATIONS: tuple[Business, ...] = (
    Business(
        code="W01",
        resolves=("licence:H", "licence:U", "vehicle:G", "step:violations"),
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
        online="violations:list",
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
        online="violations:list",
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
        # The limit per person and per vehicle is the office's configuration, not the law's [C2].
        legal_basis=(LegalRef(RP, (5, 20)),),
        time_limit_days=0,
        applicants=HOLDER,
        time_limit_statutory=False,
        online="violations:bindings",
    ),
    Business(
        code="E01",
        resolves=("step:points_warning",),
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
        online="education:index",
    ),
    Business(
        code="E02",
        resolves=("licence:B", "licence:J", "step:full_score"),
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
        online="education:index",
    ),
    Business(
        code="E03",
        resolves=("licence:S", "licence:T", "step:verification_overdue", "step:verification_due"),
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
        online="education:index",
    ),
)
