"""Who owned a vehicle before each transfer (R164 Arts 25-30).

A camera record arrives days after the offence, sometimes after the vehicle was sold: the owner
who answers for it is the one at the time of the offence (RTSL Art 114), not the one on the
record when it arrives. The vehicle holds its owner now; each transfer leaves a row here naming
the owner it ended and when. Kept in its own module so registry/models.py stays within the line
limit; models.py imports it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PastOwner(models.Model):
    vehicle = models.ForeignKey(
        "registry.Vehicle", on_delete=models.PROTECT, related_name="past_owners"
    )
    owner_person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_company = models.ForeignKey(
        "registry.Company", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The moment the transfer was registered: the owner's until then, the next one's from then.
    until = models.DateTimeField(_("owner until"))

    class Meta:
        indexes = [models.Index(fields=["vehicle", "until"])]

    def __str__(self) -> str:
        return f"{self.vehicle_id} until {self.until:%Y-%m-%d %H:%M}"
