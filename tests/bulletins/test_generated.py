"""Announcements drafted from the records: masked lists, each record once per kind."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from tests.factories import LicenceFactory, VehicleFactory
from vmo.bulletins import drafting, services
from vmo.bulletins.models import Announcement, AnnouncementItem
from vmo.registry.models import DriverLicence, Vehicle

pytestmark = pytest.mark.django_db


def test_revoked_licences_are_drafted_once_with_masked_holders(frozen, editor, reviewer):
    revoked = LicenceFactory(flags="F", status="F")
    LicenceFactory()  # a normal licence is not listed
    drafts = services.announcement_drafts_generate(day=date(2025, 5, 14))
    assert [d.kind for d in drafts] == ["licence_revoked"]
    draft = drafts[0]
    assert (draft.state, draft.source, draft.data_date) == ("draft", "records", date(2025, 5, 14))
    cells = draft.items.get().cells
    holder = revoked.holder
    assert cells[0] == holder.name[0] + "*" * (len(holder.name) - 1)
    assert cells[1].startswith(holder.id_number[:6]) and "*" in cells[1]
    assert holder.id_number not in str(cells)

    # A second run drafts nothing: the record is already held.
    assert services.announcement_drafts_generate(day=date(2025, 5, 15)) == []

    # Withdrawn before it was ever public: the record is released for the next draft.
    services.announcement_withdraw(actor=editor, announcement=draft, reason="重新生成")
    again = services.announcement_drafts_generate(day=date(2025, 5, 15))
    assert len(again) == 1 and again[0].items.count() == 1


def test_vehicle_lists_show_the_plate_and_mask_a_person_owner(frozen):
    VehicleFactory(plate="新B12345", flags="M", status="M")
    VehicleFactory(plate="新B54321", inspection_valid_until=date(2023, 1, 1), status="Q")
    VehicleFactory(plate="新B67890", inspection_valid_until=date(2025, 1, 1), status="Q")
    drafts = {d.kind: d for d in services.announcement_drafts_generate(day=date(2025, 5, 14))}
    assert set(drafts) == {"vehicle_forced_cancel", "vehicle_long_overdue"}
    forced = drafts["vehicle_forced_cancel"].items.get().cells
    assert forced[0] == "新B·12345" and "*" in forced[2]
    # Overdue by four months is not "long overdue"; by more than a year it is.
    overdue = [i.cells[0] for i in drafts["vehicle_long_overdue"].items.all()]
    assert overdue == ["新B·54321"]


def test_void_plates_are_listed(frozen):
    vehicle = VehicleFactory(plate="新B11111")
    vehicle.plates.update(status="void")
    drafts = services.announcement_drafts_generate(day=date(2025, 5, 14))
    assert [d.kind for d in drafts] == ["plates_void"]
    assert drafts[0].items.get().cells[0] == "新B·11111"


def test_a_draft_holds_at_most_max_items_and_the_next_run_takes_the_rest(frozen, monkeypatch):
    monkeypatch.setattr(drafting, "MAX_ITEMS", 2)
    for _ in range(3):
        LicenceFactory(flags="G", status="G")
    first = services.announcement_drafts_generate(day=date(2025, 5, 14))
    second = services.announcement_drafts_generate(day=date(2025, 5, 14))
    assert [d.items.count() for d in first + second] == [2, 1]
    assert AnnouncementItem.objects.values("subject_id").distinct().count() == 3


def test_bulletins_run_does_all_scheduled_work(frozen, capsys):
    LicenceFactory(flags="J", status="J")
    call_command("bulletins_run")
    out = capsys.readouterr().out
    assert "drafts=1" in out
    assert Announcement.objects.filter(kind="licence_stopped").count() == 1
    call_command("bulletins_run")
    assert "drafts=0" in capsys.readouterr().out
    assert DriverLicence.objects.count() == 1 and Vehicle.objects.count() == 0
