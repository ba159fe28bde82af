import django.db.models.deletion
from django.db import migrations, models

# The records already entered take their vehicle's owner now: the best the history holds.
BACKFILL = """
UPDATE violations_violation SET owner_person_id = (
    SELECT v.owner_person_id FROM registry_vehicle v WHERE v.id = violations_violation.vehicle_id
) WHERE vehicle_id IS NOT NULL
"""


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0008_agent_authorisations"),
        ("violations", "0008_decision_channel_proxy_list"),
    ]

    operations = [
        migrations.AddField(
            model_name="violation",
            name="owner_person",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="registry.person",
            ),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
