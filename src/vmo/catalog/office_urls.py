from django.urls import path

from . import office_views

app_name = "catalog_office"
urlpatterns = [
    path("", office_views.manage, name="manage"),
    path("new/", office_views.create, name="manage_create"),
    path("<int:pk>/", office_views.manage_detail, name="manage_detail"),
    path("<int:pk>/edit/", office_views.edit, name="manage_edit"),
    path("<int:pk>/submit/", office_views.submit, name="manage_submit"),
    path("<int:pk>/approve/", office_views.approve, name="manage_approve"),
    path("<int:pk>/return/", office_views.return_, name="manage_return"),
    path("<int:pk>/withdraw/", office_views.withdraw, name="manage_withdraw"),
]
