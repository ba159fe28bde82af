"""PDF copies of the e-licences, through the product's one letter renderer (core.pdf).

The copy carries no QR code on purpose: a printed QR would outlive its five minutes, and the
copy says so; a checker uses the live QR on the phone, or the office's verifier.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.pdf import render_letter
from vmo.core.selectors import office_config

from .selectors import LicenceCard, VehicleCard


def _office() -> str:
    config = office_config()
    english = (get_language() or "").startswith("en")
    return (config.office_name_en if english else config.office_name_zh) or config.office_name_zh


def _status_lines(card: LicenceCard | VehicleCard) -> list[str]:
    return [f"{w.name}: {w.meaning}" for w in card.statuses]


def _footer() -> str:
    stamp = date_format(clock.now(), "DATETIME_FORMAT")
    return _(
        "Copy printed on %(when)s. It is not a credential: to prove the licence, show the live "
        "QR code on the e-licence page or let the checker use the office's verifier."
    ) % {"when": stamp}


def _response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def licence_pdf(card: LicenceCard) -> HttpResponse:
    info = card.info
    valid = (
        _("from %(start)s, long-term") % {"start": date_format(info.valid_from)}
        if info.valid_to is None
        else f"{date_format(info.valid_from)} – {date_format(info.valid_to)}"
    )
    facts = [
        f"{_('Name')}: {card.name}",
        f"{_('Sex')}: {card.sex_label}",
        f"{_('Licence number')}: {card.id_number}",
        f"{_('File number')}: {card.file_number}",
        f"{_('Classes')}: {', '.join(c.code for c in info.classes)}",
        f"{_('First issued')}: {date_format(info.first_issue_date)}",
        f"{_('Valid')}: {valid}",
        f"{_('Issuing office')}: {_office()}",
    ]
    data = render_letter(
        title=_("Electronic driving licence (copy)"),
        office_name=_office(),
        reference=card.file_number,
        sections=[(_("Licence details"), facts), (_("Status"), _status_lines(card))],
        footer=_footer(),
    )
    return _response(data, "e-licence.pdf")


def vehicle_pdf(card: VehicleCard) -> HttpResponse:
    info = card.info
    insurance = date_format(info.insurance_valid_until) if info.insurance_valid_until else "—"
    facts = [
        f"{_('Plate')}: {info.plate or '—'}",
        f"{_('Type')}: {info.vehicle_type}",
        f"{_('Owner')}: {card.owner}",
        f"{_('VIN')}: {card.vin}",
        f"{_('Inspection until')}: {date_format(info.inspection_valid_until)}",
        f"{_('Insurance until')}: {insurance}",
        f"{_('Issuing office')}: {_office()}",
    ]
    data = render_letter(
        title=_("Electronic vehicle licence (copy)"),
        office_name=_office(),
        reference=info.plate or card.vin,
        sections=[(_("Vehicle details"), facts), (_("Status"), _status_lines(card))],
        footer=_footer(),
    )
    return _response(data, "e-vehicle-licence.pdf")
