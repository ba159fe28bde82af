from django.urls import path

from . import office_views as views

app_name = "applications_office"
urlpatterns = [
    path("", views.index, name="index"),
    path("queue/<slug:code>/", views.queue, name="queue"),
    path("compliance/", views.compliance, name="compliance"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/claim/", views.claim, name="claim"),
    path("<str:reference>/release/", views.release, name="release"),
    path("<str:reference>/check/", views.pass_check, name="check"),
    path("<str:reference>/corrections/", views.request_correction, name="correct"),
    path("<str:reference>/approve/", views.approve, name="approve"),
    path("<str:reference>/complete/", views.complete, name="complete"),
    path("<str:reference>/refuse/", views.refuse, name="refuse"),
    path("<str:reference>/counter/", views.to_counter, name="counter"),
    path("<str:reference>/delivery/", views.delivery_update, name="delivery"),
]
