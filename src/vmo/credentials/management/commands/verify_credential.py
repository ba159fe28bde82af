"""Verify an e-licence credential offline: the QR text or a photo of it, against a key set
read from a file or a URL (the office's /.well-known/jwks.json). No database is consulted."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vmo.core import clock
from vmo.credentials.qr import PhotoRefused, qr_text_from_photo
from vmo.credentials.verify import verify_text

PHOTO_SUFFIXES = {".png", ".jpg", ".jpeg"}


def _load_jwks(source: str) -> dict[str, Any]:
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=10) as response:  # noqa: S310 (http(s) only)
            return json.loads(response.read())
    return json.loads(Path(source).read_text())


class Command(BaseCommand):
    help = "Verify a credential from FILE (its text, or a PNG/JPEG photo of the QR) with --keys"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--keys", required=True, help="the published key set: a JSON file or its URL"
        )

    def handle(self, *args: Any, file: str, keys: str, **options: Any) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file {file}")
        try:
            if path.suffix.lower() in PHOTO_SUFFIXES:
                with path.open("rb") as handle:
                    text = qr_text_from_photo(handle)
            else:
                text = path.read_text(errors="replace")
        except PhotoRefused as error:
            raise CommandError(str(error)) from error
        try:
            jwks = _load_jwks(keys)
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read the key set: {error}") from error
        verdict = verify_text(text, jwks, now=clock.now())
        self.stdout.write(
            json.dumps(
                {"outcome": verdict.outcome, "kid": verdict.kid, "claims": verdict.claims},
                ensure_ascii=False,
                indent=2,
            )
        )
        if not verdict.valid:
            raise CommandError(verdict.outcome)
