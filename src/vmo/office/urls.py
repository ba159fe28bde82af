from django.urls import path

from . import scrap_views, views

app_name = "office"
urlpatterns = [
    path("", views.home, name="home"),
    path("persons/", views.person_search, name="person_search"),
    path("persons/<int:person_id>/", views.person_detail, name="person_detail"),
    path("audit/access/", views.access_log, name="access_log"),
    path("vehicles/scrap/", scrap_views.scrap_list, name="scrap_list"),
    path("vehicles/scrap/<int:pk>/", scrap_views.scrap_confirm, name="scrap_confirm"),
    path("vehicles/scrap/<int:pk>/done/", scrap_views.scrap_done, name="scrap_done"),
]
