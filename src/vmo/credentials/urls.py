from django.urls import path

from . import views

app_name = "credentials"
urlpatterns = [
    path("me/licence/", views.licence, name="licence"),
    path("me/licence/qr/", views.licence_qr, name="licence_qr"),
    path("me/licence/pdf/", views.licence_pdf, name="licence_pdf"),
    path("me/vehicles/<int:pk>/licence/", views.vehicle, name="vehicle"),
    path("me/vehicles/<int:pk>/licence/qr/", views.vehicle_qr, name="vehicle_qr"),
    path("me/vehicles/<int:pk>/licence/pdf/", views.vehicle_pdf, name="vehicle_pdf"),
    path("verify/", views.verify, name="verify"),
    path(".well-known/jwks.json", views.jwks, name="jwks"),
    path("credentials/status/<str:name>.json", views.status_list, name="status_list"),
]
