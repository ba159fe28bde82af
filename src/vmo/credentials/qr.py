"""The QR code drawn on the e-licence pages and read back from a photo on the verifier page.

A photo is checked the way the product checks every uploaded image (applications.uploads):
a byte limit read before anything is parsed, then the pixel count from the header before a
pixel is decoded; only then does zxing-cpp look for a QR code.
"""

from __future__ import annotations

import warnings
from io import BytesIO
from typing import IO
from xml.sax.saxutils import escape

import qrcode
import qrcode.image.svg
import zxingcpp
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from vmo.applications.uploads import MAX_IMAGE_PIXELS

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
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as probe:
                if probe.width * probe.height > MAX_IMAGE_PIXELS:
                    raise PhotoRefused(
                        _("The image has too many pixels: at most 40 million are accepted.")
                    )
                if probe.format not in ("JPEG", "PNG"):
                    raise PhotoRefused(_("Photos must be JPEG or PNG."))
            image = Image.open(BytesIO(data))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise PhotoRefused(
            _("The image has too many pixels: at most 40 million are accepted.")
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        if isinstance(error, PhotoRefused):
            raise
        raise PhotoRefused(_("The file is not a readable image.")) from error
    found = zxingcpp.read_barcodes(
        image.convert("L"), formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    if not found:
        raise PhotoRefused(_("No QR code was found in the photo."))
    return found[0].text
