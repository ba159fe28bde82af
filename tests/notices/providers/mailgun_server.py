"""A local server that speaks Mailgun's sending API (v3) as anymail's Mailgun backend uses it.

``POST /v3/<domain>/messages`` with HTTP basic auth (``api`` and the API key the test
generated) and a multipart form (from, to, subject, text, ``h:`` headers); it answers Mailgun's
``{"id": "<...>", "message": "Queued. Thank you."}`` or its errors (401 for a wrong key, 400 for
a bad address, 5xx when down). ``signed_event`` builds a tracking webhook body signed as Mailgun
signs it: HMAC-SHA256 of timestamp + token with the webhook signing key.
"""

from __future__ import annotations

import base64
import contextlib
import email
import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl


def _form(content_type: str, body: bytes) -> dict[str, str]:
    """The form fields of a request: Mailgun takes urlencoded or multipart bodies."""
    if content_type.startswith("application/x-www-form-urlencoded"):
        return dict(parse_qsl(body.decode(), keep_blank_values=True))
    parsed: Message = email.message_from_bytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    fields: dict[str, str] = {}
    for part in parsed.get_payload():  # type: ignore[union-attr]
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        fields[str(name)] = payload.decode("utf-8")
    return fields


@dataclass
class MailgunServer:
    domain: str = "mg.cjvmo.example"
    api_key: str = field(default_factory=lambda: "key-" + secrets.token_hex(16))
    signing_key: str = field(default_factory=lambda: secrets.token_hex(16))
    # Each entry: "ok", "400", "401", "500" or "sleep"; the last one repeats.
    answers: list[str] = field(default_factory=lambda: ["ok"])
    sent: list[dict[str, str]] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v3"

    def __enter__(self) -> MailgunServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def signed_event(
        self, event: dict[str, Any], *, key: str | None = None, timestamp: int | None = None
    ) -> str:
        stamp = str(timestamp or int(time.time()))
        token = secrets.token_hex(25)
        signature = hmac.new(
            (key or self.signing_key).encode(), (stamp + token).encode(), hashlib.sha256
        ).hexdigest()
        return json.dumps(
            {
                "signature": {"timestamp": stamp, "token": token, "signature": signature},
                "event-data": event,
            }
        )

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _answer(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                # The client may have given up waiting (the timeout tests).
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                expected = base64.b64encode(f"api:{server.api_key}".encode()).decode()
                given = self.headers.get("Authorization", "")
                if not hmac.compare_digest(given, f"Basic {expected}"):
                    server.refused.append(401)
                    self._answer(401, {"message": "Invalid private key"})
                    return
                if self.path != f"/v3/{server.domain}/messages":
                    self._answer(404, {"message": "Domain not found"})
                    return
                answer = server.answers.pop(0) if len(server.answers) > 1 else server.answers[0]
                if answer == "sleep":
                    time.sleep(3)
                if answer in ("400", "401", "500"):
                    self._answer(int(answer), {"message": "'to' parameter is not valid"})
                    return
                server.sent.append(_form(self.headers["Content-Type"], body))
                message_id = (
                    f"<{time.strftime('%Y%m%d%H%M%S')}.{secrets.token_hex(6)}@{server.domain}>"
                )
                self._answer(200, {"id": message_id, "message": "Queued. Thank you."})

        return Handler
