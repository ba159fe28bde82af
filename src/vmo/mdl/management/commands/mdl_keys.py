"""manage.py mdl_keys create-root|issue-signer|rotate-signer|list"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vmo.mdl import keys


class Command(BaseCommand):
    help = "Create and rotate the office's ISO 18013-5 IACA root and document signers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action", choices=["create-root", "issue-signer", "rotate-signer", "list"]
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "create-root":
                cert = keys.create_root()
                self.stdout.write(f"IACA root {cert.serial_number:x} in {keys.key_dir()}")
            elif action == "issue-signer":
                cert = keys.issue_signer()
                self.stdout.write(f"document signer {cert.serial_number:x}")
            elif action == "rotate-signer":
                cert = keys.rotate_signer()
                self.stdout.write(f"current document signer now {cert.serial_number:x}")
            else:
                root, _ = keys.root()
                self.stdout.write(
                    f"root {root.serial_number:x} until {root.not_valid_after_utc:%Y-%m-%d}"
                )
                for signer in keys.signers():
                    state = "current" if signer.key is not None else "verify-only"
                    self.stdout.write(
                        f"signer {signer.cert.serial_number:x} {state} "
                        f"{signer.cert.not_valid_before_utc:%Y-%m-%d}..{signer.cert.not_valid_after_utc:%Y-%m-%d}"
                    )
        except keys.KeyError_ as error:
            raise CommandError(str(error)) from None
