"""Reads of the registered organisations, their keys and their call log."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from vmo.accounts.selectors import api_token_hash

from .models import Organisation, OrganisationCall, OrganisationKey, RefusedKeyCall


def organisations() -> QuerySet[Organisation]:
    return Organisation.objects.all()


def organisations_listed() -> QuerySet[Organisation]:
    """The workbench list: each organisation with its number of live keys, in one query."""
    return (
        organisations()
        .annotate(live_keys=Count("keys", filter=Q(keys__revoked_at__isnull=True)))
        .order_by("name", "id")
    )  # an aggregate drops the model's ordering


def organisation_get(*, pk: int) -> Organisation:
    return get_object_or_404(organisations(), pk=pk)


def keys_of(organisation: Organisation) -> QuerySet[OrganisationKey]:
    return OrganisationKey.objects.filter(organisation=organisation)


def key_of_organisation(*, organisation_id: int, key_id: int) -> OrganisationKey:
    return get_object_or_404(
        OrganisationKey.objects.select_related("organisation"),
        pk=key_id,
        organisation_id=organisation_id,
    )


def key_of_organisation_for_update(*, organisation_id: int, key_id: int) -> OrganisationKey:
    return get_object_or_404(
        OrganisationKey.objects.select_for_update(), pk=key_id, organisation_id=organisation_id
    )


def key_for_raw(raw: str) -> OrganisationKey | None:
    """The key, live or revoked, whose hash matches; None for anything else."""
    if not raw:
        return None
    return (
        OrganisationKey.objects.select_related("organisation")
        .filter(key_hash=api_token_hash(raw))
        .first()
    )


def calls_of(organisation: Organisation) -> QuerySet[OrganisationCall]:
    return OrganisationCall.objects.filter(organisation=organisation).select_related("key")


def refused_calls() -> QuerySet[RefusedKeyCall]:
    return RefusedKeyCall.objects.all()
