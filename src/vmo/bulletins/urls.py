"""Public pages, mounted at the site root. Announcement links are /announcements/<year>/<number>/
and never change once given."""

from django.urls import path

from . import feeds, views

app_name = "bulletins"
urlpatterns = [
    path("announcements/", views.announcement_list, name="announcement_list"),
    path(
        "announcements/archive/",
        views.announcement_list,
        {"archive": True},
        name="announcement_archive",
    ),
    path("announcements/feed/", feeds.AnnouncementFeed(), name="announcement_feed"),
    path(
        "announcements/<int:year>/<int:number>/",
        views.announcement_detail,
        name="announcement_detail",
    ),
    path("publications/", views.publication_list, name="publication_list"),
    path(
        "publications/archive/",
        views.publication_list,
        {"archive": True},
        name="publication_archive",
    ),
    path("publications/feed/", feeds.PublicationFeed(), name="publication_feed"),
    path("publications/<int:pk>/", views.publication_detail, name="publication_detail"),
    path("publications/<int:pk>/csv/", views.publication_csv, name="publication_csv"),
]
