from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_proxy_limits"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="actor_role",
            field=models.CharField(
                blank=True, default="", max_length=20, verbose_name="actor role"
            ),
        ),
    ]
