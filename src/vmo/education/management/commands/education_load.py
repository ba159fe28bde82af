"""Load the shipped library: `manage.py education_load [--check] [--dir PATH]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vmo.education.services.content import CONTENT_DIR, content_check, content_load


class Command(BaseCommand):
    help = "Validate and load the courses and questions in education/content (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true", help="validate only, load nothing")
        parser.add_argument("--dir", type=Path, default=CONTENT_DIR)

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["dir"]
        if options["check"]:
            parsed, problems = content_check(directory=directory)
        else:
            report = content_load(directory=directory)
            problems = report.problems
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} problem(s); nothing was loaded")
        if options["check"]:
            self.stdout.write(f"{len(parsed)} course file(s) valid")
        else:
            self.stdout.write(
                f"courses {report.courses} (new {report.created}), lessons {report.lessons}, "
                f"questions {report.questions}, retired {report.retired}"
            )
