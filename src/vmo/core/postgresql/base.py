"""PostgreSQL as Django's own backend, except that a web request never waits long for it.

A server that is down refuses connections at once, but a server that is frozen (SIGSTOP, a
stuck host, a full disk) still has a kernel that accepts connections and acknowledges what is
sent, so neither libpq's keepalives nor `tcp_user_timeout` notice anything, and the server's
own `statement_timeout` never fires: a query on an open connection waits for ever, and a new
connection waits libpq's `connect_timeout` (at least 2 s). Issue 14 saw requests held so.

So while a request is being served (a request id is set, `core.middleware`), each query and
each new connection has a client-side deadline of `DB_REQUEST_TIMEOUT` seconds; past it the
connection is dropped (its state is unknown) and the query fails with OperationalError, which
the error page answers with the styled 503. Workers, beat and management commands run without
it: a daily scan may rightly run one query for a minute.
"""

from __future__ import annotations

import select
import time
from contextvars import ContextVar
from selectors import DefaultSelector
from typing import Any

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base
from psycopg import errors
from psycopg.abc import PQGen, PQGenConn

from vmo.core.requestctx import current_request_id

# The request (by id) in which the database already failed to answer: the rest of that request
# does not wait again (a request reads the session, the user, the page's rows, and would wait
# once for each).
_gave_up: ContextVar[str] = ContextVar("db_gave_up", default="")


def request_deadline() -> float:
    """Seconds a query may wait in the current request; 0 outside requests (no limit)."""
    limit = float(getattr(settings, "DB_REQUEST_TIMEOUT", 0) or 0)
    request_id = current_request_id.get()
    if not (limit > 0 and request_id):
        return 0.0
    if _gave_up.get() == request_id:
        raise ServerDidNotAnswer("the database did not answer earlier in this request")
    return limit


def _giving_up() -> None:
    _gave_up.set(current_request_id.get())


class ServerDidNotAnswer(errors.OperationalError):
    pass


def _wait_within(gen: PQGen[Any], fileno: int, seconds: float) -> Any:
    """psycopg's wait loop (waiting.wait_selector) with a deadline: its C version, used
    otherwise, waits for ever on a socket that stays silent."""
    deadline = time.monotonic() + seconds
    try:
        state = next(gen)
        with DefaultSelector() as selector:
            while True:
                selector.register(fileno, state)
                left = deadline - time.monotonic()
                ready = selector.select(timeout=left) if left > 0 else []
                selector.unregister(fileno)
                if not ready:
                    gen.close()
                    raise ServerDidNotAnswer(f"the database did not answer within {seconds:g} s")
                state = gen.send(ready[0][1])
    except StopIteration as done:
        return done.value


class Connection(psycopg.Connection[Any]):
    def wait(self, gen: PQGen[Any], interval: float | None = 0.1) -> Any:
        seconds = request_deadline()
        if not seconds:
            return super().wait(gen, interval)
        try:
            return _wait_within(gen, self.pgconn.socket, seconds)
        except ServerDidNotAnswer:
            self.pgconn.finish()  # mid-protocol: the connection cannot be used again
            _giving_up()
            raise

    @classmethod
    def _connect_gen(cls, conninfo: str = "", *, timeout: float = 0.0) -> PQGenConn[Any]:
        seconds = request_deadline()
        if not seconds:
            return super()._connect_gen(conninfo, timeout=timeout)
        return cls._connect_within(conninfo, min(timeout, seconds) if timeout else seconds)

    @classmethod
    def _connect_within(cls, conninfo: str, seconds: float) -> PQGenConn[Any]:
        try:
            return (yield from super()._connect_gen(conninfo, timeout=seconds))
        except errors.ConnectionTimeout:
            _giving_up()
            raise


class _Psycopg:
    """The psycopg module as Django's backend uses it, connecting with the class above."""

    def __getattr__(self, name: str) -> Any:
        return getattr(psycopg, name)

    connect = staticmethod(Connection.connect)


class DatabaseWrapper(base.DatabaseWrapper):
    Database = _Psycopg()

    def is_usable(self) -> bool:
        """Django asks this before the first query of every request (health checks on): its
        own answer is a `SELECT 1`, a round trip on every request, a third of a signed-in
        request's waiting (issue 13). An idle connection has nothing to read, so whatever is
        waiting on the socket (the server's goodbye when it shut down or restarted, the end of
        the stream when it went away) means the connection is gone; that check costs no round
        trip. A server that went silent without a word is the request deadline's to catch."""
        conn = self.connection
        if conn is None or conn.closed or conn.pgconn.status != psycopg.pq.ConnStatus.OK:
            return False
        if conn.pgconn.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            return super().is_usable()  # mid-transaction: only the server can tell
        try:
            readable, _, _ = select.select([conn.pgconn.socket], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable
