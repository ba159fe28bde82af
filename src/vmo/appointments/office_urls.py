from django.urls import path

from . import office_views

app_name = "appointments_office"
urlpatterns = [
    path("", office_views.sessions, name="sessions"),
    path("sessions/new/", office_views.session_create, name="session_create"),
    path("sessions/<int:pk>/", office_views.session_detail, name="session"),
    path("bookings/<int:pk>/result/", office_views.result, name="result"),
]
