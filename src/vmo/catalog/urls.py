from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.index, name="index"),
    # Fixed words before the business codes: "regulations" is not a code.
    path("regulations/", views.regulations, name="regulations"),
    path("downloads/", views.downloads, name="downloads"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/form.pdf", views.form_pdf, name="form_pdf"),
]
