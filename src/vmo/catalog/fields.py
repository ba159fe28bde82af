"""The questions the application forms ask, each defined once."""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from vmo.registry import temporary_plate_rules as temporary_plates
from vmo.registry.choices import Colour, TemporaryPlateCase, UseNature, VehicleType

from .spec import FieldKind, FormField

LOSS_REASON = FormField(
    name="loss_reason",
    label=_("What happened"),
    kind=FieldKind.CHOICE,
    choices=(("lost", _("lost")), ("stolen", _("stolen"))),
)
EXCHANGE_REASON = FormField(
    name="exchange_reason",
    label=_("Why exchange"),
    kind=FieldKind.CHOICE,
    choices=(
        ("damaged", _("the licence is damaged")),
        ("details", _("my name, ID or other details changed")),
    ),
)
DEFERRAL_REASON = FormField(
    name="deferral_reason",
    label=_("Reason"),
    kind=FieldKind.CHOICE,
    choices=(
        ("military", _("military service")),
        ("abroad", _("staying abroad")),
        ("illness", _("serious illness")),
        ("other", _("another reason that prevents attending")),
    ),
)
DEFER_UNTIL = FormField(
    name="defer_until",
    label=_("Defer until"),
    kind=FieldKind.DATE,
    help=_("At most 3 years after the present due date."),
)
INSPECTION_DEFERRAL_REASON = FormField(
    name="deferral_reason",
    label=_("Reason"),
    kind=FieldKind.CHOICE,
    choices=(
        ("away", _("the vehicle is away from the region")),
        ("repair", _("the vehicle is under repair after an accident")),
        ("other", _("another reason that prevents the inspection")),
    ),
)
NEW_PHONE = FormField(
    name="phone",
    label=_("New mobile number"),
    kind=FieldKind.PHONE,
    personal=True,
)
NEW_ADDRESS = FormField(
    name="address",
    label=_("New contact address"),
    required=False,
    personal=True,
)
CANCEL_CONFIRM = FormField(
    name="confirm",
    label=_("I understand that a cancelled licence cannot be used and must be applied for again"),
    kind=FieldKind.CHOICE,
    choices=(("yes", _("yes")),),
)
TEMP_VIN = FormField(
    name="vin",
    label=_("VIN (vehicle identification number)"),
    max_length=17,
    help=_("The 17 characters on the certificate of conformity or the import certificate."),
)
TEMP_CASE = FormField(
    name="temp_case",
    label=_("Why the vehicle needs a temporary plate"),
    kind=FieldKind.CHOICE,
    choices=tuple(TemporaryPlateCase.choices),
    help=format_lazy(
        _(
            "At most {short} days when not yet sold, acquired or sold for export; {months} months"
            " for tests; {oversize} days for an oversize vehicle; never beyond the compulsory"
            " insurance."
        ),
        short=temporary_plates.LONGEST[TemporaryPlateCase.UNSOLD][1],
        months=temporary_plates.LONGEST[TemporaryPlateCase.TESTING][1],
        oversize=temporary_plates.LONGEST[TemporaryPlateCase.OVERSIZE][1],
    ),
)
TEMP_COMPANY = FormField(
    name="company_uscc",
    label=_("Unified social credit code of the company you apply for"),
    required=False,
    max_length=18,
    help=_(
        "Needed for a dealer's unsold vehicle, an export or a test vehicle: you must be the"
        " company's representative or authorised agent on record."
    ),
)
TEMP_FROM = FormField(name="valid_from", label=_("Valid from"), kind=FieldKind.DATE)
TEMP_TO = FormField(name="valid_to", label=_("Valid until"), kind=FieldKind.DATE)

ALTERATION = FormField(
    name="alteration",
    label=_("What changes"),
    kind=FieldKind.CHOICE,
    choices=(
        ("colour", _("the body colour")),
        ("engine", _("the engine")),
        ("body", _("the body or frame")),
    ),
)
NEW_COLOUR = FormField(
    name="new_colour",
    label=_("New colour"),
    kind=FieldKind.CHOICE,
    required=False,
    choices=tuple(Colour.choices),
)
NEW_ENGINE_NUMBER = FormField(
    name="new_engine_number", label=_("New engine number"), required=False, max_length=30
)
BUYER_NAME = FormField(name="buyer_name", label=_("Buyer's name"), max_length=50, personal=True)
BUYER_ID = FormField(
    name="buyer_id_number", label=_("Buyer's ID number"), max_length=18, personal=True
)
LENDER_NAME = FormField(name="lender_name", label=_("Lender (mortgagee)"), max_length=120)
LENDER_USCC = FormField(
    name="lender_uscc", label=_("Lender's unified social credit code"), max_length=18
)
CANCEL_REASON = FormField(
    name="cancel_reason",
    label=_("Why cancel"),
    kind=FieldKind.CHOICE,
    choices=(
        ("scrapped", _("scrapped at a recycling company")),
        ("destroyed", _("destroyed (natural disaster, fire, accident)")),
        ("exported", _("exported or used abroad")),
    ),
)

# First registration (V02): what the manufacturer's certificate (合格证) says.
VIN = FormField(
    name="vin",
    label=_("VIN (vehicle identification number)"),
    max_length=17,
    help=_(
        "The 17 characters on the manufacturer's certificate; the number you reserved is kept for it."
    ),
)
VEHICLE_TYPE = FormField(
    name="vehicle_type",
    label=_("Vehicle type"),
    kind=FieldKind.CHOICE,
    choices=tuple(VehicleType.choices),
)
USE_NATURE = FormField(
    name="use_nature", label=_("Use"), kind=FieldKind.CHOICE, choices=tuple(UseNature.choices)
)
BRAND = FormField(name="brand", label=_("Make"), max_length=40)
MODEL_NAME = FormField(name="model_name", label=_("Model"), max_length=40)
COLOUR = FormField(
    name="colour", label=_("Colour"), kind=FieldKind.CHOICE, choices=tuple(Colour.choices)
)
ENGINE_NUMBER = FormField(name="engine_number", label=_("Engine number"), max_length=30)
MANUFACTURE_DATE = FormField(
    name="manufacture_date", label=_("Date of manufacture"), kind=FieldKind.DATE
)
SEATS = FormField(name="seats", label=_("Seats"), max_length=2)
INSURANCE_UNTIL = FormField(
    name="insurance_valid_until",
    label=_("Compulsory insurance valid until"),
    kind=FieldKind.DATE,
)
