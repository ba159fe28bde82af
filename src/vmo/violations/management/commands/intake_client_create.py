"""manage.py intake_client_create NAME: a key for a system that delivers camera records."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from vmo.violations.intake import intake_client_create


class Command(BaseCommand):
    help = "Create an intake client and print its API key (shown this once only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="The client's name, e.g. the camera platform.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            raw, client = intake_client_create(name=options["name"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(_("Intake client %(name)s created.") % {"name": client.name})
        self.stdout.write(
            _("Its key, shown this once only; send it as Authorization: Bearer <key>:")
        )
        self.stdout.write(raw)
