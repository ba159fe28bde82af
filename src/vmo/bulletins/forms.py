"""Forms of the public lists and the officers' pages. The rules live in the services; a form
only reads the input, and the view hands every problem the service names back to its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .builders import UPLOADED_KINDS
from .choices import AnnouncementKind, PublicationKind

MOMENT = "%Y-%m-%dT%H:%M"


class MomentInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=MOMENT, **kwargs)


def _moment(label: Any, help_text: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        input_formats=[MOMENT, "%Y-%m-%d %H:%M"],
        widget=MomentInput(),
        help_text=help_text,
    )


class AnnouncementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AnnouncementKind.choices)
    # The office writes its announcements in Chinese: the fields say so to screen readers on
    # an English page.
    title = forms.CharField(
        label=_("Title"), max_length=200, widget=forms.TextInput(attrs={"lang": "zh-Hans"})
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "lang": "zh-Hans"}),
        help_text=_(
            "Plain text or simple HTML: paragraphs, line breaks, bold, italics, lists, links, "
            "headings (h3, h4) and tables. Anything else is removed when saved."
        ),
    )
    publish_at = _moment(
        _("Publish at"),
        _("Office time (Beijing). Leave empty to publish as soon as a reviewer approves it."),
    )
    expire_at = _moment(
        _("Expires at"),
        _("After this it leaves the current list and stays readable in the archive. Optional."),
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            # The kind decides the list columns and the review path: fixed once written.
            del self.fields["kind"]


class ScheduleForm(forms.Form):
    publish_at = _moment(_("Publish at"), _("Office time (Beijing)."))
    expire_at = _moment(_("Expires at"), _("Leave empty to keep it current until withdrawn."))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ApproveForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class UploadForm(forms.Form):
    KIND_CHOICES = [(k.value, k.label) for k in PublicationKind if k in UPLOADED_KINDS]
    kind = forms.ChoiceField(label=_("Table"), choices=KIND_CHOICES)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty for the kind and the data date."),
    )
    data_date = forms.DateField(
        label=_("Data date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day the figures are as of."),
    )
    note = forms.CharField(
        label=_("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 or GB18030, at most 2 MB; the first line names the columns."),
    )
