import django.db.models.deletion
from django.db import migrations, models

# The records already entered get their owner in 0011: on PostgreSQL an UPDATE in the migration
# that adds the column leaves trigger events pending that the index built at its end refuses.


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
    ]
