from django.db import migrations

# The records already entered: first the vehicle's owner now, a person or a company, the best
# the record itself holds...
OWNER_NOW = """
UPDATE violations_violation SET
    owner_person_id = (
        SELECT v.owner_person_id FROM registry_vehicle v
        WHERE v.id = violations_violation.vehicle_id
    ),
    owner_company_id = (
        SELECT v.owner_company_id FROM registry_vehicle v
        WHERE v.id = violations_violation.vehicle_id
    )
WHERE vehicle_id IS NOT NULL AND owner_person_id IS NULL AND owner_company_id IS NULL
"""

# ...then, for an offence before a transfer, the owner the transfer ended (the transfers known
# from the history, registry 0009): the owner at the time answers for it (RTSL Art 114).
AT_THE_TIME = """
UPDATE violations_violation SET
    owner_person_id = (
        SELECT p.owner_person_id FROM registry_pastowner p
        WHERE p.vehicle_id = violations_violation.vehicle_id
          AND p.until > violations_violation.occurred_at
        ORDER BY p.until LIMIT 1
    ),
    owner_company_id = (
        SELECT p.owner_company_id FROM registry_pastowner p
        WHERE p.vehicle_id = violations_violation.vehicle_id
          AND p.until > violations_violation.occurred_at
        ORDER BY p.until LIMIT 1
    )
WHERE EXISTS (
    SELECT 1 FROM registry_pastowner p
    WHERE p.vehicle_id = violations_violation.vehicle_id
      AND p.until > violations_violation.occurred_at
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0009_past_owners"),
        ("violations", "0010_violation_owner_company"),
    ]

    operations = [
        migrations.RunSQL(OWNER_NOW, migrations.RunSQL.noop),
        migrations.RunSQL(AT_THE_TIME, migrations.RunSQL.noop),
    ]
