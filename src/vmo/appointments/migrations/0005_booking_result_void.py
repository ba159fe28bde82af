from django.db import migrations, models


def void_found_passes(apps, schema_editor):
    """The passes an exam finding already voided (read until now from the finding) read void.
    The letters they lifted were not recorded then, so none is set again here."""
    Booking = apps.get_model("appointments", "Booking")
    Finding = apps.get_model("education", "CheatingFinding")
    Reached = apps.get_model("registry", "FullScoreReached")
    for finding in Finding.objects.filter(kind="exam").order_by("licence_id", "found_on"):
        reached = (
            Reached.objects.filter(licence_id=finding.licence_id, reached_on__lte=finding.found_on)
            .order_by("-reached_on")
            .first()
        )
        passes = Booking.objects.filter(
            licence_id=finding.licence_id,
            learner__isnull=True,
            kind="exam",
            status="passed",
            session__day__lte=finding.found_on,
        )
        if reached is not None:
            passes = passes.filter(session__day__gte=reached.reached_on)
        passes.update(status="voided")


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0004_booking_reference"),
        ("education", "0003_onsite_days_and_findings"),
        ("registry", "0003_full_score_reached"),
    ]

    operations = [
        migrations.AddField(
            model_name="booking",
            name="flags_lifted",
            field=models.CharField(blank=True, default="", editable=False, max_length=4),
        ),
        migrations.AlterField(
            model_name="booking",
            name="status",
            field=models.CharField(
                choices=[
                    ("booked", "booked"),
                    ("cancelled", "cancelled"),
                    ("rescheduled", "moved to another session"),
                    ("passed", "passed"),
                    ("failed", "failed"),
                    ("absent", "did not attend"),
                    ("voided", "passed, void (falsified)"),
                ],
                default="booked",
                max_length=12,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(void_found_passes, migrations.RunPython.noop),
    ]
