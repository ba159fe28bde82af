"""manage.py verify_mdoc FILE --root iaca.pem [--crl iaca.crl]: verify an ISO 18013-5
Document file, and with the IACA's revocation list refuse a revoked document signer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vmo.mdl.verify import Refused, verify_document


class Command(BaseCommand):
    help = "Verify an mdoc file against an IACA root certificate and print the disclosed elements."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--root", required=True, help="PEM file of the IACA root")
        parser.add_argument("--crl", help="DER file of the IACA's CRL (from /mdl/iaca.crl)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            crl = Path(options["crl"]).read_bytes() if options["crl"] else None
            result = verify_document(
                Path(options["file"]).read_bytes(),
                Path(options["root"]).read_bytes(),
                crl_der=crl,
            )
        except (Refused, OSError, ValueError) as error:
            raise CommandError(f"REFUSED: {error}") from None
        self.stdout.write(f"VALID {result.doc_type} signed by {result.signer_subject}")
        self.stdout.write(
            f"valid {result.valid_from:%Y-%m-%dT%H:%MZ} .. {result.valid_until:%Y-%m-%dT%H:%MZ}"
        )
        for name, value in sorted(result.elements.items()):
            self.stdout.write(f"  {name}: {value}")
