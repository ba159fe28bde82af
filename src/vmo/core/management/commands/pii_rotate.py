from django.core.management.base import BaseCommand

from vmo.core.services import pii_rotate


class Command(BaseCommand):
    help = "Re-encrypt personal data still under an old key with VMO_PII_ACTIVE_KEY."

    def handle(self, *args, **options):
        changed = pii_rotate()
        self.stdout.write(f"re-encrypted {changed} rows")
