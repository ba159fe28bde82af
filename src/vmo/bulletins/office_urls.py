from django.urls import path

from . import office_views as views

app_name = "bulletins_office"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/return/", views.return_, name="return"),
    path("<int:pk>/schedule/", views.schedule, name="schedule"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("publications/", views.publications, name="publications"),
    path("publications/upload/", views.publication_upload, name="publication_upload"),
    path(
        "publications/<int:pk>/withdraw/",
        views.publication_withdraw,
        name="publication_withdraw",
    ),
]
