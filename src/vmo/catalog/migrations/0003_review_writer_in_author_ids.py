"""The reviewed-content mechanism (vmo.core.review) refuses as reviewer everyone in author_ids
only; before, the writer (created_by) was also checked on its own. Every service already put the
writer in the list; this makes sure rows written another way say so too. Nothing is removed."""

from django.db import migrations


def fill(apps, schema_editor):
    Model = apps.get_model("catalog", "RegulationSummary")
    for item in Model.objects.exclude(created_by=None).iterator():
        if item.created_by_id not in item.author_ids:
            item.author_ids = [item.created_by_id, *item.author_ids]
            item.save(update_fields=["author_ids"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_ship_regulation_summaries")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
