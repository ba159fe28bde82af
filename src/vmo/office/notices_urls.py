from django.urls import path  # noqa: F401

app_name = "office_notices"
urlpatterns: list = []
