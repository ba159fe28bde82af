from django.urls import path

from . import views, violations_views

app_name = "office"
urlpatterns = [
    path("", views.home, name="home"),
    path("persons/", views.person_search, name="person_search"),
    path("persons/<int:person_id>/", views.person_detail, name="person_detail"),
    path("audit/access/", views.access_log, name="access_log"),
    path("violations/", violations_views.violations, name="violations"),
    path("violations/<int:pk>/", violations_views.violation_detail, name="violation_detail"),
    path("violations/<int:pk>/void/", violations_views.violation_void, name="violation_void"),
    path("violations/intake/", violations_views.intake_batches, name="intake_batches"),
    path("violations/intake/<int:pk>/", violations_views.intake_batch, name="intake_batch"),
]
