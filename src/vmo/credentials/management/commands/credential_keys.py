"""Create, rotate, list or remove the office's credential signing keys."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vmo.core.selectors import key_history
from vmo.credentials import keys


class Command(BaseCommand):
    help = (
        "Manage the Ed25519 keys that sign e-licence QR codes:"
        " create | rotate | list | history | remove KID"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create", "rotate", "list", "history", "remove"])
        parser.add_argument("kid", nargs="?", default="")

    def handle(self, *args: Any, action: str, kid: str, **options: Any) -> None:
        if action == "create" and keys.keys_list():
            raise CommandError("Keys exist already; use 'rotate' to replace the active one.")
        if action in ("create", "rotate"):
            info = keys.key_create()
            self.stdout.write(f"active key {info.kid} in {keys.key_dir()}")
            return
        if action == "remove":
            if not keys.key_remove(kid):
                raise CommandError(f"No retired key {kid!r}: only retired keys can be removed.")
            self.stdout.write(f"removed {kid}")
            return
        if action == "history":
            for event in key_history(keys.KEY_KIND):
                self.stdout.write(event)
            return
        for row in keys.keys_list():
            self.stdout.write(f"{row.kid}\t{row.status}\t{row.created}")
