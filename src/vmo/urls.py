from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from vmo.api.api import api
from vmo.core import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("accounts/", include("vmo.accounts.urls")),
    path("office/", include("vmo.office.urls")),
    path("office/identity/", include("vmo.accounts.office_urls")),
    path("office/agents/", include("vmo.office.agents_urls")),
    path("office/notices/", include("vmo.office.notices_urls")),
    path("office/bulletins/", include("vmo.bulletins.office_urls")),
    path("office/plates/", include("vmo.plates.office_urls")),
    path("office/appointments/", include("vmo.appointments.office_urls")),
    path("office/learning/", include("vmo.education.office_urls")),
    path("office/applications/", include("vmo.applications.office_urls")),
    path("office/violations/", include("vmo.violations.office_urls")),
    path("office/catalog/", include("vmo.catalog.office_urls")),
    path("office/organisations/", include("vmo.checks.office_urls")),
    path("notices/", include("vmo.notices.urls")),
    path("", include("vmo.mdl.urls")),
    path("me/messages/", include("vmo.portal.inbox_urls")),
    path("applications/", include("vmo.applications.urls")),
    path("plates/", include("vmo.plates.urls")),
    path("appointments/", include("vmo.appointments.urls")),
    path("learn/", include("vmo.education.urls")),
    # /announcements/... and /publications/...
    path("", include("vmo.bulletins.urls")),
    path("guide/", include("vmo.catalog.urls")),
    path("payments/", include("vmo.payments.urls")),
    path("violations/", include("vmo.violations.urls")),
    path("django-admin/", admin.site.urls),
    # 404 unless the embedded default's console backends are in use (vmo.demo.outbox).
    path("demo/", include("vmo.demo.urls")),
    # /me/licence/, /me/vehicles/<id>/licence/, /verify/, /.well-known/jwks.json
    path("", include("vmo.credentials.urls")),
    path("", include("vmo.checks.urls")),
    path("", include("vmo.portal.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

# Styled, translated error pages (vmo.core.errors); Django's own only with DEBUG on.
handler400 = "vmo.core.errors.bad_request"
handler403 = "vmo.core.errors.permission_denied"
handler404 = "vmo.core.errors.page_not_found"
handler500 = "vmo.core.errors.server_error"
