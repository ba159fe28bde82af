from django.urls import path

from . import office_views as views

app_name = "education_office"
urlpatterns = [
    path("", views.home, name="home"),
    path("courses/new/", views.course_new, name="course_new"),
    path("courses/<int:pk>/", views.course_detail, name="course"),
    path("courses/<int:pk>/submit/", views.course_submit, name="course_submit"),
    path("courses/<int:pk>/publish/", views.course_publish, name="course_publish"),
    path("warnings/new/", views.warning_new, name="warning_new"),
    path("warnings/<int:pk>/submit/", views.warning_submit, name="warning_submit"),
    path("warnings/<int:pk>/publish/", views.warning_publish, name="warning_publish"),
    path("full-score/", views.full_score_list, name="full_score_list"),
    path("full-score/<int:person_id>/", views.person_study, name="full_score_person"),
    path("full-score/<int:person_id>/onsite/", views.onsite_record, name="onsite_record"),
    path(
        "full-score/<int:person_id>/finding/", views.full_score_finding, name="full_score_finding"
    ),
    path(
        "full-score/<int:person_id>/reduction/<int:enrolment_id>/finding/",
        views.reduction_finding,
        name="reduction_finding",
    ),
]
