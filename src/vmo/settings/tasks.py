"""Celery settings: the broker, the queues and the beat schedule. With no broker configured,
tasks run inline in the calling process, so `make run` needs no other service."""

from __future__ import annotations

import os

from celery.schedules import crontab

# Celery: with no broker configured, tasks run inline in the calling process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A publish to a broker that is away never holds a request (issue 14: ~3 s each): the outbox
# row is already written and the sweeper queues what a request could not. kombu's connect time
# is also its whole retry budget, and its transport options say how often it retries: once
# connect within half a second (the AMQP handshake included), no retry, no publish retry loop.
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("CELERY_BROKER_CONNECTION_TIMEOUT", "0.5"))
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 0, "interval_start": 0, "interval_max": 0}
CELERY_TASK_PUBLISH_RETRY = False
# The worker's own consuming connection keeps retrying until the broker is back.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queues, so that short work never waits behind long work: one-time codes on their own queue
# (a code behind a 150,000-SMS scan would expire before it is sent), batch scans and generators on
# theirs, everything else on the default queue. The workers that consume them are listed in
# docs/operations.md; tests/test_architecture.py checks every task lands on a consumed queue.
CELERY_TASK_DEFAULT_QUEUE = "celery"
VMO_QUEUES = ("codes", "celery", "scans")
CELERY_TASK_ROUTES = {
    "notices.deliver_code": {"queue": "codes"},
    "notices.scans_run": {"queue": "scans"},
    "applications.deadline_scan": {"queue": "scans"},
    "bulletins.drafts_generate": {"queue": "scans"},
    "bulletins.publications_generate": {"queue": "scans"},
    "education.warnings_scan": {"queue": "scans"},
    "education.full_score_scan": {"queue": "scans"},
    "education.regional_warning_send": {"queue": "scans"},
    "violations.points_rollover": {"queue": "scans"},
    "violations.nominations_expire": {"queue": "scans"},
    "registry.deferrals_ended": {"queue": "scans"},
    "payments.reconcile_yesterday": {"queue": "scans"},
}
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # The outbox sweeper: queues due SMS/e-mail (after an outage, retries, quiet hours).
    "notices-dispatch": {"task": "notices.dispatch", "schedule": 60},
    # Online identity checks whose provider answers queries (FaceID): their asynchronous result.
    "identity-checks-poll": {"task": "accounts.identity_checks_poll", "schedule": 120},
    # Daily notice scans (licences, vehicles, violations, and any app's registered scans).
    "notices-scans-daily": {"task": "notices.scans_run", "schedule": crontab(hour=7, minute=30)},
    "accounts-codes-purge": {"task": "accounts.codes_purge", "schedule": 86400},
    "applications-deadline-scan": {
        "task": "applications.deadline_scan",
        "schedule": crontab(hour=7, minute=30),
    },
    "bulletins-publish-due": {"task": "bulletins.publish_due", "schedule": 60},
    "bulletins-drafts-generate": {
        "task": "bulletins.drafts_generate",
        "schedule": crontab(hour=2, minute=30),
    },
    "bulletins-publications-generate": {
        "task": "bulletins.publications_generate",
        "schedule": crontab(hour=3, minute=30),
    },
    "education-warnings-scan": {
        "task": "education.warnings_scan",
        "schedule": crontab(hour=7, minute=0),
    },
    "education-full-score-scan": {"task": "education.full_score_scan", "schedule": 3600},
    # Safe to run every hour: a day's seed, once committed, never changes.
    "plates-seed-commit": {"task": "plates.seed_commit", "schedule": 3600},
    "plates-seeds-reveal": {"task": "plates.seeds_reveal", "schedule": 3600},
    "plates-reservations-expire": {"task": "plates.reservations_expire", "schedule": 3600},
    "payments-orders-expire": {"task": "payments.orders_expire", "schedule": 300},
    # Superseded versions of materials, VMO_UPLOAD_RETENTION_DAYS after the decision.
    "applications-files-prune": {
        "task": "applications.files_prune",
        "schedule": crontab(hour=4, minute=0),
    },
    # Orders pending past a few minutes are asked about (their callbacks may be lost).
    "payments-orders-query-pending": {"task": "payments.orders_query_pending", "schedule": 120},
    # The sandbox sends again the callbacks we did not accept, with back-off (like a provider).
    "payments-sandbox-notices-resend": {"task": "payments.sandbox_notices_resend", "schedule": 60},
    # Points of a cycle that ended clear the day after (R163 Art 15); missed days catch up.
    "violations-points-rollover": {
        "task": "violations.points_rollover",
        "schedule": crontab(hour=0, minute=30),
    },
    # A renewal deferral ends after its last day (R162 Art 75): the stored N drops at once.
    "registry-deferrals-ended": {
        "task": "registry.deferrals_ended",
        "schedule": crontab(hour=0, minute=15),
    },
    "violations-nominations-expire": {
        "task": "violations.nominations_expire",
        "schedule": crontab(hour=0, minute=45),
    },
    "violations-binding-codes-purge": {
        "task": "violations.binding_codes_purge",
        "schedule": 86400,
    },
    # Alipay's bill of a day is ready after 09:00 the next day, WeChat Pay's after 10:00.
    "payments-reconcile-yesterday": {
        "task": "payments.reconcile_yesterday",
        "schedule": crontab(hour=10, minute=30),
    },
}
