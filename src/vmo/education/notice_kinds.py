"""Notices raised by education and the warning scans."""

from django.utils.translation import gettext_lazy as _

from vmo.notices.choices import Channel
from vmo.notices.kinds import Group, NoticeKind, Trigger, register

POINTS_REDUCED = "education.points_reduced"
COMPLETED = "education.completed"
FULL_SCORE_ASSIGNED = "education.full_score_assigned"
VERIFICATION_DONE = "education.verification_done"
WARN_VEHICLE_UNHANDLED = "warnings.vehicle_unhandled"
WARN_DRIVER_POINTS = "warnings.driver_points"
WARN_INSPECTION_OVERDUE = "warnings.inspection_overdue"
WARN_LICENCE_OVERDUE = "warnings.licence_overdue"
WARN_SAME_PLACE = "warnings.same_place"
WARN_REGIONAL = "warnings.regional"

register(
    NoticeKind(
        code=POINTS_REDUCED,
        name=_("Points reduced by study"),
        group=Group.EDUCATION,
        trigger=Trigger.EVENT,
        trigger_text=_("A learn-to-reduce-points study is passed and the reduction is recorded."),
        subject=_("%(points)d point(s) taken off your licence"),
        body=_(
            "You passed %(course)s. %(points)d point(s) were taken off the cycle starting "
            "%(cycle_start)s (R163 Art 27); your points now: %(points_now)d. Reduced in this "
            "cycle: %(reduced)d of at most 6."
        ),
        sms=_("You passed %(course)s: %(points)d point(s) off; points now %(points_now)d."),
        channels=(Channel.IN_APP, Channel.SMS),
        mandatory=True,
        example={
            "course": "学法减分",
            "points": 1,
            "cycle_start": "2025-06-01",
            "points_now": 5,
            "reduced": 1,
        },
    ),
    NoticeKind(
        code=COMPLETED,
        name=_("Study completed"),
        group=Group.EDUCATION,
        trigger=Trigger.EVENT,
        trigger_text=_("A course or the online part of a full-score study is completed."),
        subject=_("Study completed: %(course)s"),
        body=_("You completed %(course)s on %(date)s. %(next)s"),
        example={"course": "新手驾驶", "date": "2025-06-01", "next": ""},
    ),
    NoticeKind(
        code=FULL_SCORE_ASSIGNED,
        name=_("Full-score study assigned"),
        group=Group.EDUCATION,
        trigger=Trigger.SCAN,
        trigger_text=_("A licence reaches 12 points in its cycle (R163 Arts 17-18)."),
        subject=_("Full-score education: %(days)d days of study"),
        body=_(
            "Your licence reached %(points)d points (full score number %(occurrence)d in this "
            "cycle). You must study for %(days)d days (R163 Art 18), of which at least "
            "%(onsite_days)d days on site and, with them, %(online_days)d more days on site or "
            "online, each of more than 3 hours (Art 19), then pass the exam (Art 21). Not attending within 30 days may "
            "stop your licence from use (Art 29)."
        ),
        sms=_(
            "Your licence reached full score. Study for %(days)d days online and on site, "
            "then take the exam."
        ),
        channels=(Channel.IN_APP, Channel.SMS),
        mandatory=True,
        example={"points": 12, "occurrence": 1, "days": 7, "online_days": 3, "onsite_days": 2},
    ),
    NoticeKind(
        code=VERIFICATION_DONE,
        name=_("Verification study completed"),
        group=Group.EDUCATION,
        trigger=Trigger.EVENT,
        trigger_text=_("The online verification study is completed (R162 Arts 72-73)."),
        subject=_("Verification study completed"),
        body=_(
            "You completed the verification study due by %(due)s. Your next verification is "
            "due by %(next_due)s."
        ),
        example={"due": "2025-07-01", "next_due": "2026-07-01"},
    ),
    NoticeKind(
        code=WARN_VEHICLE_UNHANDLED,
        name=_("Warning: unhandled violations"),
        group=Group.WARNINGS,
        trigger=Trigger.SCAN,
        trigger_text=_("A vehicle has several violations not yet handled."),
        subject=_("%(plate)s has %(count)d unhandled violations"),
        body=_(
            "Your vehicle %(plate)s has %(count)d violations not yet handled. Handle them "
            "within 30 days of notice (RP Art 20); with five or more left unhandled the office "
            "may decide without you (RP Art 54)."
        ),
        example={"plate": "新B·12345", "count": 3},
    ),
    NoticeKind(
        code=WARN_DRIVER_POINTS,
        name=_("Warning: points near full score"),
        group=Group.WARNINGS,
        trigger=Trigger.SCAN,
        trigger_text=_("A licence has 9 points or more in its cycle."),
        subject=_("Your licence has %(points)d points"),
        body=_(
            "Your licence has %(points)d of 12 points in the cycle ending %(cycle_end)s. At 12 "
            "the licence is withheld and full-score study is required (R163 Art 17). You may be "
            "able to reduce points by study (R163 Art 25)."
        ),
        sms=_("Your licence has %(points)d of 12 points. Drive safely; learn to reduce points."),
        channels=(Channel.IN_APP, Channel.SMS),
        example={"points": 9, "cycle_end": "2026-05-31"},
    ),
    NoticeKind(
        code=WARN_INSPECTION_OVERDUE,
        name=_("Warning: inspection long overdue"),
        group=Group.WARNINGS,
        trigger=Trigger.SCAN,
        trigger_text=_("A vehicle's inspection expired long ago."),
        subject=_("%(plate)s: inspection overdue since %(until)s"),
        body=_(
            "The inspection of %(plate)s expired on %(until)s. Driving it is an offence; a "
            "vehicle not inspected for three cycles in a row is scrapped by force."
        ),
        example={"plate": "新B·12345", "until": "2025-01-31"},
    ),
    NoticeKind(
        code=WARN_LICENCE_OVERDUE,
        name=_("Warning: licence renewal long overdue"),
        group=Group.WARNINGS,
        trigger=Trigger.SCAN,
        trigger_text=_("A driving licence expired long ago without renewal."),
        subject=_("Your licence expired on %(until)s"),
        body=_(
            "Your driving licence expired on %(until)s. A licence more than one year past "
            "expiry without renewal is cancelled (R162 Art 79). Renew it now."
        ),
        example={"until": "2025-01-31"},
    ),
    NoticeKind(
        code=WARN_SAME_PLACE,
        name=_("Warning: repeated violations at one place"),
        group=Group.WARNINGS,
        trigger=Trigger.SCAN,
        trigger_text=_("A vehicle has several violations at the same place."),
        subject=_("%(plate)s: %(count)d violations at the same place"),
        body=_(
            "%(plate)s was recorded %(count)d times at %(place)s since %(since)s. Check the "
            "signs and markings there."
        ),
        example={"plate": "新B·12345", "count": 2, "place": "延安北路", "since": "2025-01-01"},
    ),
    NoticeKind(
        code=WARN_REGIONAL,
        name=_("Regional safety warning"),
        group=Group.WARNINGS,
        trigger=Trigger.EVENT,
        trigger_text=_("An editor publishes a warning for an area (holidays, weather, closures)."),
        subject=_("%(title)s"),
        body=_("%(body)s What to do: %(action)s"),
        example={"title": "大风预警", "body": "……", "action": "……"},
    ),
)

