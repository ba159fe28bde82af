import pytest
from django.conf import settings
from django.db import connection, transaction
from django.db.utils import DatabaseError

from tests.factories import OfficerFactory, PersonFactory
from vmo.core.models import Event
from vmo.core.selectors import events_for, office_config
from vmo.core.services import data_access_record, event_record, office_config_update

pytestmark = pytest.mark.django_db


def test_events_are_append_only():
    person = PersonFactory()
    event = event_record(
        actor=None, subject=person, action="test", after={"x": 1}, reason="because"
    )
    assert list(events_for(person).values_list("action", flat=True)) == ["test"]
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        Event.objects.all().delete()
    with pytest.raises(PermissionError):
        Event.objects.update(action="x")


ON_POSTGRESQL = "postgresql" in settings.DATABASES["default"]["ENGINE"]
RAW_REWRITES = [
    "UPDATE core_event SET action = 'forged'",
    "UPDATE core_dataaccess SET purpose = 'forged'",
]
if ON_POSTGRESQL:  # SQLite keeps DELETE for the test flush; the model guard covers it there
    RAW_REWRITES += ["DELETE FROM core_event", "DELETE FROM core_dataaccess"]


@pytest.mark.parametrize("statement", RAW_REWRITES)
def test_database_refuses_to_rewrite_history(statement):
    # Raw SQL bypasses the model guard: a trigger in the database refuses it.
    officer = OfficerFactory()
    data_access_record(officer=officer, person_id=1, screen="office.person_detail")
    event_record(actor=None, subject=PersonFactory(), action="test")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert Event.objects.get().action == "test"


def test_data_access_log_records_officer_and_screen():
    officer, person = OfficerFactory(), PersonFactory()
    row = data_access_record(
        officer=officer,
        person_id=person.pk,
        screen="office.person_detail",
        purpose="counter enquiry",
    )
    assert (
        row.officer_id == officer.pk and row.person_id == person.pk and row.accessed_at is not None
    )


def test_office_config_has_changji_defaults_and_updates_with_history():
    config = office_config()
    assert config.plate_prefix == "新B"
    assert "652301" in config.region_code_list
    assert config.online_fine_limit_fen == 20000
    office_config_update(actor=None, reason="policy", non_own_vehicle_limit=1)
    assert office_config().non_own_vehicle_limit == 1
    assert events_for(config).get().before == {"non_own_vehicle_limit": "3"}


def test_office_config_refuses_unknown_and_invalid_settings():
    with pytest.raises(ValueError):
        office_config_update(actor=None, colour_of_sky="blue")
