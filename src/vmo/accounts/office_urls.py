from django.urls import path

from . import office_views

app_name = "accounts_office"
urlpatterns = [
    path("", office_views.office_identity, name="identity"),
]
