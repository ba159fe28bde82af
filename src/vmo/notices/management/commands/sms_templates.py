"""What an office applies for at its SMS provider: one template per kind that sends SMS.

``manage.py sms_templates`` prints each kind with its text (the office's language) and the
template parameters it takes; ``--json`` prints a VMO_SMS_TEMPLATES skeleton to fill in with the
approved codes; ``--check`` exits non-zero naming every kind the configured map lacks or whose
entry asks for a parameter the kind does not have.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from vmo.notices.kinds import sms_template_catalogue
from vmo.notices.sms_providers import template_problems


class Command(BaseCommand):
    help = "List the SMS templates the office needs (one per kind), or check VMO_SMS_TEMPLATES."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="a VMO_SMS_TEMPLATES skeleton")
        parser.add_argument("--check", action="store_true", help="check the configured map")
        parser.add_argument("--language", default=settings.LANGUAGE_CODE)

    def handle(self, *args: Any, **options: Any) -> None:
        catalogue = sms_template_catalogue()
        if options["check"]:
            problems = template_problems(dict(settings.VMO_SMS_TEMPLATES))
            for problem in problems:
                self.stderr.write(problem)
            if problems:
                raise CommandError(f"{len(problems)} problem(s) in VMO_SMS_TEMPLATES")
            self.stdout.write(f"VMO_SMS_TEMPLATES covers all {len(catalogue)} SMS kinds.")
            return
        if options["json"]:
            skeleton = {
                code: {"template": "", "params": list(entry["params"])}
                for code, entry in catalogue.items()
            }
            self.stdout.write(json.dumps(skeleton, indent=2, ensure_ascii=False))
            return
        with translation.override(options["language"]):
            for code, entry in catalogue.items():
                params = ", ".join(entry["params"]) or "-"
                self.stdout.write(f"{code}\t[{params}]\t{entry['text']}")
