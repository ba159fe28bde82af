"""`vmo` command (same as manage.py): `vmo migrate`, `vmo seed_demo`, `vmo generate --people N`."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vmo.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
