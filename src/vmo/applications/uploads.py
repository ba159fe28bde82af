"""Uploaded materials are judged by their content, never by their name or declared type.

An image must open as a JPEG or PNG and is re-encoded, which drops EXIF (location, camera) and
anything appended to the file; a PDF must look like one from its first to its last bytes and
may not carry scripts or launch actions.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from io import BytesIO
from typing import IO

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from vmo.catalog.spec import FileKind, Material

# Pillow refuses to decode images above this many pixels (decompression bombs).
Image.MAX_IMAGE_PIXELS = 40_000_000
_PDF_FORBIDDEN = (b"/JavaScript", b"/JS ", b"/Launch", b"/EmbeddedFile")


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
        super().__init__("; ".join(messages))
        self.messages = messages


def _read_bounded(stream: IO[bytes], limit: int) -> bytes | None:
    data = stream.read(limit + 1)
    return None if len(data) > limit else data


def _as_image(data: bytes, material: Material) -> CheckedFile | list[str]:
    try:
        with Image.open(BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        return [_("The file is not a readable image.")]
    if image.format not in ("JPEG", "PNG"):
        return [_("Photos must be JPEG or PNG.")]
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


def _as_pdf(data: bytes) -> CheckedFile | list[str]:
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        return [_("The file is not a PDF document.")]
    if any(token in data for token in _PDF_FORBIDDEN):
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
        accepted = ", ".join(str(kind.label) for kind in material.kinds)
        raise UploadRefused(
            [_("Only these files are accepted here: %(kinds)s.") % {"kinds": accepted}]
        )
    if isinstance(result, list):
        raise UploadRefused(result)
    return result
