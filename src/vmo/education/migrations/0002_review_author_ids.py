"""Courses and regional warnings join the one reviewed-content mechanism (vmo.core.review): the
people who wrote, edited or submitted an item are kept on it. Filled from what was kept before:
the author and every actor in the item's history (lessons added included), except the review
steps themselves, so no one who worked on an item becomes its reviewer after the change."""

from django.db import migrations, models

REVIEW_ACTIONS = ["course.publish", "course.return", "regional_warning.publish"]


def _actors(Event, *subjects):
    """Who acted on these (subject_type, ids) pairs, in the order they did."""
    where = models.Q(pk__in=[])
    for subject_type, subject_ids in subjects:
        where |= models.Q(subject_type=subject_type, subject_id__in=subject_ids)
    return list(
        Event.objects.filter(where)
        .exclude(action__in=REVIEW_ACTIONS)
        .exclude(actor_id=None)
        .order_by("occurred_at", "id")
        .values_list("actor_id", flat=True)
    )


def _ordered(*groups):
    seen = []
    for group in groups:
        for pk in group:
            if pk is not None and pk not in seen:
                seen.append(pk)
    return seen


def fill(apps, schema_editor):
    Event = apps.get_model("core", "Event")
    Course = apps.get_model("education", "Course")
    Lesson = apps.get_model("education", "Lesson")
    RegionalWarning = apps.get_model("education", "RegionalWarning")
    for course in Course.objects.all().iterator():
        lessons = [
            str(pk) for pk in Lesson.objects.filter(course=course).values_list("pk", flat=True)
        ]
        course.author_ids = _ordered(
            [course.author_id],
            _actors(Event, ("education.course", [str(course.pk)]), ("education.lesson", lessons)),
        )
        course.save(update_fields=["author_ids"])
    for warning in RegionalWarning.objects.all().iterator():
        warning.author_ids = _ordered(
            [warning.author_id], _actors(Event, ("education.regionalwarning", [str(warning.pk)]))
        )
        warning.save(update_fields=["author_ids"])


class Migration(migrations.Migration):
    dependencies = [("education", "0001_initial"), ("core", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="course",
            name="author_ids",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="regionalwarning",
            name="author_ids",
            field=models.JSONField(blank=True, default=list),
        ),
        # Reversing drops the column: the author and the history still hold what it was filled from.
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
