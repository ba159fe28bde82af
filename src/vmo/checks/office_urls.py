from django.urls import path

from . import office_views

app_name = "checks_office"
urlpatterns = [
    path("", office_views.organisations, name="organisations"),
    path("refused-calls/", office_views.refused_calls, name="refused_calls"),
    path("register/", office_views.register, name="register"),
    path("<int:pk>/", office_views.organisation, name="organisation"),
    path("<int:pk>/keys/", office_views.key_issue, name="key_issue"),
    path("<int:pk>/keys/<int:key_id>/revoke/", office_views.key_revoke, name="key_revoke"),
    path("<int:pk>/calls/", office_views.calls, name="calls"),
]
