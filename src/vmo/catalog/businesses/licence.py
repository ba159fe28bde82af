"""Driving-licence businesses (R162)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .. import conditions as C
from .. import fields as F
from .. import materials as M
from ..spec import Review, Subject
from .base import (
    CARD_FEE_FEN,
    HOLDER,
    R162,
    Applicant,
    Business,
    Category,
    LegalRef,
)

LICENCE: tuple[Business, ...] = (
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
        subject=Subject.LICENCE,
        conditions=(C.LICENCE_ALIVE, C.NOT_SEIZED_OR_SUSPENDED),
        materials=(M.LICENCE_PHOTO, M.LOSS_STATEMENT),
        fields=(F.LOSS_REASON,),
        issues=(_("driving licence"),),
    ),
    Business(
        code="D02",
        resolves=("licence:M", "licence:N", "step:renewal_overdue", "step:renewal_window"),
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
        subject=Subject.LICENCE,
        conditions=(
            C.LICENCE_ALIVE,
            C.NOT_SEIZED_OR_SUSPENDED,
            C.RENEWAL_WINDOW,
            C.BELOW_FULL_SCORE,
        ),
        materials=(M.LICENCE_PHOTO, M.MEDICAL_CERTIFICATE),
        issues=(_("driving licence"),),
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
        subject=Subject.LICENCE,
        conditions=(C.LICENCE_ALIVE, C.NOT_SEIZED_OR_SUSPENDED),
        materials=(M.LICENCE_PHOTO,),
        fields=(F.EXCHANGE_REASON,),
        issues=(_("driving licence"),),
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
        subject=Subject.LICENCE,
        conditions=(
            C.LICENCE_ALIVE,
            C.DEFER_RENEWAL_WINDOW,
            C.defer_limit("defer_limit", "valid_to", 36, LegalRef(R162, (75,))),
        ),
        materials=(M.REASON_PROOF,),
        fields=(F.DEFERRAL_REASON, F.DEFER_UNTIL),
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
        subject=Subject.LICENCE,
        conditions=(
            C.LICENCE_ALIVE,
            C.VERIFICATION_REQUIRED,
            C.defer_limit("defer_limit", "verification_due", 36, LegalRef(R162, (75,))),
        ),
        materials=(M.REASON_PROOF,),
        fields=(F.DEFERRAL_REASON, F.DEFER_UNTIL),
    ),
    Business(
        code="D06",
        resolves=("licence:P", "licence:R", "step:physical_overdue", "step:physical_due"),
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
        subject=Subject.LICENCE,
        conditions=(C.LICENCE_ALIVE, C.PHYSICAL_REQUIRED),
        materials=(M.MEDICAL_CERTIFICATE,),
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
        subject=Subject.LICENCE,
        conditions=(
            C.LICENCE_ALIVE,
            C.PHYSICAL_REQUIRED,
            C.defer_limit("defer_limit", "physical_due", 36, LegalRef(R162, (75,))),
        ),
        materials=(M.REASON_PROOF,),
        fields=(F.DEFERRAL_REASON, F.DEFER_UNTIL),
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
        online="appointments:sessions",
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
        subject=Subject.LICENCE,
        conditions=(C.LICENCE_ALIVE,),
        fields=(F.NEW_PHONE, F.NEW_ADDRESS),
        review=Review.AUTOMATIC,
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
        subject=Subject.LICENCE,
        conditions=(C.LICENCE_ALIVE, C.NOT_SEIZED_OR_SUSPENDED),
        fields=(F.CANCEL_CONFIRM,),
    ),
)
