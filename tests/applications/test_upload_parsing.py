"""Issue 12 findings 5 and 6: uploads are judged by a PDF parser and by the image header."""

from __future__ import annotations

import struct
import tracemalloc
import zlib
from io import BytesIO

import pytest
from django.utils import translation

from tests.pdfs import MINIMAL_PDF, build_pdf
from vmo.applications.uploads import UploadRefused, check_upload
from vmo.catalog.spec import FileKind, Material

REFUSED = "PDF files with scripts, actions or embedded files are not accepted."
PDF_MATERIAL = Material(
    code="medical", name="certificate", description="", example="", kinds=(FileKind.PDF,)
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _refusal(data: bytes, material: Material = PDF_MATERIAL) -> list[str]:
    with pytest.raises(UploadRefused) as caught:
        check_upload(BytesIO(data), material)
    return caught.value.messages


def test_a_plain_pdf_is_accepted():
    assert check_upload(BytesIO(MINIMAL_PDF), PDF_MATERIAL).content_type == "application/pdf"


def test_a_pdf_with_a_clean_object_stream_is_accepted():
    data = build_pdf(object_stream=b"<< /Producer (scanner) >>", catalog_extra=b"/Info2 4 0 R")
    assert check_upload(BytesIO(data), PDF_MATERIAL).extension == ".pdf"


@pytest.mark.parametrize(
    ("objects", "catalog"),
    [
        ((b"<< /S /JavaScript /JS (app.alert(1)) >>",), b"/OpenAction 4 0 R"),
        ((b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>",), b"/OpenAction 4 0 R"),
        ((b"<< /S /L#61unch /F (calc.exe) >>",), b"/OpenAction 4 0 R"),
        ((b"<< /O << /S /GoTo >> >>",), b"/A#41 4 0 R"),
        (
            (b"<< /Names [(a) 5 0 R] >>", b"<< /Type /Filespec /F (x.exe) >>"),
            b"/Names << /EmbeddedFil#65s 4 0 R >>",
        ),
        ((b"<< /Type /Annot /Subtype /RichMedia >>",), b"/Extra [4 0 R]"),
        ((b"<< /Fields [] /XF#41 5 0 R >>", b"<< >>"), b"/AcroForm 4 0 R"),
    ],
    ids=[
        "javascript",
        "javascript-name-escaped",
        "launch-name-escaped",
        "additional-actions",
        "embedded-files-escaped",
        "rich-media",
        "xfa-escaped",
    ],
)
def test_active_pdfs_are_refused_however_the_names_are_escaped(objects, catalog):
    assert _refusal(build_pdf(*objects, catalog_extra=catalog)) == [REFUSED]


def test_a_script_hidden_in_a_compressed_object_stream_is_refused():
    data = build_pdf(
        object_stream=b"<< /S /J#61vaScript /JS (app.alert(1)) >>",
        catalog_extra=b"/OpenAction 4 0 R",
    )
    assert b"JavaScript" not in data and b"J#61" not in data  # nothing a byte scan could see
    assert _refusal(data) == [REFUSED]


def test_something_that_only_looks_like_a_pdf_is_refused():
    fake = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    assert _refusal(fake) == ["The file is not a PDF document."]


def _png_bomb(width: int, height: int) -> bytes:
    """A valid grey PNG of zeros: a few hundred KB that decode to width × height bytes."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    packer = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def test_an_image_bomb_is_refused_from_its_header_before_any_decoding():
    bomb = _png_bomb(7000, 11400)  # the finding's 79.8 million pixels
    assert len(bomb) < 400_000
    material = Material(
        code="photo", name="photo", description="", example="", kinds=(FileKind.IMAGE,)
    )
    tracemalloc.start()
    try:
        messages = _refusal(bomb, material)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert messages == ["The image has too many pixels: at most 40 million are accepted."]
    assert peak < 20 * 1024 * 1024  # decoding would take 80 MB
