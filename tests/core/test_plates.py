"""Issue 15 finding 15: a plate is written one way everywhere. The model's display, the
selector for bare numbers read from queries and the template filter all use core.plates."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from vmo.core.plates import plate_text
from vmo.registry.models import Plate
from vmo.registry.selectors import plate_display


@pytest.mark.parametrize(
    ("raw", "written"),
    [
        ("新BA7K21", "新B·A7K21"),
        ("新B·A7K21", "新B·A7K21"),
        (" 新BA7K21 ", "新B·A7K21"),
        ("使014001", "使014·001"),
        ("LSVAU2180N2183294", "LSVAU2180N2183294"),  # a VIN, as it is
        ("", ""),
    ],
)
def test_every_path_writes_a_plate_the_same_way(raw, written):
    assert plate_text(raw) == written
    assert plate_display(raw) == written
    if raw.strip():
        assert Plate(number=raw.strip()).display == written
    rendered = Template("{{ n|plate }}").render(Context({"n": raw}))
    assert (
        rendered.replace('<span lang="zh-Hans" class="plate-text">', "").replace("</span>", "")
        == written
    )
    if written and "\u4e00" <= written[0] <= "\u9fff":
        assert 'lang="zh-Hans"' in rendered
