"""Where the apps that hold exam results plug in when a finding voids them (R163 Art 31 para 1).

Education sits below appointments (the layers), so it cannot mark the bookings itself; the
bookings' app registers a handler in its AppConfig.ready(), and the finding runs it INSIDE its
own transaction: the results, the points and the flags are void together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from vmo.accounts.models import User
    from vmo.registry.models import DriverLicence


class ExamsVoidHandler(Protocol):
    def __call__(
        self, *, licence: DriverLicence, since: date | None, until: date, actor: User
    ) -> Any: ...


# Keyed by the handler's dotted name, so importing a module twice registers it once.
_exams_void: dict[str, ExamsVoidHandler] = {}


def on_exams_void(handler: Callable[..., Any]) -> Callable[..., Any]:
    """handler(licence=, since=, until=, actor=): the full-score exams the licence passed from
    ``since`` (its latest full score; None for all) to ``until`` (the finding's day) are void."""
    _exams_void[f"{handler.__module__}.{handler.__qualname__}"] = handler
    return handler


def run_exams_void(*, licence: DriverLicence, since: date | None, until: date, actor: User) -> None:
    for handler in list(_exams_void.values()):
        handler(licence=licence, since=since, until=until, actor=actor)
