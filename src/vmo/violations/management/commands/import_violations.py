"""manage.py import_violations FILE [--format csv|jsonl]: load a delivery of camera records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from vmo.violations.choices import IntakeChannel
from vmo.violations.intake import PARSERS, IntakeFormatError, batch_summary, intake_records

SHOWN_REJECTIONS = 20


class Command(BaseCommand):
    help = "Load camera records from a CSV or JSON-lines file (format: docs/intake-format.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The file to load (UTF-8).")
        parser.add_argument(
            "--format",
            choices=sorted(PARSERS),
            help="csv or jsonl; by default taken from the file's extension.",
        )
        parser.add_argument(
            "--user", help="Username of the officer submitting the file, for the history."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        kind = options["format"] or {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}.get(
            path.suffix.lower()
        )
        if kind is None:
            raise CommandError(_("Give --format csv or --format jsonl for this file."))
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(
                    _("No account with the username %(name)s.") % {"name": options["user"]}
                )
        try:
            # utf-8-sig: spreadsheet programs put a byte-order mark in front of CSV files.
            with path.open(encoding="utf-8-sig", newline="") as stream:
                batch = intake_records(
                    rows=PARSERS[kind](stream),
                    channel=IntakeChannel.COMMAND,
                    source_name=path.name,
                    submitted_by=user,
                )
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(_("The file is not UTF-8 text.")) from exc
        except IntakeFormatError as exc:
            raise CommandError(exc.message) from exc
        self._report(batch_summary(batch, rejections=SHOWN_REJECTIONS))

    def _report(self, summary: dict[str, Any]) -> None:
        write = self.stdout.write
        write(_("Intake batch %(batch)s") % summary)
        write(_("  rows read:          %(total)s") % summary)
        write(_("  loaded:             %(loaded)s") % summary)
        write(_("  already on record:  %(duplicates)s") % summary)
        write(_("  refused:            %(rejected)s") % summary)
        write(_("  no vehicle on file: %(unmatched)s") % summary)
        if summary["rejections"]:
            write(_("First refused rows:"))
            for rejection in summary["rejections"]:
                for error in rejection["errors"]:
                    write(
                        _("  line %(line)s (%(record)s): %(message)s")
                        % {
                            "line": rejection["line"],
                            "record": rejection["record_id"] or "-",
                            "message": error["message"],
                        }
                    )
        style = self.style.SUCCESS if not summary["rejected"] else self.style.WARNING
        write(style(_("Done.")))
