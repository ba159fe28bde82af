"""Human booking references (issue 15 finding 15): the citizen quotes "YYA7K2M9PQ", never the
row id. Added empty, filled for the bookings already made, then made unique."""

from django.db import migrations, models

import vmo.appointments.models


def fill(apps, schema_editor):
    Booking = apps.get_model("appointments", "Booking")
    taken = set()
    for booking in Booking.objects.filter(reference__isnull=True).only("pk").iterator():
        reference = vmo.appointments.models.new_booking_reference()
        while reference in taken:
            reference = vmo.appointments.models.new_booking_reference()
        taken.add(reference)
        Booking.objects.filter(pk=booking.pk).update(reference=reference)


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0003_learner_failures_are_the_bookings"),
    ]

    operations = [
        migrations.AddField(
            model_name="booking",
            name="reference",
            field=models.CharField(
                editable=False, max_length=12, null=True, verbose_name="booking reference"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="booking",
            name="reference",
            field=models.CharField(
                default=vmo.appointments.models.new_booking_reference,
                editable=False,
                max_length=12,
                unique=True,
                verbose_name="booking reference",
            ),
        ),
    ]
