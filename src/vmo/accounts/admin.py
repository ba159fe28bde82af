"""The Django admin: only administrators who passed TOTP; accounts shown read-only, no hashes."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from .choices import OfficerRole
from .models import ApiToken, User
from .services import sessions_end_everywhere


class OfficeAdminSite(OTPAdminSite):
    site_header = _("Vehicle management office: administration")
    site_title = _("Administration")

    def has_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return bool(
            user.is_active
            and getattr(user, "is_officer", False)
            and user.role == OfficerRole.ADMINISTRATOR
            and user.is_verified()
        )

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # One sign-in for officers (password + TOTP); the admin has no form of its own.
        if self.has_permission(request):
            return redirect(reverse("admin:index", current_app=self.name))
        if request.user.is_authenticated:
            raise PermissionDenied
        target = request.GET.get(REDIRECT_FIELD_NAME) or reverse(
            "admin:index", current_app=self.name
        )
        return redirect_to_login(target, reverse("accounts:officer_login"))


# The default site object is shared by every app's admin.py, so change its class in place.
admin.site.__class__ = OfficeAdminSite


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    """Read-only: accounts change through services (sign-up, officer_create), which keep history."""

    list_display = [
        "username",
        "first_name",
        "kind",
        "role",
        "is_active",
        "last_login",
        "date_joined",
    ]
    list_filter = ["kind", "role", "is_active"]
    search_fields = ["username", "first_name"]
    readonly_fields = (
        "username",
        "first_name",
        "kind",
        "role",
        "person",
        "is_active",
        "is_staff",
        "is_superuser",
        "last_login",
        "date_joined",
    )
    fields = readonly_fields
    exclude = ["password", "session_salt"]
    actions = ["end_sessions"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Sign out everywhere"))
    def end_sessions(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            sessions_end_everywhere(user=user)
        self.message_user(
            request, _("The selected accounts were signed out everywhere."), messages.SUCCESS
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "prefix",
        "name",
        "user",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    list_filter = ["revoked_at"]
    readonly_fields = (
        "prefix",
        "name",
        "user",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
