from django.urls import path  # noqa: F401

app_name = "applications_office"
urlpatterns: list = []
