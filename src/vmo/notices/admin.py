from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from vmo.core.masking import mask_email, mask_phone

from .choices import Channel
from .models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """The outbox, read-only. Texts are not shown: SMS bodies carry one-time codes."""

    list_display = [
        "created_at",
        "channel",
        "kind",
        "masked_recipient",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["channel", "status", "kind"]
    readonly_fields = (
        "channel",
        "kind",
        "user",
        "masked_recipient",
        "subject",
        "status",
        "attempts",
        "created_at",
        "sent_at",
        "read_at",
    )
    fields = readonly_fields
    date_hierarchy = "created_at"

    @admin.display(description=_("recipient"))
    def masked_recipient(self, obj: Message) -> str:
        if obj.channel == Channel.SMS:
            return mask_phone(obj.recipient)
        return mask_email(obj.recipient)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
