from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("orders/<str:reference>/", views.order_detail, name="order_detail"),
    path("orders/<str:reference>/pay/", views.order_pay, name="order_pay"),
    path("orders/<str:reference>/return/", views.order_return, name="order_return"),
    path("orders/<str:reference>/receipt.pdf", views.order_receipt, name="order_receipt"),
    path("callback/<slug:gateway>/", views.callback, name="callback"),
    path("office/reconciliation/", views.reconciliation, name="reconciliation"),
    path(
        "office/reconciliation/discrepancies/<int:pk>/resolve/",
        views.discrepancy_resolve,
        name="discrepancy_resolve",
    ),
    path("wechat/native/<str:token>/", views.wechat_native, name="wechat_native"),
    path("sandbox/pay/<str:token>/", views.sandbox_pay, name="sandbox_pay"),
]
