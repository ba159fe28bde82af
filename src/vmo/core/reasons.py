"""The reasons the system itself writes into the history (an event's ``reason``, written by a
service, not typed by an officer) are fixed English phrases that serve as codes: each is read
back in the reader's language here. A reason an officer typed is not among them and is shown as
typed. A service that writes a new fixed reason adds it here."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

SYSTEM_REASONS = {
    "decided at a counter": pgettext_lazy("history reason", "decided at a counter"),
    "all violations handled": pgettext_lazy("history reason", "all violations handled"),
    "cycle ended": pgettext_lazy("history reason", "cycle ended"),
    "registered": pgettext_lazy("history reason", "registered"),
    "not registered in time": pgettext_lazy("history reason", "not registered in time"),
    "released by the applicant": pgettext_lazy("history reason", "released by the applicant"),
    "admin": pgettext_lazy("history reason", "admin"),
    "issued": pgettext_lazy("history reason", "issued"),
    "payment to a closed order": pgettext_lazy("history reason", "payment to a closed order"),
    "paid twice": pgettext_lazy("history reason", "paid twice"),
    "superseded": pgettext_lazy("history reason", "superseded"),
    "expired": pgettext_lazy("history reason", "expired"),
    "R163 Art 23: full-score study and exam passed": pgettext_lazy(
        "history reason", "R163 Art 23: full-score study and exam passed"
    ),
    "refused": pgettext_lazy("history reason", "refused"),
    "closed": pgettext_lazy("history reason", "closed"),
    "withdrawn": pgettext_lazy("history reason", "withdrawn"),
    "E03 verification study (R162 Arts 72-73)": pgettext_lazy(
        "history reason", "E03 verification study (R162 Arts 72-73)"
    ),
    "R163 Art 31 para 1: the full-score exam was falsified, its result is void": pgettext_lazy(
        "history reason",
        "R163 Art 31 para 1: the full-score exam was falsified, its result is void",
    ),
    "R162 Art 74: holder aged 70, yearly physical-condition proof": pgettext_lazy(
        "history reason", "R162 Art 74: holder aged 70, yearly physical-condition proof"
    ),
    "R162 Art 75: the renewal deferral ended": pgettext_lazy(
        "history reason", "R162 Art 75: the renewal deferral ended"
    ),
}


def reason_text(reason: str) -> str:
    """An event's reason in the active language (a system reason) or as typed."""
    return str(SYSTEM_REASONS.get(reason, reason))
