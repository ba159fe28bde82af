"""Uploaded materials are judged by their content, never by their name or declared type.

An image must open as a JPEG or PNG, its size (read from the header) must be within the pixel
limit before anything is decoded, and it is re-encoded, which drops EXIF (location, camera) and
anything appended to the file. A PDF is opened by a PDF parser (pypdf), which reads names
however escaped (`/J#61vaScript`) and objects however compressed (object streams), and may not
carry scripts, launch actions, embedded files, rich media or XFA forms anywhere.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from io import BytesIO
from typing import IO, Any

from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from vmo.catalog.spec import FileKind, Material
from vmo.core.images import ImageRefused, image_open
from vmo.core.text import join_clauses, join_items

# Keys and values (names as the parser decodes them) that a certificate never needs and that
# run code, start programs, or carry other files or forms.
_PDF_FORBIDDEN_KEYS = frozenset(
    {"/JS", "/JavaScript", "/AA", "/EmbeddedFiles", "/EF", "/RichMedia", "/XFA", "/Launch"}
)
_PDF_FORBIDDEN_VALUES = frozenset(
    {"/JavaScript", "/Launch", "/RichMedia", "/RichMediaExecute", "/EmbeddedFile", "/ImportData"}
)
_PDF_MAX_OBJECTS = 200_000
logging.getLogger("pypdf").setLevel(logging.ERROR)  # repaired-xref chatter is not news


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    extension: str
    width: int = 0
    height: int = 0

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


class UploadRefused(ValueError):
    """The file is not acceptable; the messages say every reason."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(join_clauses(messages))
        self.messages = messages


def _read_bounded(stream: IO[bytes], limit: int) -> bytes | None:
    data = stream.read(limit + 1)
    return None if len(data) > limit else data


def _as_image(data: bytes, material: Material) -> CheckedFile | list[str]:
    try:
        image = image_open(data)
    except ImageRefused as refused:
        return [str(refused)]
    problems: list[str] = []
    width, height = image.size
    if material.min_pixels and (width < material.min_pixels[0] or height < material.min_pixels[1]):
        problems.append(
            _("The photo is %(w)s×%(h)s pixels; at least %(mw)s×%(mh)s are needed.")
            % {"w": width, "h": height, "mw": material.min_pixels[0], "mh": material.min_pixels[1]}
        )
    if material.aspect and abs(width / height - material.aspect) > material.aspect * 0.1:
        problems.append(
            _("The photo's proportions are wrong: it must be about %(ratio)s (width : height).")
            % {"ratio": f"{material.aspect:.2f}"}
        )
    if problems:
        return problems
    out = BytesIO()
    # Re-encoding keeps the pixels and nothing else: no EXIF, no trailing data.
    if image.format == "JPEG":
        image.convert("RGB").save(out, format="JPEG", quality=90)
        return CheckedFile(out.getvalue(), "image/jpeg", ".jpg", width, height)
    image.save(out, format="PNG")
    return CheckedFile(out.getvalue(), "image/png", ".png", width, height)


def _pdf_is_active(reader: PdfReader) -> bool:
    """True if any object reachable from the trailer holds a forbidden key or name."""
    seen: set[tuple[int, int]] = set()
    todo: list[Any] = [reader.trailer]
    while todo:
        node = todo.pop()
        if isinstance(node, IndirectObject):
            ref = (node.idnum, node.generation)
            if ref in seen:
                continue
            seen.add(ref)
            if len(seen) > _PDF_MAX_OBJECTS:
                return True  # no certificate has this many objects: treat as hostile
            todo.append(node.get_object())
        elif isinstance(node, DictionaryObject):
            for key, value in node.items():
                if key in _PDF_FORBIDDEN_KEYS:
                    return True
                todo.append(value)
        elif isinstance(node, ArrayObject):
            todo.extend(node)
        elif isinstance(node, NameObject) and node in _PDF_FORBIDDEN_VALUES:
            return True
    return False


def _as_pdf(data: bytes) -> CheckedFile | list[str]:
    not_pdf = [_("The file is not a PDF document.")]
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        return not_pdf
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        # Restrictions-only encryption (empty user password) is common on issued certificates.
        if reader.is_encrypted and not reader.decrypt(""):
            return not_pdf
        if len(reader.pages) < 1:
            return not_pdf
        active = _pdf_is_active(reader)
    except (PyPdfError, ValueError, TypeError, KeyError, IndexError, RecursionError, OSError):
        return not_pdf
    if active:
        return [_("PDF files with scripts, actions or embedded files are not accepted.")]
    return CheckedFile(data, "application/pdf", ".pdf")


def check_upload(stream: IO[bytes], material: Material) -> CheckedFile:
    """The accepted file, or UploadRefused naming every problem."""
    data = _read_bounded(stream, material.max_bytes)
    if data is None:
        raise UploadRefused(
            [
                _("The file is larger than %(mb)s MB.")
                % {"mb": f"{material.max_bytes / 1024 / 1024:g}"}
            ]
        )
    if not data:
        raise UploadRefused([_("The file is empty.")])
    looks_pdf = data.startswith(b"%PDF-")
    if looks_pdf and FileKind.PDF in material.kinds:
        result = _as_pdf(data)
    elif not looks_pdf and FileKind.IMAGE in material.kinds:
        result = _as_image(data, material)
    else:
        accepted = join_items(kind.label for kind in material.kinds)
        raise UploadRefused(
            [_("Only these files are accepted here: %(kinds)s.") % {"kinds": accepted}]
        )
    if isinstance(result, list):
        raise UploadRefused(result)
    return result
