from django.urls import path

from . import identity_views

app_name = "accounts_office"
urlpatterns = [
    path("", identity_views.office_identity, name="identity"),
]
