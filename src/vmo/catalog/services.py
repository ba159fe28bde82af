"""Every write of the regulation summaries: written by an editor, reviewed by another editor,
published, taken back to a draft. Nothing is deleted; each change is an event in the history
(vmo.core.services.event_record) in the same transaction.

The views check the capabilities (content.edit to write and submit, content.review to approve,
return and withdraw); the services enforce what holds whoever calls them: only a draft is
edited, and nobody reviews a text they wrote, edited or submitted (the one reviewed-content
mechanism, vmo.core.review).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vmo.core import clock, review
from vmo.core.pagecache import public_pages_changed
from vmo.core.review import ReviewSteps, review_lock
from vmo.core.services import event_record

from .choices import RegulationState
from .html import plain_text, sanitise
from .models import RegulationSummary

if TYPE_CHECKING:
    from vmo.accounts.models import User

S = RegulationState
TITLE_MAX = 200
SUMMARY_MAX = 20000


@dataclass(frozen=True)
class RegulationText:
    """What an editor writes; the rest of a summary is its workflow."""

    title_zh: str
    issuer_zh: str
    effective_on: date | None
    summary_zh: str
    title_en: str = ""
    issuer_en: str = ""
    document_number: str = ""
    summary_en: str = ""
    official_url: str = ""

    def cleaned(self) -> RegulationText:
        return RegulationText(
            title_zh=self.title_zh.strip(),
            title_en=self.title_en.strip(),
            issuer_zh=self.issuer_zh.strip(),
            issuer_en=self.issuer_en.strip(),
            document_number=self.document_number.strip(),
            effective_on=self.effective_on,
            summary_zh=sanitise(self.summary_zh),
            summary_en=sanitise(self.summary_en),
            official_url=self.official_url.strip(),
        )


def check_text(*, text: RegulationText) -> dict[str, list[str]]:
    """Every problem with a summary's text, by field (empty when it is fine)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not text.title_zh:
        add("title_zh", _("Give the regulation's Chinese title."))
    for name in ("title_zh", "title_en"):
        if len(getattr(text, name)) > TITLE_MAX:
            add(name, _("At most %(limit)d characters.") % {"limit": TITLE_MAX})
    if not text.issuer_zh:
        add("issuer_zh", _("Say who issued the regulation."))
    if text.effective_on is None:
        add("effective_on", _("Give the date the regulation is in force from."))
    if not plain_text(text.summary_zh):
        add("summary_zh", _("Write the summary in Chinese."))
    for name in ("summary_zh", "summary_en"):
        if len(getattr(text, name)) > SUMMARY_MAX:
            add(name, _("At most %(limit)d characters.") % {"limit": SUMMARY_MAX})
    if text.official_url:
        try:
            URLValidator(schemes=["http", "https"])(text.official_url)
        except ValidationError:
            add("official_url", _("Give a web address starting with http:// or https://."))
    return errors


def _snapshot(r: RegulationSummary) -> dict[str, Any]:
    return {
        "state": r.state,
        "title_zh": r.title_zh,
        "document_number": r.document_number,
        "effective_on": r.effective_on.isoformat() if r.effective_on else "",
    }


STEPS = ReviewSteps[RegulationSummary](
    action="regulation",
    snapshot=_snapshot,
    wrong_state=gettext_lazy("This cannot be done to a summary that is %(state)s."),
)
_require_state = STEPS.require_state


def _apply(regulation: RegulationSummary, text: RegulationText) -> None:
    for name in RegulationText.__dataclass_fields__:
        setattr(regulation, name, getattr(text, name))


def regulation_create(*, actor: User, text: RegulationText) -> RegulationSummary:
    text = text.cleaned()
    errors = check_text(text=text)
    if errors:
        raise ValidationError(errors)
    regulation = RegulationSummary()
    _apply(regulation, text)
    return review.reviewed_create(steps=STEPS, actor=actor, item=regulation)


def regulation_update(
    *, actor: User, regulation: RegulationSummary, text: RegulationText
) -> RegulationSummary:
    """Only a draft is edited: a published text never changes without a new review."""
    text = text.cleaned()
    return review.reviewed_update(
        steps=STEPS,
        actor=actor,
        item=regulation,
        check=lambda _regulation: check_text(text=text),
        apply=lambda regulation: _apply(regulation, text),
    )


def regulation_submit(*, actor: User, regulation: RegulationSummary) -> RegulationSummary:
    return review.reviewed_submit(steps=STEPS, actor=actor, item=regulation)


def _publish(regulation: RegulationSummary, now: datetime) -> None:
    regulation.state = S.PUBLISHED
    regulation.published_at = now


def regulation_approve(*, actor: User, regulation: RegulationSummary) -> RegulationSummary:
    """Published at once; the regulations and downloads pages, cached for visitors, are told."""
    return review.reviewed_approve(steps=STEPS, actor=actor, item=regulation, publish=_publish)


def _check_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason.")]})
    return reason


def regulation_return(
    *, actor: User, regulation: RegulationSummary, reason: str
) -> RegulationSummary:
    """The reviewer sends it back to the authors with what to change."""
    return review.reviewed_return(
        steps=STEPS, actor=actor, item=regulation, reason=_check_reason(reason)
    )


@transaction.atomic
def regulation_withdraw(
    *, actor: User, regulation: RegulationSummary, reason: str
) -> RegulationSummary:
    """Off the public page and back to a draft (to correct it, or because it is repealed)."""
    reason = _check_reason(reason)
    regulation = review_lock(regulation)
    _require_state(regulation, S.PUBLISHED)
    before = _snapshot(regulation)
    regulation.state = S.DRAFT
    regulation.published_at = None
    regulation.reviewed_by = None
    regulation.return_reason = reason
    regulation.updated_at = clock.now()
    regulation.save()
    event_record(
        actor=actor,
        subject=regulation,
        action="regulation.withdraw",
        before=before,
        after=_snapshot(regulation),
        reason=reason,
    )
    public_pages_changed()
    return regulation
