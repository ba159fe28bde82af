"""Reads of the business catalogue and of the regulation summaries."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from .businesses import ALL, BUSINESSES, Business, Category
from .choices import RegulationState
from .models import RegulationSummary

SEARCH_MAX = 100


class UnknownBusiness(LookupError):
    pass


def business(code: str) -> Business:
    """The business with this code ("v01" finds V01); UnknownBusiness if there is none."""
    try:
        return BUSINESSES[code.strip().upper()]
    except KeyError:
        raise UnknownBusiness(code) from None


_RESOLVING = {situation: b for b in ALL for situation in b.resolves}


def business_resolving(situation: str) -> Business | None:
    """The business that resolves a status letter or next step ("licence:B", "step:full_score")."""
    return _RESOLVING.get(situation)


def _matches(b: Business, needle: str) -> bool:
    # The name and summary in the reader's language; the Chinese term and the code always.
    haystack = " ".join((b.code, b.term_zh, str(b.name), str(b.summary))).casefold()
    return all(word in haystack for word in needle.split())


def businesses_by_category(query: str = "") -> list[tuple[Category, list[Business]]]:
    """Every business (or those matching every word of the query), grouped in the order of
    the categories, each group in catalogue order; a category with no match is left out."""
    needle = query.strip()[:SEARCH_MAX].casefold()
    found = [b for b in ALL if not needle or _matches(b, needle)]
    groups = [(category, [b for b in found if b.category == category]) for category in Category]
    return [(category, items) for category, items in groups if items or not needle]


def regulations_published() -> QuerySet[RegulationSummary]:
    return RegulationSummary.objects.filter(state=RegulationState.PUBLISHED)


def regulations_for_office(*, state: str) -> QuerySet[RegulationSummary]:
    return RegulationSummary.objects.filter(state=state).select_related("created_by")


def regulation_counts() -> dict[str, int]:
    rows = RegulationSummary.objects.values("state").annotate(n=Count("id")).order_by()
    return {row["state"]: row["n"] for row in rows}
