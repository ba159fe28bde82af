"""Vehicle notices found by the daily scans (notice_scans.py); kept apart from the licence
kinds of notice_kinds.py, which imports this module. Each tells the owner or, for a company's
vehicle, everyone who acts for the company that day (registry.company_selectors).
"""

from django.utils.translation import gettext_lazy as _

from .choices import Channel
from .kinds import Group, NoticeKind, Trigger, register

BOTH = (Channel.IN_APP, Channel.SMS)
_VEHICLE = {"plate": "新B·12345", "date": "2027-03-01", "days": 90}


def _vehicle(code: str, **fields) -> NoticeKind:
    fields.setdefault(
        "audience", _("The vehicle's owner, or everyone who acts for the owning company")
    )
    fields.setdefault("channels", BOTH)
    return NoticeKind(code=code, group=Group.VEHICLE, trigger=Trigger.SCAN, **fields)


register(
    _vehicle(
        "vehicle.inspection_due",
        name=_("Inspection due"),
        trigger_text=_(
            "Daily scan: the inspection validity ends within 3 months (apply window, R164 Art 54)."
        ),
        subject=_("Inspection of %(plate)s due by %(date)s"),
        body=_(
            "The inspection of %(plate)s is valid until %(date)s. You can apply for the sticker"
            " now: book a station or, if the car is exempt, apply online."
        ),
        sms=_("Inspection of %(plate)s is due by %(date)s. Book it or apply online now."),
        dedup_text=_("kind + vehicle + validity date"),
        example=_VEHICLE,
    ),
    _vehicle(
        "vehicle.inspection_overdue",
        name=_("Inspection overdue"),
        trigger_text=_("Daily scan: the inspection validity has ended."),
        subject=_("Inspection of %(plate)s overdue since %(date)s"),
        body=_(
            "The inspection of %(plate)s ended on %(date)s. An uninspected vehicle may not be"
            " driven: warning or fine up to 200 yuan and points (R164 Art 78, R163 Arts 11-12);"
            " it also blocks learning to reduce points."
        ),
        sms=_("Inspection of %(plate)s is overdue since %(date)s. Do not drive it uninspected."),
        mandatory=True,
        dedup_text=_("kind + vehicle + validity date"),
        example=_VEHICLE,
    ),
    _vehicle(
        "vehicle.forced_cancellation_near",
        name=_("Near forced cancellation after long overdue inspection"),
        trigger_text=_(
            "Daily scan: the inspection has been overdue for two years; a third cycle without a"
            " sticker means compulsory scrapping and cancellation."
        ),
        subject=_("%(plate)s faces compulsory scrapping"),
        body=_(
            "%(plate)s has had no inspection since %(date)s. After 3 consecutive cycles without"
            " a sticker the vehicle must be scrapped and its registration is cancelled"
            " (强制报废标准 Art 4, R164 Art 40). Have it inspected now."
        ),
        sms=_("%(plate)s: no inspection since %(date)s. Inspect it now or it will be scrapped."),
        mandatory=True,
        dedup_text=_("kind + vehicle + validity date"),
        example={**_VEHICLE, "date": "2024-03-01"},
    ),
    _vehicle(
        "vehicle.compulsory_scrap_reached",
        name=_("Compulsory scrapping reached after three missed inspection cycles"),
        trigger_text=_(
            "Daily scan: the third inspection cycle in a row without a sticker has ended since"
            " the validity ended (强制报废标准 Art 4)."
        ),
        subject=_("%(plate)s has reached compulsory scrapping"),
        body=_(
            "%(plate)s has had no inspection sticker for three cycles in a row since its"
            " inspection ended on %(date)s, and has reached compulsory scrapping (强制报废标准"
            " Art 4). Apply for the cancellation of its registration within %(days)s days;"
            " after that the office announces its registration certificate, plates and vehicle"
            " licence void (R164 Art 41)."
        ),
        sms=_(
            "%(plate)s has reached compulsory scrapping: apply to cancel its registration within"
            " %(days)s days."
        ),
        mandatory=True,
        dedup_text=_("kind + vehicle + validity date"),
        example={**_VEHICLE, "date": "2022-03-31", "days": 30},
    ),
    NoticeKind(
        code="vehicle.scrap_void",
        group=Group.VEHICLE,
        trigger=Trigger.EVENT,
        audience=_("The vehicle's owner, or everyone who acts for the owning company"),
        channels=BOTH,
        name=_("Plates and vehicle licence announced void after compulsory scrapping"),
        trigger_text=_(
            "An officer confirms that the owner did not cancel the registration within the period"
            " after the compulsory scrapping notice (R164 Art 41)."
        ),
        subject=_("The plates and vehicle licence of %(plate)s are void"),
        body=_(
            "%(plate)s reached compulsory scrapping and its registration was not cancelled"
            " within the period after the notice. On %(date)s the office declared its"
            " registration certificate, plates and vehicle licence void, in a public"
            " announcement (R164 Art 41). It may not be driven on the road; hand it to a"
            " licensed scrapping company (强制报废标准 Art 4)."
        ),
        sms=_("The plates and vehicle licence of %(plate)s were declared void on %(date)s."),
        mandatory=True,
        dedup_text=_("kind + vehicle"),
        example={"plate": "新B·12345", "date": "2027-03-01"},
    ),
    _vehicle(
        "vehicle.scrap_age",
        name=_("Reaching the scrapping age"),
        trigger_text=_("Daily scan: the vehicle's compulsory scrapping date is within 90 days."),
        subject=_("%(plate)s reaches its scrapping date on %(date)s"),
        body=_(
            "%(plate)s must be scrapped by %(date)s. After that date it may not be driven and its"
            " registration will be cancelled; apply for scrapping cancellation in time."
        ),
        sms=_("%(plate)s reaches its scrapping date on %(date)s."),
        dedup_text=_("kind + vehicle + scrapping date"),
        example=_VEHICLE,
    ),
    _vehicle(
        "vehicle.insurance_ending",
        name=_("Compulsory insurance ending"),
        trigger_text=_("Daily scan: the compulsory insurance (交强险) ends within 30 days."),
        subject=_("Compulsory insurance of %(plate)s ends on %(date)s"),
        body=_(
            "The compulsory traffic insurance of %(plate)s ends on %(date)s. Renew it before"
            " then: a vehicle may not be driven without it."
        ),
        sms=_("Compulsory insurance of %(plate)s ends on %(date)s. Renew it in time."),
        dedup_text=_("kind + vehicle + end date"),
        example=_VEHICLE,
    ),
)
