"""Writes of the core: history, data-access log, office configuration, calendar, key rotation."""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models.signals import post_save

from . import clock, crypto
from .fields import EncryptedTextField
from .models import CalendarDay, DataAccess, Event, OfficeConfig
from .pagecache import public_pages_changed
from .requestctx import current_request_id
from .selectors import office_config_forget
from .subjects import OffDatabase, subject_ref

if TYPE_CHECKING:
    from vmo.accounts.models import User


def _actor_fields(actor: User | None) -> dict[str, Any]:
    """Who acted, as data: the id, an officer's name (language-neutral) and their role code, or
    "citizen" with no label (an account's username is internal). The words ("李娜 (clerk)",
    "the system") are rendered when read, in the reader's language (vmo.core.actors)."""
    if actor is None or not getattr(actor, "pk", None):
        return {"actor_id": None, "actor_label": "system", "actor_role": ""}
    if getattr(actor, "is_officer", False):
        # The name only (an account without one: its role says who): never the username.
        name = actor.get_full_name()
        return {"actor_id": actor.pk, "actor_label": name[:120], "actor_role": actor.role}
    return {"actor_id": actor.pk, "actor_label": "", "actor_role": "citizen"}


def event_record(
    *,
    actor: User | None,
    subject: models.Model | OffDatabase,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> Event:
    """Append one event to the history. Call it inside the transaction of the change (for a
    thing outside the database, once its change is on disk)."""
    subject_type, subject_id = subject_ref(subject)
    return Event.objects.create(
        occurred_at=clock.now(),
        subject_type=subject_type,
        subject_id=subject_id,
        action=action,
        before=before or {},
        after=after or {},
        reason=reason,
        request_id=current_request_id.get(),
        **_actor_fields(actor),
    )


def events_record_bulk(
    *,
    actor: User | None,
    action: str,
    changes: Sequence[tuple[models.Model, Mapping[str, Any], Mapping[str, Any]]],
    reason: str = "",
) -> int:
    """One change of many records at once (a daily scan's), each its own event as
    ``event_record`` writes it, in one INSERT. ``changes``: (subject, before, after).
    bulk_create sends no post_save; its receivers (the status lists' cache) drop everything at
    each signal, so they are sent one for the batch."""
    if not changes:
        return 0
    now, request_id, who = clock.now(), current_request_id.get(), _actor_fields(actor)
    rows = []
    for subject, before, after in changes:
        subject_type, subject_id = subject_ref(subject)
        rows.append(
            Event(
                occurred_at=now,
                subject_type=subject_type,
                subject_id=subject_id,
                action=action,
                before=before,
                after=after,
                reason=reason,
                request_id=request_id,
                **who,
            )
        )
    Event.objects.bulk_create(rows)
    post_save.send(sender=Event, instance=rows[-1], created=True)
    return len(rows)


def _process_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container user without a name
        return str(os.getuid())


def key_change_record(
    *,
    kind: str,
    key_id: str,
    action: str,
    via: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> Event:
    """A signing key created, rotated, revoked or removed. Its files live outside the database,
    so the history names it by kind ("credentials.signingkey", "mdl.documentsigner") and id;
    a command has no signed-in user, so who acted is the system account that ran it, and
    `via` how: "command" (manage.py) or "first_use" (the embedded default made it)."""
    return event_record(
        actor=None,
        subject=OffDatabase(kind, key_id),
        action=action,
        before=before,
        after={**(after or {}), "via": via, "os_user": _process_user()},
    )


def data_access_record(
    *, officer: Any, person_id: int, screen: str, purpose: str = ""
) -> DataAccess:
    return DataAccess.objects.create(
        accessed_at=clock.now(),
        officer_id=officer.pk,
        # The name only: the role is shown at display time, in the reader's language.
        officer_label=(officer.get_full_name() or officer.get_username())[:120],
        officer_role=getattr(officer, "role", ""),
        person_id=person_id,
        screen=screen,
        purpose=purpose,
        request_id=current_request_id.get(),
    )


def data_access_record_by_checker(
    *, organisation: str, person_id: int, screen: str, purpose: str
) -> DataAccess:
    """Someone outside the office saw the person's data with the person's consent (a check
    code): officer id 0 marks that no officer account was involved; the label is the
    organisation the checker declared."""
    return DataAccess.objects.create(
        accessed_at=clock.now(),
        officer_id=0,
        officer_label=organisation[:120],
        officer_role="",
        person_id=person_id,
        screen=screen,
        purpose=purpose[:200],
        request_id=current_request_id.get(),
    )


def _snapshot(instance: models.Model, names: list[str]) -> dict[str, Any]:
    return {name: str(getattr(instance, name)) for name in names}


@transaction.atomic
def office_config_update(*, actor: User, reason: str = "", **changes: Any) -> OfficeConfig:
    config, _ = OfficeConfig.objects.select_for_update().get_or_create(pk=1)
    unknown = set(changes) - {f.name for f in OfficeConfig._meta.get_fields()}
    if unknown:
        raise ValueError(f"unknown settings: {sorted(unknown)}")
    before = _snapshot(config, list(changes))
    for name, value in changes.items():
        setattr(config, name, value)
    config.full_clean()
    config.save()
    event_record(
        actor=actor,
        subject=config,
        action="config.update",
        before=before,
        after=_snapshot(config, list(changes)),
        reason=reason,
    )
    # Now for this process, and again after commit in case a reader cached the old row meanwhile.
    office_config_forget()
    transaction.on_commit(office_config_forget)
    public_pages_changed()  # the office's name, address and hours are on every public page
    return config


@transaction.atomic
def calendar_day_set(
    *, actor: User, day: date, is_working_day: bool, name: str = "", reason: str = ""
) -> CalendarDay:
    existing = CalendarDay.objects.select_for_update().filter(day=day).first()
    before = {"is_working_day": existing.is_working_day, "name": existing.name} if existing else {}
    entry, _ = CalendarDay.objects.update_or_create(
        day=day, defaults={"is_working_day": is_working_day, "name": name, "provisional": False}
    )
    event_record(
        actor=actor,
        subject=entry,
        action="calendar.set",
        before=before,
        after={"is_working_day": is_working_day, "name": name},
        reason=reason,
    )
    return entry


def pii_rotate() -> int:
    """Re-encrypt every encrypted value that is not under the active key. Returns rows changed."""
    active = crypto.active_key_id()
    changed = 0
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if not fields:
            continue
        names = [f.attname for f in fields]
        table, pk_column = model._meta.db_table, model._meta.pk.column
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        # Read the raw tokens with SQL: the ORM would decrypt them and hide the key id.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {quote(pk_column)}, {columns} FROM {quote(table)}")  # noqa: S608 - names from _meta
            rows = cursor.fetchall()
        for row in rows:
            pk, tokens = row[0], row[1:]
            if all(not t or crypto.key_id_of(t) == active for t in tokens):
                continue
            with transaction.atomic():
                obj = model._base_manager.select_for_update().get(pk=pk)
                model._base_manager.filter(pk=pk).update(**{n: getattr(obj, n) for n in names})
            changed += 1
    return changed
