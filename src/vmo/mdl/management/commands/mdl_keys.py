"""manage.py mdl_keys create-root|issue-signer|rotate-signer|list|history|publish-crl
manage.py mdl_keys revoke-signer SERIAL [--reason key_compromise]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vmo.core.selectors import key_history
from vmo.mdl import crl, keys


class Command(BaseCommand):
    help = "Create and rotate the office's ISO 18013-5 IACA root and document signers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action",
            choices=[
                "create-root",
                "issue-signer",
                "rotate-signer",
                "list",
                "history",
                "revoke-signer",
                "publish-crl",
            ],
        )
        parser.add_argument("serial", nargs="?", help="revoke-signer: the serial `list` shows")
        parser.add_argument("--reason", default="unspecified", choices=sorted(crl.REASONS))

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
            elif action == "revoke-signer":
                if not options["serial"]:
                    raise CommandError("Give the serial of the signer to revoke (see list).")
                current = keys.current_signer_or_none()
                revoked = crl.revoke_signer(options["serial"], reason=options["reason"])
                self.stdout.write(
                    f"revoked; CRL of {len(list(revoked))} until {revoked.next_update_utc:%Y-%m-%d}"
                )
                if current is not None and keys.current_signer_or_none() is None:
                    self.stdout.write("no current signer now: run manage.py mdl_keys issue-signer")
            elif action == "history":
                for line in key_history(keys.ROOT_KIND, keys.SIGNER_KIND):
                    self.stdout.write(line)
            elif action == "publish-crl":
                published = crl.publish()
                self.stdout.write(
                    f"CRL of {len(list(published))} until {published.next_update_utc:%Y-%m-%d}"
                )
            else:
                root, _ = keys.root()
                self.stdout.write(
                    f"root {root.serial_number:x} until {root.not_valid_after_utc:%Y-%m-%d}"
                )
                revoked_serials = {entry["serial"] for entry in crl.revocations()}
                for signer in keys.signers():
                    state = "current" if signer.key is not None else "verify-only"
                    if f"{signer.cert.serial_number:x}" in revoked_serials:
                        state = "revoked"
                    self.stdout.write(
                        f"signer {signer.cert.serial_number:x} {state} "
                        f"{signer.cert.not_valid_before_utc:%Y-%m-%d}..{signer.cert.not_valid_after_utc:%Y-%m-%d}"
                    )
        except keys.KeyError_ as error:
            raise CommandError(str(error)) from None
