"""The QR code drawn on the e-licence pages and read back from a photo on the verifier page.

A photo is checked as every uploaded image is (core.images): a byte limit read before anything
is parsed, then the pixel count from the header before a pixel is decoded; only then does
zxing-cpp look for a QR code.
"""

from __future__ import annotations

from io import BytesIO
from typing import IO
from xml.sax.saxutils import escape

import qrcode
import qrcode.image.svg
import zxingcpp
from django.utils.translation import gettext as _

from vmo.core.images import ImageRefused, image_open

MAX_PHOTO_BYTES = 5 * 1024 * 1024


class PhotoRefused(ValueError):
    pass


def qr_svg(text: str) -> str:
    """An inline SVG (no script, no external reference: allowed by the CSP)."""
    image = qrcode.make(
        text,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=10,
        border=4,
    )
    svg = image.to_string(encoding="unicode")
    label = escape(_("QR code of the electronic licence"), {'"': "&quot;"})
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" class="credential-qr" ', 1)


def qr_png(text: str, *, box_size: int = 6) -> bytes:
    image = qrcode.make(text, box_size=box_size, border=4)
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def qr_text_from_photo(stream: IO[bytes]) -> str:
    """The text of the first QR code in the photo; PhotoRefused with the reason otherwise."""
    data = stream.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoRefused(_("The photo is larger than 5 MB."))
    try:
        image = image_open(data)
    except ImageRefused as refused:
        raise PhotoRefused(str(refused)) from refused
    found = zxingcpp.read_barcodes(
        image.convert("L"), formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    if not found:
        raise PhotoRefused(_("No QR code was found in the photo."))
    return found[0].text
