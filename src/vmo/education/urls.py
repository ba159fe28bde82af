from django.urls import path

from . import views

app_name = "education"
urlpatterns = [
    path("", views.index, name="index"),
    path("warnings/", views.warnings, name="warnings"),
    path("images/<str:name>", views.image, name="image"),
    path("results/<int:pk>/", views.quiz_result, name="result"),
    path("certificates/<int:pk>.pdf", views.certificate, name="certificate"),
    path("c/<slug:code>/", views.course_detail, name="course"),
    path("c/<slug:code>/start/", views.course_start, name="start"),
    path("c/<slug:code>/quiz/", views.quiz, name="quiz"),
    path("c/<slug:code>/quiz/submit/", views.quiz_submit, name="quiz_submit"),
    path("c/<slug:code>/<slug:lesson_code>/", views.lesson_detail, name="lesson"),
    path("c/<slug:code>/<slug:lesson_code>/done/", views.lesson_done, name="lesson_done"),
]
