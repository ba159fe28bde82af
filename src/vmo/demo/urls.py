from django.urls import path

from . import outbox

app_name = "demo"
urlpatterns = [path("outbox/", outbox.outbox, name="outbox")]
