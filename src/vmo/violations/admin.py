"""Administrators keep the violation-code table and the intake clients; every change goes
through a service, which checks it and writes history. Records and batches are read-only here:
officers work on them in the workbench."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .intake import intake_client_create, intake_client_set_active
from .models import IntakeBatch, IntakeClient, ViolationCode
from .records import LEGAL_POINTS, violation_code_save

if TYPE_CHECKING:
    from vmo.accounts.models import User


def _staff(request: HttpRequest) -> User:
    # The admin site serves only signed-in staff: its request never carries AnonymousUser.
    return cast("User", request.user)


class ViolationCodeForm(forms.ModelForm):
    points = forms.TypedChoiceField(
        label=_("points"),
        coerce=int,
        choices=[(p, str(p)) for p in LEGAL_POINTS],
        help_text=_("R163 Articles 8 to 12 give 12, 9, 6, 3 or 1 points; 0 for none."),
    )

    class Meta:
        model = ViolationCode
        fields = [
            "code",
            "description_zh",
            "description_en",
            "points",
            "fine_min_fen",
            "fine_max_fen",
            "legal_basis",
            "online_handleable",
            "speed_required",
        ]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not code.isdigit() or not 4 <= len(code) <= 5:
            raise ValidationError(_("A violation code has 4 or 5 digits."), code="code_format")
        return code

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high = cleaned.get("fine_min_fen"), cleaned.get("fine_max_fen")
        if low is not None and high is not None and low > high:
            self.add_error("fine_max_fen", _("The highest fine cannot be below the lowest fine."))
        return cleaned


@admin.register(ViolationCode)
class ViolationCodeAdmin(admin.ModelAdmin):
    form = ViolationCodeForm
    list_display = [
        "code",
        "description_zh",
        "points",
        "fine_min_fen",
        "fine_max_fen",
        "online_handleable",
        "speed_required",
    ]
    list_filter = ["points", "online_handleable", "speed_required"]
    search_fields = ["code", "description_zh", "description_en", "legal_basis"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        violation_code_save(code=obj, actor=_staff(request), reason="admin")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Records point at their code; an obsolete code is changed by a data migration.
        return False


class IntakeClientForm(forms.ModelForm):
    class Meta:
        model = IntakeClient
        fields = ["name", "active"]


@admin.register(IntakeClient)
class IntakeClientAdmin(admin.ModelAdmin):
    """The key is shown once, in a message, when the client is added; only its hash is kept."""

    form = IntakeClientForm
    list_display = ["name", "prefix", "active", "created_at", "last_used_at"]
    list_filter = ["active"]
    search_fields = ["name", "prefix"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A client is renamed by making a new one: its batches name it.
        return [*self.readonly_fields, "name"] if obj is not None else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            intake_client_set_active(client=obj, active=obj.active, actor=_staff(request))
            return
        raw, client = intake_client_create(name=obj.name, actor=_staff(request))
        if not obj.active:
            intake_client_set_active(client=client, active=False, actor=_staff(request))
        # The admin goes on with the object it was given: make it the saved one.
        obj.pk, obj.key_hash, obj.prefix, obj.created_at = (
            client.pk,
            client.key_hash,
            client.prefix,
            client.created_at,
        )
        obj._state.adding = False
        self.message_user(
            request,
            _("The key of %(name)s, shown this once only: %(key)s")
            % {"name": client.name, "key": raw},
            messages.WARNING,
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IntakeBatch)
class IntakeBatchAdmin(admin.ModelAdmin):
    list_display = [
        "received_at",
        "channel",
        "source_name",
        "total",
        "loaded",
        "duplicates",
        "rejected",
        "unmatched",
        "finished_at",
    ]
    list_filter = ["channel"]
    search_fields = ["source_name"]
    date_hierarchy = "received_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
