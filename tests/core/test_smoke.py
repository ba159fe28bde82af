import pytest

from tests.factories import CitizenFactory, LicenceFactory, OfficerFactory, VehicleFactory


@pytest.mark.django_db
def test_factories_make_valid_records():
    licence = LicenceFactory()
    vehicle = VehicleFactory(owner_person=licence.holder)
    citizen = CitizenFactory(person=licence.holder)
    officer = OfficerFactory()
    for obj in (licence.holder, licence, vehicle):
        obj.full_clean()
    assert vehicle.plates.get().number.startswith("新B")
    assert citizen.check_password("Correct-Horse-42")
    assert officer.totpdevice_set.filter(confirmed=True).exists()
