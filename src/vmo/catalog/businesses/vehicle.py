"""Vehicle businesses (R164)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .. import conditions as C
from .. import fields as F
from .. import materials as M
from .. import temporary_plate_conditions as TC
from ..spec import Review, Subject
from .base import (
    CARD_FEE_FEN,
    PLATE_FEE_FEN,
    R164,
    RI,
    RTSL,
    TEMPORARY_PLATE_FEE_FEN,
    VEHICLE_OWNERS,
    Applicant,
    Business,
    Category,
    LegalRef,
)

VEHICLE: tuple[Business, ...] = (
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
        online="plates:index",
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
        subject=Subject.NEW_VEHICLE,
        conditions=(C.VIN_NEW, C.NUMBER_RESERVED, C.NEW_VEHICLE_DATA),
        materials=(M.CONFORMITY_CERTIFICATE, M.PURCHASE_INVOICE, M.INSURANCE_REQUIRED),
        fields=(
            F.VIN,
            F.VEHICLE_TYPE,
            F.USE_NATURE,
            F.BRAND,
            F.MODEL_NAME,
            F.COLOUR,
            F.ENGINE_NUMBER,
            F.MANUFACTURE_DATE,
            F.SEATS,
            F.INSURANCE_UNTIL,
        ),
        issues=(_("number plates"), _("vehicle licence"), _("registration certificate")),
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
        subject=Subject.VEHICLE,
        conditions=(C.VEHICLE_ACTIVE,),
        materials=(M.LOSS_STATEMENT,),
        fields=(F.LOSS_REASON,),
        issues=(_("number plates"),),
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
        subject=Subject.VEHICLE,
        conditions=(C.VEHICLE_ACTIVE,),
        materials=(M.DAMAGED_ITEM_PHOTO,),
        issues=(_("number plates"),),
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
        subject=Subject.VEHICLE,
        conditions=(C.VEHICLE_ACTIVE,),
        materials=(M.LOSS_STATEMENT,),
        fields=(F.LOSS_REASON,),
        issues=(_("vehicle licence"),),
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
        subject=Subject.VEHICLE,
        conditions=(C.VEHICLE_ACTIVE,),
        materials=(M.DAMAGED_ITEM_PHOTO,),
        issues=(_("vehicle licence"),),
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
        subject=Subject.VEHICLE,
        conditions=(C.VEHICLE_ACTIVE, C.INSPECTION_VALID, C.INSURANCE_VALID),
        review=Review.AUTOMATIC,
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
        subject=Subject.VEHICLE,
        conditions=(
            C.VEHICLE_ACTIVE,
            C.EXEMPT_ELIGIBLE,
            C.INSPECTION_WINDOW,
            C.NO_UNHANDLED_VIOLATIONS,
            C.INSURANCE_VALID,
        ),
        review=Review.AUTOMATIC,
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
        subject=Subject.VEHICLE,
        conditions=(
            C.VEHICLE_ACTIVE,
            C.defer_limit("defer_limit", "inspection_valid_until", 6, LegalRef(R164, (54,))),
        ),
        materials=(M.REASON_PROOF,),
        fields=(F.INSPECTION_DEFERRAL_REASON, F.DEFER_UNTIL),
    ),
    Business(
        code="V10",
        resolves=("vehicle:Q", "step:inspection_overdue", "step:inspection_window"),
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
        online="appointments:mine",
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
        subject=Subject.VEHICLE,
        conditions=(C.VEHICLE_ACTIVE,),
        fields=(F.NEW_PHONE, F.NEW_ADDRESS),
        review=Review.AUTOMATIC,
    ),
    Business(
        code="V12",
        resolves=("step:temporary_plate_ending",),
        term_zh="临时号牌",
        name=_("Temporary plates"),
        category=Category.VEHICLE,
        summary=_(
            "Obtain a temporary plate for a vehicle that has no plates yet and must use the road: a"
            " dealer's unsold vehicle, one bought or acquired and not yet registered, a new vehicle"
            " for export, a test vehicle or an oversize one. It is valid for a limited period set by"
            " the case, never beyond the compulsory insurance."
        ),
        legal_basis=(LegalRef(R164, (46, 47)),),
        time_limit_days=1,
        applicants=VEHICLE_OWNERS,
        fee_fen=TEMPORARY_PLATE_FEE_FEN,
        subject=Subject.NEW_VEHICLE,
        conditions=TC.TEMP_CONDITIONS,
        materials=(
            M.INSURANCE_REQUIRED,
            M.TEMP_CONFORMITY,
            M.TEMP_ORIGIN,
            M.TEMP_SAFETY_CHECK,
            M.TEMP_EXPORT_PROOF,
            M.TEMP_TEST_REQUEST,
        ),
        fields=(
            F.TEMP_VIN,
            F.TEMP_CASE,
            F.TEMP_COMPANY,
            F.TEMP_FROM,
            F.TEMP_TO,
            F.INSURANCE_UNTIL,
        ),
        issues=(_("temporary plate"),),
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
        subject=Subject.VEHICLE,
        conditions=(C.VEHICLE_ACTIVE, C.ALTERATION_COMPLETE),
        materials=(M.VEHICLE_PHOTO, M.INSPECTION_RECORD),
        fields=(F.ALTERATION, F.NEW_COLOUR, F.NEW_ENGINE_NUMBER),
        issues=(_("vehicle licence"),),
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
        subject=Subject.VEHICLE,
        conditions=(
            C.VEHICLE_ACTIVE,
            C.NO_UNHANDLED_VIOLATIONS,
            C.NOT_MORTGAGED,
            C.INSPECTION_VALID,
            C.BUYER_CONFIRMED,
        ),
        materials=(M.TRANSFER_PROOF,),
        fields=(F.BUYER_NAME, F.BUYER_ID),
        counterparty_field="buyer_id_number",
        issues=(_("vehicle licence"),),
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
        subject=Subject.VEHICLE,
        conditions=(C.VEHICLE_ACTIVE, C.NOT_MORTGAGED, C.LENDER_VALID),
        materials=(M.MORTGAGE_CONTRACT,),
        fields=(F.LENDER_NAME, F.LENDER_USCC),
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
        subject=Subject.VEHICLE,
        conditions=(C.MORTGAGED,),
        materials=(M.RELEASE_STATEMENT,),
    ),
    Business(
        code="V17",
        resolves=("vehicle:P",),
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
        subject=Subject.VEHICLE,
        conditions=(C.VEHICLE_ACTIVE, C.NOT_MORTGAGED, C.SCRAP_CERTIFICATE, C.NOT_FOR_AGENTS),
        materials=(M.RECYCLING_CERTIFICATE,),
        fields=(F.CANCEL_REASON,),
    ),
)
