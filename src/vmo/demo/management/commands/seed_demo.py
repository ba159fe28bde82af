"""manage.py seed_demo: make the demo city (idempotent) and print how to sign in."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vmo.demo.seed import seed_demo


class Command(BaseCommand):
    help = "Create the demo city: citizens, a company, officers of every role and a few hundred records."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-known-passwords",
            action="store_true",
            help="Run even with DEBUG off. The demo accounts have published passwords and TOTP secrets.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_known_passwords"]:
            raise CommandError(
                "The demo creates accounts whose passwords and TOTP secrets are published. "
                "Run it on a development or demo site only, and pass --allow-known-passwords when DEBUG is off."
            )
        rows = seed_demo()
        width = max(_width(row.who) for row in rows)
        self.stdout.write(self.style.SUCCESS("Demo city ready. Sign in with:"))
        self.stdout.write(
            f"{_pad('who', width)}  {'phone / username':<16}  {'password':<14}  TOTP secret (base32)"
        )
        for row in rows:
            self.stdout.write(
                f"{_pad(row.who, width)}  {row.identifier:<16}  {row.password:<14}  {row.totp_secret}".rstrip()
            )


def _width(text: str) -> int:
    """Columns the text takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
