"""Settings of a Celery worker the fault tests start: the test settings, with the tasks it
queues itself (a scan's deliveries, a sweep's) published to the broker as in production, not
run inline in the same process."""

from vmo.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
