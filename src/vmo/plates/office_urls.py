from django.urls import path

from . import office_views

app_name = "plates_office"
urlpatterns = [
    path("", office_views.home, name="home"),
    path("load/", office_views.pool_load, name="load"),
    path("withheld/", office_views.withheld, name="withheld"),
    path("withheld/<int:pk>/lift/", office_views.withheld_lift, name="withheld_lift"),
    path("seeds/commit/", office_views.seed_commit, name="seed_commit"),
    path("seeds/<int:pk>/reveal/", office_views.seed_reveal, name="seed_reveal"),
]
