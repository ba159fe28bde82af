"""Reads of the business catalogue."""

from __future__ import annotations

from .businesses import ALL, BUSINESSES, Business, Category


class UnknownBusiness(LookupError):
    pass


def business(code: str) -> Business:
    """The business with this code ("v01" finds V01); UnknownBusiness if there is none."""
    try:
        return BUSINESSES[code.strip().upper()]
    except KeyError:
        raise UnknownBusiness(code) from None


def businesses_by_category() -> list[tuple[Category, list[Business]]]:
    """Every business, grouped in the order of the categories, each group in catalogue order."""
    return [(category, [b for b in ALL if b.category == category]) for category in Category]