# R162 as amended by Order 172, Art 65: the large and medium classes end at 63.
AGE_CLASS_EXCHANGE = "licence.age_class_exchange"

register(
    NoticeKind(
        code=AGE_CLASS_EXCHANGE,
        name=_("Large or medium class ends at 63"),
        group=Group.LICENCE,
        trigger=Trigger.SCAN,
        trigger_text=_(
            "Daily scan: a holder of a large or medium class turns 63 within 90 days (R162 Art 65)."
        ),
        subject=_("Exchange your %(classes)s class by %(until)s"),
        body=_(
            "You turn 63 on %(date)s: from then you may not drive with your %(classes)s class."
            " Exchange your licence for a small-car class by %(until)s (R162 Art 65); if you do"
            " not, the office announces the class void."
        ),
        sms=_(
            "You turn 63 on %(date)s: exchange your %(classes)s class for a small-car class by"
            " %(until)s (R162 Art 65)."
        ),
        channels=(Channel.IN_APP, Channel.SMS),
        mandatory=True,
        example={"classes": "A2", "date": "2027-03-01", "until": "2027-03-31"},
    ),
)

# R163 Arts 26(5), 31: an officer found falsified study; what it earned is void.
CHEATING_FOUND = "education.cheating_found"

register(
    NoticeKind(
        code=CHEATING_FOUND,
        name=_("Falsified study found"),
        group=Group.EDUCATION,
        trigger=Trigger.EVENT,
        trigger_text=_(
            "An officer records that a study or exam was falsified or done by someone else "
            "(R163 Art 31)."
        ),
        subject=_("Study of %(study_on)s void: no points reduction until %(bar_ends)s"),
        body=_(
            "An officer found that your study of %(study_on)s was falsified or done by someone "
            "else (R163 Art 31). The study records and results concerned are void: %(days)d "
            "on-site and %(online_days)d online day(s); points it reduced, now restored: "
            "%(points)d. Until %(bar_ends)s you cannot reduce points by study (R163 Art "
            "26(5)). The office may also fine you by a separate decision (Art 31)."
        ),
        sms=_(
            "Your study of %(study_on)s was found falsified and is void (R163 Art 31); no "
            "points reduction by study until %(bar_ends)s."
        ),
        channels=(Channel.IN_APP, Channel.SMS),
        mandatory=True,
        example={
            "study_on": "2025-09-10",
            "days": 1,
            "online_days": 0,
            "points": 0,
            "bar_ends": "2028-05-31",
        },
    ),
)
