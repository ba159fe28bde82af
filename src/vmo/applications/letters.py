"""The written refusal (书面告知, R164 Art 3, R162 Art 3): a PDF kept with the application."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import translation
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.masking import mask_id_number
from vmo.core.pdf import render_letter
from vmo.core.selectors import office_config

from .choices import DocumentKind
from .models import Application, Document


def refusal_letter_pdf(application: Application) -> bytes:
    business = application.business
    config = office_config()
    english = (translation.get_language() or "").startswith("en")
    person = application.person
    party = [_("Applicant: %(name)s") % {"name": person.name if person else ""}]
    if person is not None:
        party.append(_("ID number: %(id)s") % {"id": mask_id_number(person.id_number)})
    application_lines = [
        _("Business: %(code)s %(name)s") % {"code": business.code, "name": business.term_zh},
        _("Reference: %(reference)s") % {"reference": application.reference},
        _("Submitted: %(day)s")
        % {
            "day": f"{clock.local(application.submitted_at):%Y-%m-%d}"
            if application.submitted_at
            else ""
        },
    ]
    reasons = [
        _("%(n)s. %(reason)s Basis: %(basis)s")
        % {
            "n": n,
            "reason": r.reason,
            "basis": r.basis_ref.en if english and r.basis_ref is not None else r.basis,
        }
        for n, r in enumerate(application.refusal_reasons.all(), start=1)
    ]
    rights = [
        _(
            "If you disagree with this decision, you may apply for administrative reconsideration"
            " to the people's government of the same level or to the public security organ of the"
            " level above within 60 days of receiving it, or bring an administrative lawsuit in a"
            " people's court within 6 months (Administrative Reconsideration Law Art 20;"
            " Administrative Litigation Law Art 46)."
        ),
        _("You may also correct the reasons above and apply again at any time."),
    ]
    return render_letter(
        title=_("Written notice of refusal"),
        office_name=config.office_name_en if english else config.office_name_zh,
        reference=_("No. %(number)s") % {"number": application.reference},
        sections=[
            (_("Applicant"), party),
            (_("Application"), application_lines),
            (_("Reasons for refusal and their legal basis"), reasons),
            (_("Rights of appeal"), rights),
        ],
        footer=_(
            "Decided on %(day)s and served electronically through the online service platform."
            " Valid without a seal."
        )
        % {"day": f"{clock.local(application.decided_at or clock.now()):%Y-%m-%d}"},
    )


def refusal_letter_store(application: Application) -> Document:
    # The letter of record is in Chinese, the language of the office's acts.
    with translation.override("zh-hans"):
        content = refusal_letter_pdf(application)
    document = Document(
        application=application, kind=DocumentKind.REFUSAL_LETTER, created_at=clock.now()
    )
    document.file.save(f"{application.reference}-refusal.pdf", ContentFile(content), save=False)
    document.save()
    return document
