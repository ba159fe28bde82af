"""The uploaded materials and the office's letters: for the applicant, or an officer who checks
applications (the look is logged for the person)."""

from __future__ import annotations

from typing import Any

from vmo.accounts.permissions import officer_can
from vmo.core.services import data_access_record

from ..models import Application, ApplicationFile, Document
from .lists import visible_to

# ----- files ---------------------------------------------------------------------------------


def _readable(user: Any, reference: str) -> tuple[Application, bool]:
    """The application if the user may read its files, and whether an officer reads it: its
    applicant, or a verified officer who checks applications. Else DoesNotExist."""
    application = Application.objects.filter(reference=reference).first()
    if application is None:
        raise Application.DoesNotExist
    if (
        getattr(user, "is_citizen", False)
        and Application.objects.filter(visible_to(user), pk=application.pk).exists()
    ):
        return application, False
    if officer_can(user, "application.check"):
        return application, True
    raise Application.DoesNotExist


def _looked_at(user: Any, application: Application, screen: str) -> None:
    # The person can see which officer looked at their papers, and why.
    if application.person_id is not None:
        data_access_record(
            officer=user,
            person_id=application.person_id,
            screen=screen,
            purpose=application.reference,
        )


def file_for(user: Any, reference: str, file_id: int) -> ApplicationFile:
    """A material file (any version) of an application the user may read."""
    application, officer = _readable(user, reference)
    try:
        found = application.files.get(pk=file_id)
    except ApplicationFile.DoesNotExist:
        raise Application.DoesNotExist from None
    if officer:
        _looked_at(user, application, "office.application")
    return found


def document_for(user: Any, reference: str, document_id: int) -> Document:
    application, officer = _readable(user, reference)
    try:
        found = application.documents.get(pk=document_id)
    except Document.DoesNotExist:
        raise Application.DoesNotExist from None
    if officer:
        _looked_at(user, application, "office.application")
    return found
