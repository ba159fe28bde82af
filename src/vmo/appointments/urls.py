from django.urls import path

from . import views

app_name = "appointments"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/<int:session_id>/book/", views.book, name="book"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/reschedule/", views.reschedule, name="reschedule"),
    path("results/exams/", views.exam_results, name="exam_results"),
]
