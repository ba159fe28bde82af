from django.urls import path

from . import email_tracking, webhooks

app_name = "notices"

urlpatterns = [
    path("sms/tencent/status/<str:token>/", webhooks.tencent_status, name="tencent_status"),
    path("sms/alibaba/report/<str:token>/", webhooks.alibaba_report, name="alibaba_report"),
    path("email/mailgun/tracking/", email_tracking.mailgun_tracking, name="mailgun_tracking"),
]
