import django_fsm
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

# Open as the constraint counts them; the undecided ones among them may be closed.
IN_PROGRESS = ("draft", "correction", "submitted", "resubmitted", "review", "approved")
CLOSABLE = ("draft", "correction", "submitted", "resubmitted", "review")
# The one kept of a group: the furthest along, then a paid one, then the newest.
RANK = {"approved": 5, "review": 4, "resubmitted": 3, "submitted": 3, "correction": 2, "draft": 1}


def close_duplicates(apps, schema_editor):
    """Before the constraint: of two open applications for one business and record, the one
    kept is the furthest along; the others are closed as superseded, with the reason in their
    history. A paid fee of a closed one is for the office to refund (listed in the history)."""
    Application = apps.get_model("applications", "Application")
    Event = apps.get_model("core", "Event")
    groups: dict[tuple, list] = {}
    for app in Application.objects.filter(status__in=IN_PROGRESS).exclude(
        licence__isnull=True, vehicle__isnull=True
    ):
        key = (
            (app.business_code, "licence", app.licence_id)
            if app.licence_id
            else (app.business_code, "vehicle", app.vehicle_id)
        )
        groups.setdefault(key, []).append(app)
    now = timezone.now()
    for rows in groups.values():
        if len(rows) < 2:
            continue
        rows.sort(key=lambda a: (RANK[a.status], a.paid_at is not None, a.created_at), reverse=True)
        kept = rows[0]
        for app in rows[1:]:
            if app.status not in CLOSABLE:
                continue
            before = app.status
            app.status = "closed"
            app.closed_reason = "superseded"
            app.save(update_fields=["status", "closed_reason"])
            Event.objects.create(
                occurred_at=now,
                subject_type="applications.application",
                subject_id=str(app.pk),
                action="application.close",
                before={"status": before},
                after={
                    "status": "closed",
                    "reason": "superseded",
                    "by": kept.reference,
                    "paid": app.paid_at is not None,
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0002_counterparty"),
        ("core", "0004_data_access_role"),
        ("registry", "0004_plate_types_ga36"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="closed_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    (
                        "superseded",
                        "another application for the same service and record replaced it",
                    ),
                    ("moot", "the records changed, so it is no longer needed"),
                ],
                max_length=12,
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="status",
            field=django_fsm.FSMField(
                choices=[
                    ("draft", "draft"),
                    ("submitted", "submitted"),
                    ("correction", "needs correction"),
                    ("resubmitted", "resubmitted"),
                    ("review", "under review"),
                    ("approved", "approved"),
                    ("completed", "completed"),
                    ("refused", "refused"),
                    ("withdrawn", "withdrawn"),
                    ("closed", "closed"),
                ],
                default="draft",
                max_length=12,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(close_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("licence__isnull", False),
                    (
                        "status__in",
                        ("draft", "correction", "submitted", "resubmitted", "review", "approved"),
                    ),
                ),
                fields=("business_code", "licence"),
                name="one_open_application_per_licence",
            ),
        ),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    (
                        "status__in",
                        ("draft", "correction", "submitted", "resubmitted", "review", "approved"),
                    ),
                    ("vehicle__isnull", False),
                ),
                fields=("business_code", "vehicle"),
                name="one_open_application_per_vehicle",
            ),
        ),
    ]
