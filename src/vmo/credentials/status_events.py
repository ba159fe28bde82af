"""The status lists follow the registry at once: every status change of a licence or vehicle is
an event in the history (`core.Event`, written by the registry's services in the change's
transaction), and the event's row being saved drops the cached lists.

Dropped twice, as `core.pagecache` does: at once, and again after the commit, so a verifier that
read the old rows between the two cannot keep them cached for the list's minute.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .selectors import status_lists_changed

# The registry's actions that change status letters (registry/services: status_store and the
# bulk flag service); a new one that changes letters adds its name here.
STATUS_ACTIONS = frozenset({"licence.status", "vehicle.status", "vehicles.flag_bulk"})


def event_saved(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if created and instance.action in STATUS_ACTIONS:
        status_lists_changed()
        transaction.on_commit(status_lists_changed, robust=True)
