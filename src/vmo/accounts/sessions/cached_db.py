"""SESSION_ENGINE with Redis: Django's cached_db store, see the package's docstring."""

from django.contrib.sessions.backends import cached_db

from . import DatabaseAwaySaysSo


class SessionStore(DatabaseAwaySaysSo, cached_db.SessionStore):
    pass
