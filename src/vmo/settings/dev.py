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
