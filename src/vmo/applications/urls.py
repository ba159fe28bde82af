from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/<str:code>/", views.start, name="start"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/form/", views.update, name="update"),
    path("<str:reference>/materials/<str:material>/", views.upload, name="upload"),
    path("<str:reference>/check/", views.check, name="check"),
    path("<str:reference>/submit/", views.submit, name="submit"),
    path("<str:reference>/withdraw/", views.withdraw, name="withdraw"),
    path("<str:reference>/pay/", views.pay, name="pay"),
    path("<str:reference>/files/<int:file_id>/", views.material_file, name="file"),
    path("<str:reference>/documents/<int:document_id>/", views.document, name="document"),
]
