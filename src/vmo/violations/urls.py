from django.urls import path

from . import views

app_name = "violations"
urlpatterns = [
    path("", views.violation_list, name="list"),
    path("<int:pk>/", views.violation_detail, name="detail"),
    path("<int:pk>/handle/", views.violation_handle, name="handle"),
    path("<int:pk>/pay/", views.fine_pay, name="fine_pay"),
    path("<int:pk>/paid/", views.fine_return, name="fine_return"),
    path("<int:pk>/decision.pdf", views.decision_download, name="decision_pdf"),
    path("bindings/", views.bindings, name="bindings"),
    path("bindings/<int:vehicle_id>/confirm/", views.binding_confirm, name="binding_confirm"),
    path("bindings/<int:pk>/end/", views.binding_end, name="binding_end"),
    path("nominations/", views.nominations, name="nominations"),
    path("nominations/<int:pk>/answer/", views.nomination_answer, name="nomination_answer"),
]
