"""What an event in the history is about: a row, or a thing kept outside the database."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class OffDatabase:
    """A thing kept outside the database (a signing key's files), named in the history by a
    type and an id the way a row is ("credentials.signingkey" and its key id)."""

    subject_type: str
    subject_id: str


def subject_ref(subject: models.Model | OffDatabase) -> tuple[str, str]:
    if isinstance(subject, OffDatabase):
        return subject.subject_type, subject.subject_id
    return subject._meta.label_lower, str(subject.pk)
