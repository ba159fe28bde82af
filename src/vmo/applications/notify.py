"""The notices of the engine, each raised in the transaction of its change."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import get_language, pgettext

from vmo.core.phrases import again
from vmo.notices.services import notify
from vmo.registry.selectors import plate_label

from .choices import DeliveryStatus
from .models import Application


def _context(application: Application) -> dict[str, Any]:
    business = application.business
    # The business's name in the reader's language (a lazy label: notify renders it so).
    return {"reference": application.reference, "business": business.name}


def _send(application: Application, kind: str, key: str, **context: Any) -> None:
    # notify() renders in the recipient's language; lazy labels in the context follow it.
    notify(
        kind=kind,
        context={**_context(application), **context},
        dedup_key=f"{kind}:{application.pk}:{key}",
        user=application.applicant,
        link=reverse("applications:detail", args=[application.reference]),
    )


def received(application: Application) -> None:
    _send(
        application,
        "applications.received",
        str(application.correction_round),
        date=f"{application.accepted_at:%Y-%m-%d}" if application.accepted_at else "",
        due=str(application.due_on),
    )


def _numbered(lines: Sequence[Any]) -> Any:
    """The lines numbered, said when rendered: a Phrase in the reader's language, typed text as
    typed (kept as the list's text in each language)."""
    return lazy(lambda: "\n".join(f"{n}. {again(x)}" for n, x in enumerate(lines, 1)), str)()


def correction(application: Application, messages: Sequence[str]) -> None:
    _send(
        application,
        "applications.correction",
        str(application.correction_round),
        count=len(messages),
        items=_numbered(list(messages)),
    )


def approved(application: Application) -> None:
    _send(application, "applications.approved", "1")


def _with_basis(application: Application, reason: str, basis: str) -> Any:
    # The officer's words as typed; the brackets and a legal basis the business cites in the
    # reader's language (a basis the officer typed as typed).
    def said() -> str:
        ref = application.business.legal_ref(basis)
        english = (get_language() or "").startswith("en")
        cited = ref.en if ref is not None and english else basis
        return pgettext("a refusal reason and its legal basis", "%(reason)s (%(basis)s)") % {
            "reason": reason,
            "basis": cited,
        }

    return lazy(said, str)()


def refused(application: Application, reasons: Sequence[tuple[str, str]]) -> None:
    lines = [_with_basis(application, r, b) for r, b in reasons]
    _send(application, "applications.refused", "1", reasons=_numbered(lines))


def completed(application: Application, result: str) -> None:
    _send(application, "applications.completed", "1", result=result)


def lapsed(application: Application, *, days: int) -> None:
    _send(application, "applications.lapsed", "1", days=days)


def withdrawn(application: Application) -> None:
    _send(application, "applications.withdrawn", "1")


def counter(application: Application) -> None:
    _send(application, "applications.counter", "1", reason=application.counter_reason)


def delivery(application: Application, delivery: Any) -> None:
    _send(
        application,
        "applications.delivery",
        delivery.status,
        status=DeliveryStatus(delivery.status).label,
        detail=delivery.tracking_number,
    )


def confirm_request(application: Application) -> None:
    link = reverse("applications:detail", args=[application.reference])
    data = application.data
    notify(
        kind="applications.confirm_request",
        context={
            **_context(application),
            "seller": application.person.name if application.person else "",
            "plate": _plate(application),
        },
        dedup_key=f"applications.confirm_request:{application.pk}:{data.get('buyer_id_number', '')}",
        user=application.counterparty,
        link=link,
    )


def _plate(application: Application) -> str:
    return plate_label(application.vehicle)


def vehicle_event(application: Application, kind: str, user: Any, **context: Any) -> None:
    """A change of a vehicle's owner, mortgage or registration, told to the people concerned."""
    notify(
        kind=kind,
        context={**_context(application), "plate": _plate(application), **context},
        dedup_key=f"{kind}:{application.pk}:{user.pk}",
        user=user,
        link=reverse("applications:detail", args=[application.reference]),
    )
