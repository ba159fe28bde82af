"""Stand-ins for a dependency that is away, on loopback only: a closed port (refused at once)
and a server that accepts connections and never answers (a hung process, a full backlog)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


def closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    return port


@contextmanager
def silent_server() -> Iterator[int]:
    """A port that accepts and never reads nor answers; yields the port."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=2)
        for conn in held:
            conn.close()
        server.close()


class TcpProxy:
    """A loopback proxy the test owns in front of a real server, to break the path to it:
    `cut()` closes the port and every connection through it (a broker that died), `freeze()`
    keeps accepting but passes nothing either way (a hung broker, a partition), `restore()`
    passes everything again on the same port."""

    def __init__(self, target_port: int) -> None:
        self.target = ("127.0.0.1", target_port)
        self.port = closed_port()
        self.frozen = threading.Event()
        self.pairs: list[tuple[socket.socket, socket.socket]] = []
        self.server: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        self.frozen.clear()
        if self.server is None:
            server = socket.socket()
            server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            server.bind(("127.0.0.1", self.port))
            server.listen(64)
            self.server = server
            threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    def freeze(self) -> None:
        self.frozen.set()

    def cut(self) -> None:
        server, self.server = self.server, None
        ends = [end for pair in self.pairs for end in pair]
        self.pairs = []
        if server is not None:
            ends.insert(0, server)
        for end in ends:
            # shutdown first: close() alone neither wakes a thread blocked in accept() (which
            # keeps accepting) nor tells the peer at once.
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client = server.accept()[0]
            except OSError:
                return  # closed by cut()
            try:
                upstream = socket.create_connection(self.target, timeout=2)
            except OSError:
                client.close()
                continue
            self.pairs.append((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        source.settimeout(0.05)
        while True:
            if self.frozen.is_set():
                time.sleep(0.05)  # read nothing: the sender's data waits in the buffers
                continue
            try:
                data = source.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                break
            if not data:
                break
            try:
                sink.sendall(data)
            except OSError:
                break
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()
