"""Code tables of the records (GA 24 / GA 802 style codes; the status letters of R162 and R164)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class LicenceClass(models.TextChoices):
    A1 = "A1", _("A1 large bus")
    A2 = "A2", _("A2 heavy tractor-trailer")
    A3 = "A3", _("A3 city bus")
    B1 = "B1", _("B1 medium bus")
    B2 = "B2", _("B2 large truck")
    C1 = "C1", _("C1 small car")
    C2 = "C2", _("C2 small automatic car")
    C3 = "C3", _("C3 low-speed truck")
    C4 = "C4", _("C4 three-wheeled car")
    C5 = "C5", _("C5 small automatic car for the disabled")
    C6 = "C6", _("C6 light tractor-trailer")
    D = "D", _("D three-wheeled motorcycle")
    E = "E", _("E two-wheeled motorcycle")
    F = "F", _("F light motorcycle")
    M = "M", _("M wheeled machinery")
    N = "N", _("N trolleybus")
    P = "P", _("P tram")


# Classes whose holders verify every scoring cycle (R162 Art 71): large bus, heavy tractor,
# city bus, medium bus, large truck.
LARGE_CLASSES = frozenset({"A1", "A2", "A3", "B1", "B2"})


class LicenceStatus(models.TextChoices):
    NORMAL = "A", _("normal")
    FULL_SCORE = "B", _("full score reached")
    TRANSFERRED_OUT = "C", _("transferred out")
    SUSPENDED = "D", _("suspended")
    ANNULLED = "E", _("permit annulled")
    REVOKED = "F", _("revoked")
    CANCELLED = "G", _("cancelled")
    VIOLATIONS_UNHANDLED = "H", _("violations not handled")
    ACCIDENT_UNHANDLED = "I", _("accident not handled")
    STOPPED = "J", _("stopped from use")
    SEIZED = "K", _("seized")
    LOCKED = "L", _("locked")
    RENEWAL_OVERDUE = "M", _("renewal overdue")
    RENEWAL_DEFERRED = "N", _("renewal deferred")
    PHYSICAL_DEFERRED = "P", _("physical-condition proof deferred")
    CANCELLED_RESTORABLE = "R", _("cancelled, restorable")
    VERIFICATION_OVERDUE = "S", _("verification overdue")
    VERIFICATION_DEFERRED = "T", _("verification deferred")
    WITHHELD = "U", _("withheld")
    OTHER = "Z", _("other")


class VehicleStatus(models.TextChoices):
    NORMAL = "A", _("normal")
    TRANSFERRED_OUT = "B", _("transferred out")
    STOLEN = "C", _("stolen or robbed")
    LAID_UP = "D", _("laid up")
    CANCELLED = "E", _("cancelled")
    VIOLATIONS_UNHANDLED = "G", _("violations not handled")
    CUSTOMS = "H", _("under customs control")
    ACCIDENT_UNHANDLED = "I", _("accident not handled")
    SUSPECT = "J", _("suspect vehicle")
    SEALED = "K", _("sealed")
    DETAINED = "L", _("detained")
    FORCIBLY_CANCELLED = "M", _("compulsorily cancelled")
    HIT_AND_RUN = "N", _("hit-and-run")
    LOCKED = "O", _("locked")
    SCRAP_VOID = "P", _("scrap age reached, certificates void")
    INSPECTION_OVERDUE = "Q", _("inspection overdue")
    OTHER = "Z", _("other")


class VehicleType(models.TextChoices):
    LARGE_BUS = "K11", _("large bus")
    MEDIUM_BUS = "K21", _("medium bus")
    SMALL_PASSENGER = "K31", _("small passenger car")
    SMALL_SEDAN = "K33", _("small sedan")
    MINI_PASSENGER = "K41", _("mini passenger car")
    SMALL_VAN = "K39", _("small van")
    HEAVY_TRUCK = "H11", _("heavy truck")
    MEDIUM_TRUCK = "H21", _("medium truck")
    LIGHT_TRUCK = "H31", _("light truck")
    MOTORCYCLE = "M21", _("two-wheeled motorcycle")
    TRACTOR = "T11", _("wheeled tractor")
    SEMI_TRAILER = "B11", _("heavy semi-trailer")


class UseNature(models.TextChoices):
    PRIVATE = "A", _("non-operating")
    ROAD_PASSENGER = "B", _("road passenger transport")
    CITY_BUS = "C", _("city bus")
    TAXI = "D", _("taxi")
    TOURISM = "E", _("tourist transport")
    FREIGHT = "F", _("freight")
    SCHOOL_BUS = "K", _("school bus")
    DRIVING_SCHOOL = "N", _("driving school")


class PlateType(models.TextChoices):
    """GA 24.7 plate-type codes; the special-use formats of GA 36 are in validators."""

    LARGE = "01", _("large vehicle")
    SMALL = "02", _("small vehicle")
    EMBASSY = "03", _("embassy vehicle")
    CONSULATE = "04", _("consulate vehicle")
    MOTORCYCLE = "07", _("ordinary motorcycle")
    TRAILER = "15", _("trailer")
    COACH = "16", _("driving-school car")
    POLICE = "23", _("police vehicle")
    HONG_KONG = "26", _("Hong Kong entry vehicle")
    MACAU = "27", _("Macau entry vehicle")
    LARGE_NEW_ENERGY = "51", _("large new-energy vehicle")
    SMALL_NEW_ENERGY = "52", _("small new-energy vehicle")


class PlateStatus(models.TextChoices):
    ACTIVE = "active", _("in use")
    VOID = "void", _("void")
    LOST = "lost", _("reported lost")


class Colour(models.TextChoices):
    WHITE = "A", _("white")
    GREY = "B", _("grey")
    YELLOW = "C", _("yellow")
    RED = "E", _("red")
    BLUE = "H", _("blue")
    GREEN = "G", _("green")
    BLACK = "J", _("black")
    SILVER = "M", _("silver")


class CompanyRole(models.TextChoices):
    LEGAL_REPRESENTATIVE = "legal", _("legal representative")
    AGENT = "agent", _("authorised agent")


class PointsKind(models.TextChoices):
    VIOLATION = "violation", _("violation")
    REDUCTION = "reduction", _("reduction by education")
    CARRY_OVER = "carry", _("carried over (fine unpaid)")
    CORRECTION = "correction", _("penalty changed or annulled")
    # R163 Art 23: full-score study and exam passed; not a reduction (not within the 6-point cap).
    CLEARED = "cleared", _("cleared after full-score study and exam")


class TemporaryPlateCase(models.TextChoices):
    """Why a vehicle without plates needs a temporary plate (R164 Art 46, items 1-5)."""

    UNSOLD = "unsold", _("not yet sold (a dealer's vehicle)")
    ACQUIRED = "acquired", _("bought or otherwise acquired, not yet registered")
    EXPORT = "export", _("a new vehicle sold for export")
    TESTING = "testing", _("under research or type-approval tests")
    OVERSIZE = "oversize", _("too large or heavy to be registered (a special vehicle)")


class TemporaryPlateState(models.TextChoices):
    UPCOMING = "upcoming", _("not yet valid")
    VALID = "valid", _("valid")
    EXPIRED = "expired", _("expired")
    VOID = "void", _("void: the vehicle is registered")


def status_labels(
    letters: str, choices: type[LicenceStatus] | type[VehicleStatus]
) -> list[tuple[str, str]]:
    """Status letters with their labels in the reader's language: "GQ" -> [("G", "violations
    not handled"), ("Q", "inspection overdue")]. The one way a page names a status code."""
    labels = dict(choices.choices)
    return [(letter, str(labels.get(letter, letter))) for letter in letters]
