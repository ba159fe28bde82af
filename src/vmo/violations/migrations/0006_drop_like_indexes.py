"""Drop the varchar_pattern_ops ("_like") indexes that Django adds on PostgreSQL for
Violation.record_id and Violation.plate_number.

They serve only LIKE 'prefix%' searches, which nothing does on these columns (record ids and
plates are looked up exactly, through the plain unique and btree indexes, which stay), and each
costs about a tenth of the time of loading camera records. Django does not track these indexes
in its migration state and drops them with IF EXISTS when a field changes, so removing them here
cannot break a later migration.
"""

from django.db import migrations

LIKE_INDEXES = ["record_id", "plate_number"]


def drop_like_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Violation = apps.get_model("violations", "Violation")
    for name in LIKE_INDEXES:
        field = Violation._meta.get_field(name)
        index = schema_editor._create_index_name(
            Violation._meta.db_table, [field.column], suffix="_like"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(index)}")


def create_like_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Violation = apps.get_model("violations", "Violation")
    for name in LIKE_INDEXES:
        field = Violation._meta.get_field(name)
        sql = schema_editor._create_like_index_sql(Violation, field)
        if sql is not None:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("violations", "0005_binding_codes_decision_counter")]

    operations = [migrations.RunPython(drop_like_indexes, create_like_indexes)]
