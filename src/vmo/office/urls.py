from django.urls import path

from . import views

app_name = "office"
urlpatterns = [
    path("", views.home, name="home"),
    path("persons/", views.person_search, name="person_search"),
    path("persons/<int:person_id>/", views.person_detail, name="person_detail"),
    path("audit/access/", views.access_log, name="access_log"),
]
