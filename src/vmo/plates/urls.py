from django.urls import path

from . import views

app_name = "plates"
urlpatterns = [
    path("", views.index, name="index"),
    path("start/", views.draw_start, name="start"),
    path("draws/<str:public_id>/", views.draw_detail, name="draw"),
    path("draws/<str:public_id>/again/", views.draw_again, name="draw_again"),
    path("compose/", views.compose, name="compose"),
    path("reservations/<int:pk>/", views.reservation_detail, name="reservation"),
    path("reservations/<int:pk>/release/", views.reservation_release, name="release"),
    path("verify/", views.verify, name="verify"),
    path("results/", views.results, name="results"),
]
