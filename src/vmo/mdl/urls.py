from django.urls import path

from vmo.mdl import views

app_name = "mdl"

urlpatterns = [
    path("me/licence/mdoc/", views.mdoc_page, name="mdoc_page"),
    path("me/licence/mdoc/download", views.mdoc_file, name="mdoc_file"),
    path("mdl/iaca.pem", views.iaca_pem, name="iaca_pem"),
    path("mdl/iaca.crl", views.iaca_crl, name="iaca_crl"),
]
