"""Every write of appointments, split by concern; import from here.

The schedule (sites, sessions, learners) is what bookings are made against; bookings lock their
session row. Recording results lives in `appointments.results`.
"""

from .booking import booking_cancel, booking_create, booking_reschedule
from .schedule import learner_create, session_create, site_create

__all__ = [
    "booking_cancel",
    "booking_create",
    "booking_reschedule",
    "learner_create",
    "session_create",
    "site_create",
]
