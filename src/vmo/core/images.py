"""Every uploaded image is opened here, so the bomb and format rules are the same everywhere.

The pixel count is read from the header and refused before a single pixel is decoded
(decompression bombs); Pillow's own bomb warning below that limit is raised as an error too.
"""

from __future__ import annotations

import warnings
from io import BytesIO

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_IMAGE_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
IMAGE_FORMATS = ("JPEG", "PNG")


class ImageRefused(ValueError):
    """The bytes are not an acceptable image; the message says why, in the reader's language."""


def image_open(data: bytes) -> Image.Image:
    """The decoded JPEG or PNG image in `data`, or ImageRefused."""
    too_many = _("The image has too many pixels: at most 40 million are accepted.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as probe:
                if probe.width * probe.height > MAX_IMAGE_PIXELS:
                    raise ImageRefused(too_many)
                probe.verify()
            image = Image.open(BytesIO(data))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageRefused(too_many) from error
    except ImageRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ImageRefused(_("The file is not a readable image.")) from error
    if image.format not in IMAGE_FORMATS:
        raise ImageRefused(_("Photos must be JPEG or PNG."))
    return image
