from django.urls import path

from . import office_views, views

app_name = "catalog"
urlpatterns = [
    path("", views.index, name="index"),
    # Fixed words before the business codes: "regulations" is not a code.
    path("regulations/", views.regulations, name="regulations"),
    path("downloads/", views.downloads, name="downloads"),
    path("manage/", office_views.manage, name="manage"),
    path("manage/new/", office_views.create, name="manage_create"),
    path("manage/<int:pk>/", office_views.manage_detail, name="manage_detail"),
    path("manage/<int:pk>/edit/", office_views.edit, name="manage_edit"),
    path("manage/<int:pk>/submit/", office_views.submit, name="manage_submit"),
    path("manage/<int:pk>/approve/", office_views.approve, name="manage_approve"),
    path("manage/<int:pk>/return/", office_views.return_, name="manage_return"),
    path("manage/<int:pk>/withdraw/", office_views.withdraw, name="manage_withdraw"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/form.pdf", views.form_pdf, name="form_pdf"),
]
