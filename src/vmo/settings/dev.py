"""The embedded default for `make run`: SQLite, inline tasks, console SMS and e-mail.

Debug pages only when asked for (DJANGO_DEBUG=1): with them, a 404 would show anyone the
whole URL list. Static files come through WhiteNoise straight from the source folders, so no
`collectstatic` is needed and `runserver` serves them with DEBUG off.
"""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", False)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The demo outbox page: only while SMS and e-mail go to the console (nothing leaves the machine).
VMO_DEMO_OUTBOX = env_bool("VMO_DEMO_OUTBOX", True) and (
    VMO_SMS_BACKEND == "console"  # noqa: F405
    and EMAIL_BACKEND.rsplit(".", 2)[-2] in {"console", "locmem"}  # noqa: F405
)
