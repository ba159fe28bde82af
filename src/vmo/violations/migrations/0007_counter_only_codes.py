"""Mark the codes that must be handled at a counter (a frozen copy of reference.COUNTER_ONLY)."""

from django.db import migrations

COUNTER_ONLY = ["1603", "1721", "1712", "1717"]


def mark(apps, schema_editor):
    apps.get_model("violations", "ViolationCode").objects.filter(code__in=COUNTER_ONLY).update(
        online_handleable=False
    )


def unmark(apps, schema_editor):
    apps.get_model("violations", "ViolationCode").objects.filter(code__in=COUNTER_ONLY).update(
        online_handleable=True
    )


class Migration(migrations.Migration):
    dependencies = [("violations", "0006_drop_like_indexes")]

    operations = [migrations.RunPython(mark, unmark)]
