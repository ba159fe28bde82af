"""Real PDF files for upload tests, built by hand so every byte is known (issue 12 finding 5)."""

from __future__ import annotations

import zlib


def build_pdf(
    *extra_objects: bytes, catalog_extra: bytes = b"", object_stream: bytes = b""
) -> bytes:
    """A one-page PDF with a correct cross-reference table. ``extra_objects`` become objects 4,
    5, ...; ``catalog_extra`` is added inside the catalogue (e.g. b"/OpenAction 4 0 R").
    ``object_stream`` (the body of object 4's dictionary) puts that object, compressed, in an
    object stream with a cross-reference stream, as modern writers do."""
    if object_stream:
        return _with_object_stream(object_stream, catalog_extra)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        *extra_objects,
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _with_object_stream(hidden: bytes, catalog_extra: bytes) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    plain = {
        1: b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    }
    for number, body in plain.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    # Object 5 is an object stream holding object 4.
    header = b"4 0 "
    data = zlib.compress(header + hidden)
    offsets[5] = len(out)
    out += (
        b"5 0 obj\n<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(header), len(data))
        + data
        + b"\nendstream\nendobj\n"
    )
    # Object 6 is the cross-reference stream.
    rows = bytearray()
    rows += bytes([0]) + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big")
    for number in (1, 2, 3):
        rows += bytes([1]) + offsets[number].to_bytes(4, "big") + (0).to_bytes(2, "big")
    rows += bytes([2]) + (5).to_bytes(4, "big") + (0).to_bytes(2, "big")  # obj 4 in stream 5
    rows += bytes([1]) + offsets[5].to_bytes(4, "big") + (0).to_bytes(2, "big")
    xref_at = len(out)
    rows += bytes([1]) + xref_at.to_bytes(4, "big") + (0).to_bytes(2, "big")
    packed = zlib.compress(bytes(rows))
    out += (
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode"
        b" /Length %d >>\nstream\n" % len(packed) + packed + b"\nendstream\nendobj\n"
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


MINIMAL_PDF = build_pdf()
