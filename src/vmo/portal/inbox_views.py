"""The citizen's inbox (/me/messages/) and notice preferences. Thin: selectors and services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from vmo.accounts.permissions import citizen_required
from vmo.core.forms import NamesSelect, errors_to_form
from vmo.notices import kinds
from vmo.notices import selectors as notice_selectors
from vmo.notices import services as notice_services
from vmo.notices.choices import Channel

if TYPE_CHECKING:
    from vmo.accounts.models import User

PER_PAGE = 20
OPTIONAL_CHANNELS = [(Channel.SMS, Channel.SMS.label), (Channel.EMAIL, Channel.EMAIL.label)]


def _user(request: HttpRequest) -> User:
    # Signed in: citizen_required lets no one else through.
    return cast("User", request.user)


@citizen_required
def inbox(request: HttpRequest) -> HttpResponse:
    # The body too: a row that kept no values is shown as sent, and a deferred body would be
    # one more query per row.
    rows = notice_selectors.inbox_for(request.user).only(
        "pk", "subject", "body", "kind", "context", "created_at", "read_at", "link", "language"
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    # Each in the language the reader reads the site in now, not the one of its sending.
    page.object_list = notice_selectors.inbox_shown(page.object_list)
    return render(
        request,
        "portal/inbox/list.html",
        {"page": page, "unread": notice_selectors.unread_count(request.user)},
    )


@citizen_required
def detail(request: HttpRequest, message_id: int) -> HttpResponse:
    message = notice_selectors.inbox_message(request.user, message_id)
    if message is None:
        raise Http404
    if message.read_at is None:
        notice_services.inbox_mark_read(user=_user(request), message_ids=[message.pk])
    message.shown = notice_selectors.shown(message)  # type: ignore[attr-defined]
    return render(request, "portal/inbox/detail.html", {"message": message})


@citizen_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = notice_services.inbox_mark_read(user=_user(request))
    flash.success(request, _("%(count)d messages marked as read.") % {"count": count})
    return redirect("portal_inbox:list")


class PreferenceForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language of notices"),
        choices=[("zh-hans", "简体中文"), ("en", "English")],
        widget=NamesSelect,
    )
    quiet_from = forms.TimeField(
        label=gettext_lazy("No SMS from"),
        required=False,
        help_text=gettext_lazy(
            "For example 22:00. An SMS due then waits until the quiet hours end."
        ),
    )
    quiet_to = forms.TimeField(
        label=gettext_lazy("No SMS until"),
        required=False,
        help_text=gettext_lazy("For example 07:00."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for group in kinds.Group:
            self.fields[f"group_{group.value}"] = forms.MultipleChoiceField(
                label=group.label,
                choices=OPTIONAL_CHANNELS,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=gettext_lazy(
                    "The inbox always gets every notice. Legal notices are sent by SMS whatever"
                    " you choose."
                ),
            )


def _initial(user: Any) -> dict[str, Any]:
    preference = notice_selectors.preference_for(user)
    initial: dict[str, Any] = {"language": preference.language if preference else "zh-hans"}
    if preference is not None:
        initial.update(quiet_from=preference.quiet_from, quiet_to=preference.quiet_to)
    for group in kinds.Group:
        chosen = preference.channels.get(group.value) if preference else None
        initial[f"group_{group.value}"] = (
            [c for c in chosen if c != Channel.IN_APP] if chosen is not None else [Channel.SMS]
        )
    return initial


@citizen_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferenceForm(request.POST or None, initial=_initial(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice_services.preference_update(
                user=_user(request),
                language=data["language"],
                channels={g.value: data[f"group_{g.value}"] for g in kinds.Group},
                quiet_from=data["quiet_from"],
                quiet_to=data["quiet_to"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            flash.success(request, _("Your notice preferences were saved."))
            return redirect("portal_inbox:preferences")
    return render(request, "portal/inbox/preferences.html", {"form": form})
