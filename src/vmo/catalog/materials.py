"""The materials the businesses ask for, each defined once with its check and an example."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .spec import FileKind, Material

# GA/T 1193-2014 licence photo: 32 mm × 22 mm head-and-shoulders, white background; 358 × 441
# pixels is the usual digital size [U: the office confirms].
LICENCE_PHOTO = Material(
    code="photo",
    name=_("Photo for the licence"),
    description=_(
        "A recent colour head-and-shoulders photo, facing forward, white background, no hat,"
        " taken within the last 6 months."
    ),
    example=_("A JPEG of at least 358 × 441 pixels, portrait."),
    kinds=(FileKind.IMAGE,),
    max_bytes=2 * 1024 * 1024,
    min_pixels=(358, 441),
    aspect=358 / 441,
)

MEDICAL_CERTIFICATE = Material(
    code="medical",
    name=_("Physical-condition certificate"),
    description=_(
        "The certificate of a county-level or higher hospital or an approved health-check"
        " institution; valid for 6 months from its date (R162 Art 85)."
    ),
    example=_("A scan or photo of the certificate, with its date visible."),
    issued_within_months=6,
)

REASON_PROOF = Material(
    code="reason_proof",
    name=_("Proof of the reason"),
    description=_(
        "A document proving why you cannot attend in time: military service certificate, visa"
        " or residence permit abroad, hospital record, or similar."
    ),
    example=_("A scan of the certificate or of the passport pages with the visa."),
)

DAMAGED_ITEM_PHOTO = Material(
    code="damaged_photo",
    name=_("Photo of the damaged item"),
    description=_("A photo showing the damaged plate, licence or sticker."),
    example=_("A clear photo, the number readable."),
    kinds=(FileKind.IMAGE,),
)

LOSS_STATEMENT = Material(
    code="loss_statement",
    name=_("Signed statement of loss"),
    description=_("Your signed statement of when and where the item was lost or stolen."),
    example=_("A photo or scan of the signed statement (the model form on the guide page)."),
    required=False,
)

INSURANCE_POLICY = Material(
    code="insurance",
    name=_("Compulsory insurance policy (交强险)"),
    description=_("The electronic policy of the vehicle's compulsory traffic insurance."),
    example=_("The insurer's electronic policy as PDF."),
    kinds=(FileKind.PDF, FileKind.IMAGE),
    required=False,
)

VEHICLE_PHOTO = Material(
    code="vehicle_photo",
    name=_("Photo of the vehicle after the change"),
    description=_(
        "A photo of the vehicle from the front at 45°, the plate and the new colour visible."
    ),
    example=_("A JPEG taken in daylight."),
    kinds=(FileKind.IMAGE,),
)
INSPECTION_RECORD = Material(
    code="inspection_record",
    name=_("Vehicle check record (查验记录表)"),
    description=_(
        "The record of the check of the vehicle by an inspection station; needed for an engine or"
        " body change (R164 Art 17)."
    ),
    example=_("A scan of the signed record."),
    required=False,
)
MORTGAGE_CONTRACT = Material(
    code="contract",
    name=_("Mortgage contract"),
    description=_("The mortgage contract signed by the owner and the lender."),
    example=_("The signed contract as one PDF."),
    kinds=(FileKind.PDF,),
    max_bytes=10 * 1024 * 1024,
)
RELEASE_STATEMENT = Material(
    code="release",
    name=_("Lender's release statement"),
    description=_("The lender's statement that the debt is settled and the mortgage released."),
    example=_("The statement with the lender's seal, as PDF."),
    kinds=(FileKind.PDF,),
)
RECYCLING_CERTIFICATE = Material(
    code="recycling",
    name=_("Recycling certificate (报废机动车回收证明)"),
    description=_("The certificate of the licensed recycling company; needed when scrapped."),
    example=_("A scan of the certificate."),
    required=False,
)
TRANSFER_PROOF = Material(
    code="sale_proof",
    name=_("Proof of the sale"),
    description=_("The invoice of a used-car market, or the sale contract signed by both parties."),
    example=_("A scan of the invoice or contract."),
)

CONFORMITY_CERTIFICATE = Material(
    code="conformity",
    name=_("Manufacturer's certificate of conformity (合格证)"),
    description=_("The certificate that comes with a new vehicle, with its VIN and engine number."),
    example=_("A photo of the certificate, every field readable."),
)
PURCHASE_INVOICE = Material(
    code="invoice",
    name=_("Purchase invoice"),
    description=_("The unified invoice for the sale of a motor vehicle (机动车销售统一发票)."),
    example=_("The electronic invoice as PDF."),
)
INSURANCE_REQUIRED = Material(
    code="insurance",
    name=_("Compulsory insurance policy (交强险)"),
    description=_("The electronic policy of the vehicle's compulsory traffic insurance."),
    example=_("The insurer's electronic policy as PDF."),
)

# A temporary plate's documents (R164 Art 47 para 1). Which of them a case needs is the rule of
# registry.temporary_plate_rules (CASE_MATERIALS), checked by the conditions; here each is
# optional so the form offers them all.
TEMP_CONFORMITY = Material(
    code="conformity",
    name=_("Certificate of conformity (合格证) or import certificate"),
    description=_(
        "The manufacturer's certificate of conformity, or for an imported vehicle its import"
        " certificate; needed unless the vehicle is for export or under tests."
    ),
    example=_("A photo of the certificate, the VIN readable."),
    required=False,
)
TEMP_ORIGIN = Material(
    code="origin",
    name=_("Proof of origin (purchase invoice, allocation or gift document)"),
    description=_(
        "How you acquired the vehicle: the sales invoice (机动车销售统一发票), or the allocation or"
        " gift document; needed for a vehicle bought or acquired and not yet registered."
    ),
    example=_("The electronic invoice as PDF."),
    required=False,
)
TEMP_SAFETY_CHECK = Material(
    code="safety_check",
    name=_("Safety inspection certificate"),
    description=_(
        "The safety inspection certificate of an inspection station, or the manufacturer's own;"
        " needed for an export or a test vehicle."
    ),
    example=_("A scan of the certificate."),
    required=False,
)
TEMP_EXPORT_PROOF = Material(
    code="export_proof",
    name=_("Export proof"),
    description=_("The document showing the new vehicle is sold for export."),
    example=_("A scan of the export contract or declaration."),
    required=False,
)
TEMP_TEST_REQUEST = Material(
    code="test_request",
    name=_("Written request for the tests"),
    description=_(
        "The company's signed request naming the research or type-approval tests and why the"
        " vehicle must use the road."
    ),
    example=_("The signed request as PDF."),
    kinds=(FileKind.PDF,),
    required=False,
)
