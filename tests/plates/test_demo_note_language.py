"""Issue 15 finding 14: the demo's pool batches were noted "演示号码" (the seeding process's
language) and shown so on English pages; the note is a code now, said in the reader's language.
An officer's own note is shown as typed."""

from __future__ import annotations

import pytest
from django.utils import translation

from vmo.plates.models import PoolBatch
from vmo.plates.pool import demo_pool_load

pytestmark = pytest.mark.django_db


def test_the_demo_batches_note_reads_in_each_language():
    with translation.override("zh-hans"):  # seed_demo runs in the office's language
        batches = demo_pool_load(small=3, new_energy=1)
    assert batches
    for batch in PoolBatch.objects.filter(pk__in=[b.pk for b in batches]):
        with translation.override("en"):
            assert batch.note_text == "Demonstration numbers"
        with translation.override("zh-hans"):
            assert batch.note_text == "演示号码"


def test_an_officers_note_is_shown_as_typed():
    with translation.override("en"):
        assert PoolBatch(note="第二批投放").note_text == "第二批投放"
