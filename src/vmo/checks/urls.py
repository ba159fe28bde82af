from django.urls import path

from . import views

app_name = "checks"
urlpatterns = [
    path("check/", views.check, name="check"),
    path("me/checks/", views.my_codes, name="my_codes"),
    path("me/checks/<int:pk>/revoke/", views.revoke, name="revoke"),
]
