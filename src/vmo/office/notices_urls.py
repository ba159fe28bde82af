from django.urls import path

from . import notices_views

app_name = "office_notices"
urlpatterns = [
    path("", notices_views.catalogue, name="catalogue"),
    path("failures/", notices_views.failures, name="failures"),
]
