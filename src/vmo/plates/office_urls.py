from django.urls import path  # noqa: F401

app_name = "plates_office"
urlpatterns: list = []
