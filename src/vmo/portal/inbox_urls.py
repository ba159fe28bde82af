from django.urls import path

from . import inbox_views

app_name = "portal_inbox"
urlpatterns = [
    path("", inbox_views.inbox, name="list"),
    path("<int:message_id>/", inbox_views.detail, name="detail"),
    path("read-all/", inbox_views.mark_all_read, name="mark_all_read"),
    path("preferences/", inbox_views.preferences, name="preferences"),
]
