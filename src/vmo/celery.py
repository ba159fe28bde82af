"""The Celery application. Brokers: RabbitMQ or Redis via CELERY_BROKER_URL; none = inline."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vmo.settings.dev")

app = Celery("vmo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
