"""The project's URLs with the stand-ins of tests/accounts/urls.py, plus payments until the
project's urls.py includes it (then the real include wins and this adds nothing)."""

from django.urls import include, path

from tests.accounts.urls import urlpatterns as project_patterns

urlpatterns = list(project_patterns)
if not any(getattr(entry, "namespace", None) == "payments" for entry in urlpatterns):
    urlpatterns.insert(0, path("payments/", include("vmo.payments.urls")))
