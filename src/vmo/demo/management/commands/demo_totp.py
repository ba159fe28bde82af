"""manage.py demo_totp USERNAME: the current sign-in code of a demo officer (demo officers only)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from vmo.demo.seed import demo_totp_key


class Command(BaseCommand):
    help = "Print the current six-digit TOTP code of a demo officer (clerk, reviewer, supervisor, editor, admin, auditor)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        device = TOTPDevice.objects.filter(
            user__username=username, user__kind="officer", confirmed=True
        ).first()
        # Only devices still holding the published demo key: never a real officer's code.
        if device is None or device.key != demo_totp_key(username):
            raise CommandError(
                f"{username} is not a demo officer with the demo TOTP key. Run manage.py seed_demo first."
            )
        totp = TOTP(
            device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
        )
        self.stdout.write(f"{totp.token():0{device.digits}d}")
