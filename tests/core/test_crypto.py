import base64

import pytest
from cryptography.exceptions import InvalidTag
from django.db import connection

from tests.factories import PersonFactory
from vmo.core import crypto, masking
from vmo.core.services import pii_rotate
from vmo.registry.models import Person

NEW_KEY = base64.b64encode(b"k" * 32).decode()


def test_round_trip_and_random_nonce():
    a, b = crypto.encrypt("652301199001011234"), crypto.encrypt("652301199001011234")
    assert a != b
    assert crypto.decrypt(a) == crypto.decrypt(b) == "652301199001011234"


def test_purpose_binds_the_ciphertext_to_its_column():
    token = crypto.encrypt("13812345678", purpose="person.phone")
    with pytest.raises(InvalidTag):
        crypto.decrypt(token, purpose="person.address")


def test_keyed_hash_is_stable_and_keyed(settings):
    first = crypto.keyed_hash("x")
    assert crypto.keyed_hash("x") == first
    settings.VMO_PII_HASH_KEY = "another"
    assert crypto.keyed_hash("x") != first


@pytest.mark.django_db
def test_personal_data_is_not_stored_in_clear():
    person = PersonFactory(phone="13812345678", address="昌吉市延安北路1号")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, address FROM registry_person WHERE id = %s", [person.pk]
        )
        raw = cursor.fetchone()
    assert person.id_number not in raw[0] and "13812345678" not in raw[1] and "延安" not in raw[2]
    assert Person.objects.get(pk=person.pk).phone == "13812345678"


@pytest.mark.django_db
def test_key_rotation_re_encrypts_under_the_new_key(settings):
    person = PersonFactory()
    settings.VMO_PII_KEYS = {**settings.VMO_PII_KEYS, "k2": NEW_KEY}
    settings.VMO_PII_ACTIVE_KEY = "k2"
    crypto._cipher.cache_clear()
    assert pii_rotate() >= 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM registry_person WHERE id = %s", [person.pk])
        assert cursor.fetchone()[0].startswith("k2$")
    assert Person.objects.get(pk=person.pk).id_number == person.id_number
    assert pii_rotate() == 0  # nothing left under the old key


def test_masking():
    assert masking.mask_id_number("652301199001011234") == "652301********1234"
    assert masking.mask_phone("13812345678") == "138****5678"
    assert masking.mask_name("马建国") == "马**"
    assert masking.mask_address("新疆昌吉市延安北路1号") == "新疆昌吉市延****"
