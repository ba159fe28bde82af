import django.db.models.deletion
from django.db import migrations, models


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
    ]
