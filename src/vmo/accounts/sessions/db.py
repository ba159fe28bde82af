"""SESSION_ENGINE without Redis: Django's database store, see the package's docstring."""

from django.contrib.sessions.backends import db

from . import DatabaseAwaySaysSo


class SessionStore(DatabaseAwaySaysSo, db.SessionStore):
    pass
