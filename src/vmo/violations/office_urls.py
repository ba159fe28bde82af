from django.urls import path

from . import office_views

app_name = "violations_office"
urlpatterns = [
    path("", office_views.violations, name="violations"),
    path("<int:pk>/", office_views.violation_detail, name="violation_detail"),
    path("<int:pk>/void/", office_views.violation_void, name="violation_void"),
    path("<int:pk>/decide/", office_views.violation_counter_decide, name="violation_decide"),
    path("proxy/", office_views.proxy_list, name="proxy_list"),
    path("proxy/<int:pk>/clear/", office_views.proxy_clear, name="proxy_clear"),
    path("intake/", office_views.intake_batches, name="intake_batches"),
    path("intake/<int:pk>/", office_views.intake_batch, name="intake_batch"),
]
