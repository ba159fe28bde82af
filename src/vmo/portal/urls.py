from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.my_status, name="my_status"),
    path("me/data-access/", views.data_access, name="data_access"),
]
