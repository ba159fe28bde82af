"""Storage bounded (issue 14: every version kept in full, identical files stored again, no
quota): the same content is stored once, an application and an applicant have quotas with a
clear message, superseded versions go after the decision per the retention rule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import translation

from vmo.applications import services
from vmo.applications.models import Application, ApplicationFile
from vmo.applications.storage import versions_prune
from vmo.core import clock

from .conftest import photo, start

pytestmark = pytest.mark.django_db


def _upload(user, app, upload, material="photo"):
    return services.material_upload(
        actor=user, application=app, material_code=material, upload=upload
    )


def test_the_same_file_sent_again_is_no_new_version_and_is_stored_once(holder):
    app = start(holder, "D02")
    first = _upload(holder, app, photo())
    again = _upload(holder, app, photo())
    assert again.pk == first.pk and ApplicationFile.objects.count() == 1
    other = _upload(holder, app, photo(width=400, height=492))
    assert (other.version, other.file.name != first.file.name) == (2, True)
    back = _upload(holder, app, photo())  # the first photo once more: a version, no new copy
    assert back.version == 3 and back.file.name == first.file.name
    assert ApplicationFile.objects.values("file").distinct().count() == 2


def test_an_application_over_its_quota_is_refused_with_the_figures(holder, settings):
    app = start(holder, "D02")
    stored = _upload(holder, app, photo())
    settings.VMO_UPLOAD_QUOTA_APPLICATION = stored.size + 100
    _upload(holder, app, photo())  # already stored: takes no room, so no refusal
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        _upload(holder, app, photo(width=400, height=492))
    (message,) = refused.value.message_dict["file"]
    assert message.startswith("This application already holds ")
    assert "KB of files and may hold" in message and "does not fit" in message
    assert ApplicationFile.objects.count() == 1


def test_an_applicant_over_their_quota_is_refused(holder, settings):
    app = start(holder, "D02")
    stored = _upload(holder, app, photo())
    settings.VMO_UPLOAD_QUOTA_PERSON = stored.size + 100
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        _upload(holder, app, photo(width=400, height=492))
    assert "Your applications already hold" in refused.value.message_dict["file"][0]
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        _upload(holder, app, photo(width=400, height=492))
    assert refused.value.message_dict["file"][0].startswith("您的各项申请已存放")


def test_superseded_versions_are_pruned_after_the_decision(holder, settings):
    settings.VMO_UPLOAD_RETENTION_DAYS = 30
    app = start(holder, "D02")
    old = _upload(holder, app, photo(width=400, height=492))
    kept_name = _upload(holder, app, photo()).file.name
    assert default_storage.exists(old.file.name)
    assert versions_prune() == {"versions": 0, "files": 0}  # not decided
    Application.objects.filter(pk=app.pk).update(
        status="completed", decided_at=clock.now() - timedelta(days=10)
    )
    assert versions_prune() == {"versions": 0, "files": 0}  # within the retention
    Application.objects.filter(pk=app.pk).update(decided_at=clock.now() - timedelta(days=31))
    assert versions_prune() == {"versions": 1, "files": 1}
    assert not default_storage.exists(old.file.name)
    assert list(ApplicationFile.objects.values_list("file", "current")) == [(kept_name, True)]
    assert default_storage.exists(kept_name)
    assert versions_prune() == {"versions": 0, "files": 0}
