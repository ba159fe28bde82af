"""manage.py restore_check: can this copy read its own data? Run it on a restored copy before
letting anyone in (docs/operations.md, Backups). Exits 1 when something is missing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vmo.core.restore import pii_check
from vmo.credentials import keys as credential_keys
from vmo.registry.selectors import lookup_hashes_mismatched


class Command(BaseCommand):
    help = (
        "Check that a restored copy's keys open its data: PII tokens decrypt, lookup hashes "
        "match (sign-in finds people), credential signing keys load."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--sample", type=int, default=500, help="rows read per model")

    def handle(self, *args: Any, **options: Any) -> None:
        problems: list[str] = []
        for check in pii_check(sample=options["sample"]):
            self.stdout.write(f"pii {check.label}: {check.opened}/{check.read} opened")
            for key_id, count in check.missing_keys.items():
                problems.append(
                    f"{check.label}: {count} values under key {key_id!r}, not in VMO_PII_KEYS"
                )
            if check.failed:
                problems.append(f"{check.label}: {check.failed} values do not open (wrong key)")
        try:
            wrong = lookup_hashes_mismatched(sample=options["sample"])
        except Exception as exc:  # noqa: BLE001 - a row that cannot be opened at all
            problems.append(f"people cannot be read: {type(exc).__name__}: {exc}")
            wrong = 0
        self.stdout.write(f"lookup hashes: {wrong} mismatched")
        if wrong:
            problems.append(
                f"{wrong} people's lookup hashes differ: VMO_PII_HASH_KEY is not the one their "
                "rows were written with (sign-in by ID number or phone would find nobody)"
            )
        for info in credential_keys.keys_list():
            try:
                credential_keys._load(info.kid)
            except (OSError, ValueError) as exc:
                problems.append(f"credential signing key {info.kid}: {type(exc).__name__}")
        self.stdout.write(
            f"credential keys: {len(credential_keys.keys_list())} in {credential_keys.key_dir()}"
        )
        self.stdout.write(f"mDL keys directory: {settings.VMO_MDL_KEY_DIR}")
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"restore check failed: {len(problems)} problems")
        self.stdout.write(self.style.SUCCESS("restore check passed"))
