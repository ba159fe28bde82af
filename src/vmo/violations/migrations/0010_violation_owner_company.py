import django.db.models.deletion
from django.db import migrations, models

# The records already entered of a company's vehicle take its owning company now, as 0009 did
# for people: the best the history holds.
BACKFILL = """
UPDATE violations_violation SET owner_company_id = (
    SELECT v.owner_company_id FROM registry_vehicle v WHERE v.id = violations_violation.vehicle_id
) WHERE vehicle_id IS NOT NULL AND owner_person_id IS NULL
"""


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0008_agent_authorisations"),
        ("violations", "0009_violation_owner_at_the_time"),
    ]

    operations = [
        migrations.AddField(
            model_name="violation",
            name="owner_company",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="registry.company",
            ),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
