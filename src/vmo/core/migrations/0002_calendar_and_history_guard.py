"""Seed the official holiday schedule 2025-2027.

(The history's database guards are installed after every migrate: see core/history_guard.py.)

2025: 国办发明电〔2024〕12号. 2026: 国务院办公厅 2025-11 notice. 2027: the State Council had not
published its schedule when this was written; the statutory days (全国年节及纪念日放假办法, 2025
revision) are entered as provisional, without adjusted working weekends, for officers to complete.
"""

from datetime import date, timedelta

from django.db import migrations


def _span(start, end):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


HOLIDAYS = [
    ("元旦", date(2025, 1, 1), date(2025, 1, 1)),
    ("春节", date(2025, 1, 28), date(2025, 2, 4)),
    ("清明节", date(2025, 4, 4), date(2025, 4, 6)),
    ("劳动节", date(2025, 5, 1), date(2025, 5, 5)),
    ("端午节", date(2025, 5, 31), date(2025, 6, 2)),
    ("国庆节、中秋节", date(2025, 10, 1), date(2025, 10, 8)),
    ("元旦", date(2026, 1, 1), date(2026, 1, 3)),
    ("春节", date(2026, 2, 15), date(2026, 2, 23)),
    ("清明节", date(2026, 4, 4), date(2026, 4, 6)),
    ("劳动节", date(2026, 5, 1), date(2026, 5, 5)),
    ("端午节", date(2026, 6, 19), date(2026, 6, 21)),
    ("中秋节", date(2026, 9, 25), date(2026, 9, 27)),
    ("国庆节", date(2026, 10, 1), date(2026, 10, 7)),
]
WORKING_WEEKENDS = [
    ("春节调休上班", date(2025, 1, 26)),
    ("春节调休上班", date(2025, 2, 8)),
    ("劳动节调休上班", date(2025, 4, 27)),
    ("国庆节调休上班", date(2025, 9, 28)),
    ("国庆节调休上班", date(2025, 10, 11)),
    ("元旦调休上班", date(2026, 1, 4)),
    ("春节调休上班", date(2026, 2, 14)),
    ("春节调休上班", date(2026, 2, 28)),
    ("劳动节调休上班", date(2026, 5, 9)),
    ("国庆节调休上班", date(2026, 9, 20)),
    ("国庆节调休上班", date(2026, 10, 10)),
]
PROVISIONAL_2027 = [
    ("元旦", date(2027, 1, 1), date(2027, 1, 1)),
    ("春节", date(2027, 2, 5), date(2027, 2, 8)),
    ("清明节", date(2027, 4, 5), date(2027, 4, 5)),
    ("劳动节", date(2027, 5, 1), date(2027, 5, 2)),
    ("端午节", date(2027, 6, 9), date(2027, 6, 9)),
    ("中秋节", date(2027, 9, 15), date(2027, 9, 15)),
    ("国庆节", date(2027, 10, 1), date(2027, 10, 3)),
]


def seed(apps, schema_editor):
    CalendarDay = apps.get_model("core", "CalendarDay")
    rows = {}
    for name, start, end in HOLIDAYS:
        for day in _span(start, end):
            rows[day] = CalendarDay(day=day, is_working_day=False, name=name)
    for name, day in WORKING_WEEKENDS:
        rows[day] = CalendarDay(day=day, is_working_day=True, name=name)
    for name, start, end in PROVISIONAL_2027:
        for day in _span(start, end):
            rows[day] = CalendarDay(day=day, is_working_day=False, name=name, provisional=True)
    CalendarDay.objects.bulk_create(rows.values(), ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
