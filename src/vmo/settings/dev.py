"""The embedded default for `make run`: SQLite, inline tasks, debug pages."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
