"""Create an officer account and its TOTP device: `manage.py officer_create --username U --name N --role R`."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import qrcode
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from qrcode.image.pure import PyPNGImage

from vmo.accounts.choices import OfficerRole
from vmo.accounts.selectors import totp_secret, totp_uri
from vmo.accounts.services import officer_create


def write_qr_png(text: str, path: Path) -> None:
    """The enrolment QR code as a PNG, drawn by qrcode's pure-Python (pypng) image factory."""
    qrcode.make(text, image_factory=PyPNGImage, box_size=8, border=4).save(str(path))


class Command(BaseCommand):
    help = "Create an officer with a TOTP device; print the secret and otpauth URI (and a QR code with --qr)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--name", required=True, help="full name")
        parser.add_argument("--role", required=True, choices=OfficerRole.values)
        parser.add_argument(
            "--password", help="initial password; a random one is made and printed if omitted"
        )
        parser.add_argument("--qr", action="store_true", help="also write a QR code PNG to var/")

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"] or secrets.token_urlsafe(12)
        try:
            user, device = officer_create(
                actor=None,
                username=options["username"],
                full_name=options["name"],
                role=options["role"],
                password=password,
            )
        except ValidationError as exc:
            problems = "; ".join(
                f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()
            )
            raise CommandError(problems) from exc
        uri = totp_uri(device)
        self.stdout.write(f"officer: {user.username} ({user.get_role_display()})")
        if not options["password"]:
            self.stdout.write(f"password: {password}")
        self.stdout.write(f"TOTP secret (base32): {totp_secret(device)}")
        self.stdout.write(f"otpauth URI: {uri}")
        if options["qr"]:
            path = settings.VAR_DIR / f"totp-{user.username}.png"
            write_qr_png(uri, path)
            path.chmod(0o600)  # the picture is the secret
            self.stdout.write(f"QR code: {path}")
