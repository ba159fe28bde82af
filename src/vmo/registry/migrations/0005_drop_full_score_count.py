from django.db import migrations


class Migration(migrations.Migration):
    """Drop DriverLicence.full_score_count: nothing raised it (only the demo generator wrote it),
    and full scores are counted from the kept FullScoreReached records (0003), so no data is lost."""

    dependencies = [
        ("registry", "0004_plate_types_ga36"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="driverlicence",
            name="full_score_count",
        ),
    ]
