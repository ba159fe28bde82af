"""Issue an mDL for a citizen, verify it against the IACA root, selective disclosure,
tampering, wrong root, expiry and rotation."""

from __future__ import annotations

from datetime import date, timedelta

import cbor2
import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import LicenceFactory, make_id_number
from vmo.core import clock
from vmo.mdl import encoding, keys, services
from vmo.mdl.verify import Refused, verify_document

pytestmark = pytest.mark.django_db

NOW = "2026-12-02 10:00:00+08:00"


def _root_pem(key_dir) -> bytes:
    return (key_dir / "iaca.pem").read_bytes()


@pytest.fixture
def licence():
    return LicenceFactory(
        holder__name="张伟",
        holder__id_number=make_id_number(5001, birth=date(1990, 1, 1)),
        classes="C1E",
        file_number="652300001111",
    )


@time_machine.travel(NOW, tick=False)
def test_issued_mdoc_verifies_with_its_chain(licence, mdl_keys):
    result = verify_document(services.issue_document(person=licence.holder), _root_pem(mdl_keys))
    values = result.elements
    assert result.doc_type == "org.iso.18013.5.1.mDL"
    assert values["family_name"] == "张" and values["given_name"] == "伟"
    assert values["issuing_country"] == "CN" and values["document_number"] == "652300001111"
    assert values["age_over_18"] is True and values["age_over_60"] is False
    assert values["birth_date"] == date(1990, 1, 1)  # tag 1004 full-date
    categories = [p["vehicle_category_code"] for p in values["driving_privileges"]]
    assert categories == ["B", "A"]  # C1 -> B, E -> A
    assert result.valid_until <= clock.now() + timedelta(days=keys.MSO_DAYS)


@time_machine.travel(NOW, tick=False)
def test_subset_verifies_and_withheld_elements_leave_nothing(licence, mdl_keys):
    full = services.issue_document(person=licence.holder)
    shown = encoding.disclose(full, {"age_over_18", "issuing_authority"})
    result = verify_document(shown, _root_pem(mdl_keys))
    assert set(result.elements) == {"age_over_18", "issuing_authority"}
    # Neither the values nor the names' values of withheld elements are in the bytes.
    for secret in ("张".encode(), "伟".encode(), b"652300001111", b"1990-01-01", b"family_name"):
        assert secret not in shown
    # The MSO keeps 32-byte digests only; a guessed value without the salt matches none.
    mso = cbor2.loads(cbor2.loads(cbor2.loads(shown)["issuerSigned"]["issuerAuth"][2]).value)
    digests = set(mso["valueDigests"]["org.iso.18013.5.1"].values())
    guess = encoding.item_bytes(
        {"digestID": 0, "random": b"", "elementIdentifier": "family_name", "elementValue": "张"}
    )
    assert services.digest(guess) not in digests
    assert all(len(d) == 32 for d in digests) and len(digests) == 13


@pytest.mark.parametrize("field", ["elementValue", "random"])
@time_machine.travel(NOW, tick=False)
def test_altered_element_or_salt_is_refused(licence, mdl_keys, field):
    doc = cbor2.loads(
        encoding.disclose(services.issue_document(person=licence.holder), {"age_over_18"})
    )
    items = doc["issuerSigned"]["nameSpaces"]["org.iso.18013.5.1"]
    item = cbor2.loads(items[0].value)
    item[field] = False if field == "elementValue" else bytes(32)
    items[0] = cbor2.CBORTag(24, cbor2.dumps(item))
    with pytest.raises(Refused, match="age_over_18 does not match"):
        verify_document(cbor2.dumps(doc), _root_pem(mdl_keys))


@time_machine.travel(NOW, tick=False)
def test_wrong_root_is_refused(licence, mdl_keys, tmp_path, settings):
    document = services.issue_document(person=licence.holder)
    settings.VMO_MDL_KEY_DIR = tmp_path / "other"
    other_root = keys.create_root()
    from cryptography.hazmat.primitives import serialization

    with pytest.raises(Refused, match="not issued by this IACA root|not signed by this IACA"):
        verify_document(document, other_root.public_bytes(serialization.Encoding.PEM))


def test_validuntil_passed_and_expired_signer_are_refused(licence, mdl_keys):
    with time_machine.travel(NOW, tick=False):
        document = services.issue_document(person=licence.holder)
    with (
        time_machine.travel("2027-03-10 10:00:00+08:00", tick=False),
        pytest.raises(Refused, match="validUntil passed"),
    ):  # > 90 days later
        verify_document(document, _root_pem(mdl_keys))
    with (
        time_machine.travel("2028-03-10 10:00:00+08:00", tick=False),
        pytest.raises(Refused, match="document signer certificate is not valid"),
    ):  # signer's 455 days over
        verify_document(document, _root_pem(mdl_keys))


def test_rotated_signer_still_verifies_old_mso_while_valid(licence, mdl_keys):
    with time_machine.travel(NOW, tick=False):
        old = services.issue_document(person=licence.holder)
        first = keys.current_signer().cert
    with time_machine.travel("2027-01-02 10:00:00+08:00", tick=False):
        call_command("mdl_keys", "rotate-signer")
        current = keys.current_signer().cert
        assert current.serial_number != first.serial_number
        assert [s.key is None for s in keys.signers()] == [False, True]  # old key is gone
        assert verify_document(old, _root_pem(mdl_keys)).elements["age_over_18"] is True
        new = verify_document(services.issue_document(person=licence.holder), _root_pem(mdl_keys))
        assert str(current.serial_number) and new.signer_subject != ""


def test_age_over_element_caps_validity_at_birthday(mdl_keys):
    young = LicenceFactory(
        holder__id_number=make_id_number(5002, birth=date(2009, 1, 15))
    )  # 18 on 2027-01-15
    with time_machine.travel(NOW, tick=False):
        result = verify_document(services.issue_document(person=young.holder), _root_pem(mdl_keys))
    assert result.elements["age_over_18"] is False
    assert result.valid_until.astimezone(clock.OFFICE_TZ).date() == date(2027, 1, 15)


@time_machine.travel(NOW, tick=False)
def test_verify_command_prints_disclosed_elements_and_refuses_tampering(
    licence, mdl_keys, tmp_path, capsys
):
    path = tmp_path / "licence.mdoc"
    path.write_bytes(services.issue_document(person=licence.holder))
    call_command("verify_mdoc", str(path), "--root", str(mdl_keys / "iaca.pem"))
    out = capsys.readouterr().out
    assert "VALID org.iso.18013.5.1.mDL" in out and "document_number: 652300001111" in out
    path.write_bytes(path.read_bytes().replace(b"652300001111", b"652300001112"))
    with pytest.raises(CommandError, match="REFUSED"):
        call_command("verify_mdoc", str(path), "--root", str(mdl_keys / "iaca.pem"))


def test_certificates_name_the_offices_province_unless_configured(mdl_keys, settings):
    """The default office (Changji, region codes 6523xx) is in Xinjiang, not wherever a default
    setting once said; an explicit setting still wins."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    keys.create_root()
    root = x509.load_pem_x509_certificate(_root_pem(mdl_keys))
    names = root.subject.get_attributes_for_oid(NameOID.STATE_OR_PROVINCE_NAME)
    assert [n.value for n in names] == ["Xinjiang"]
    settings.VMO_MDL_PROVINCE = "Gansu"
    assert keys.province() == "Gansu"
