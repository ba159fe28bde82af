"""A local server that speaks Tencent Cloud's API 3.0 as the SMS service does.

It checks every request's TC3-HMAC-SHA256 signature with the secret key the test generated
(computed here independently of the SDK, from Tencent's published algorithm), and answers in
Tencent's JSON shapes: SendStatusSet per number, or Response.Error with a code. A test chooses
the answer per request (``answers``) and reads what was sent (``requests``).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ACTIONS = ("SendSms", "PullSmsSendStatusByPhoneNumber")


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def tc3_signature(
    *,
    secret_key: str,
    method: str,
    host: str,
    content_type: str,
    body: bytes,
    timestamp: str,
    service: str,
) -> str:
    date = time.strftime("%Y-%m-%d", time.gmtime(int(timestamp)))
    canonical = "\n".join(
        [
            method,
            "/",
            "",
            f"content-type:{content_type}\nhost:{host}\n",
            "content-type;host",
            hashlib.sha256(body).hexdigest(),
        ]
    )
    scope = f"{date}/{service}/tc3_request"
    to_sign = "\n".join(
        ["TC3-HMAC-SHA256", timestamp, scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), date), service), "tc3_request")
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def tc3_refusal(
    headers: Any,
    body: bytes,
    *,
    secret_id: str,
    secret_key: str,
    service: str,
    actions: tuple[str, ...],
    version: str,
) -> str:
    """'' if the request is signed as Tencent Cloud API 3.0 requires, else Tencent's error code."""
    auth = headers.get("Authorization", "")
    prefix = "TC3-HMAC-SHA256 Credential="
    if not auth.startswith(prefix):
        return "AuthFailure.SignatureFailure"
    credential, signed, signature = (part.strip() for part in auth[len(prefix) :].split(","))
    sent_id, _date, sent_service, _ = credential.split("/")
    if sent_id != secret_id:
        return "AuthFailure.SecretIdNotFound"
    if sent_service != service or signed != "SignedHeaders=content-type;host":
        return "AuthFailure.SignatureFailure"
    if headers.get("X-TC-Action") not in actions or headers.get("X-TC-Version") != version:
        return "InvalidAction"
    timestamp = headers.get("X-TC-Timestamp", "0")
    if abs(time.time() - int(timestamp)) > 300:
        return "AuthFailure.SignatureExpire"
    expected = tc3_signature(
        secret_key=secret_key,
        method="POST",
        host=headers.get("Host", ""),
        content_type=headers.get("Content-Type", ""),
        body=body,
        timestamp=timestamp,
        service=service,
    )
    if not hmac.compare_digest(signature, f"Signature={expected}"):
        return "AuthFailure.SignatureFailure"
    return ""


@dataclass
class TencentSmsServer:
    secret_id: str = field(default_factory=lambda: "AKID" + secrets.token_hex(16))
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    # Each entry: "ok", an error code for the number ("LimitExceeded.PhoneNumberDailyLimit"),
    # "api:<code>" for a Response.Error, "500" or "sleep"; the last one repeats.
    answers: list[str] = field(default_factory=lambda: ["ok"])
    requests: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    # Status reports Tencent holds per number (PullSmsSendStatusByPhoneNumber answers them).
    reports: list[dict[str, Any]] = field(default_factory=list)
    # The sends Tencent took (answered "ok" or "sleep"): what would reach phones.
    taken: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> TencentSmsServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def codes_sent_to(self, phone: str) -> list[list[str]]:
        return [
            r["TemplateParamSet"] for r in self.requests if f"+86{phone}" in r["PhoneNumberSet"]
        ]

    def _check(self, headers: Any, body: bytes) -> str:
        return tc3_refusal(
            headers,
            body,
            secret_id=self.secret_id,
            secret_key=self.secret_key,
            service="sms",
            actions=ACTIONS,
            version="2021-01-11",
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
                # The client may have given up waiting ("sleep").
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                request_id = secrets.token_hex(8)
                problem = server._check(self.headers, body)
                if problem:
                    server.refused.append(problem)
                    error = {"Code": problem, "Message": "signature check failed"}
                    self._answer(200, {"Response": {"Error": error, "RequestId": request_id}})
                    return
                params = json.loads(body)
                if self.headers.get("X-TC-Action") == "PullSmsSendStatusByPhoneNumber":
                    found = [r for r in server.reports if r["PhoneNumber"] == params["PhoneNumber"]]
                    self._answer(
                        200,
                        {"Response": {"PullSmsSendStatusSet": found, "RequestId": request_id}},
                    )
                    return
                server.requests.append(params)
                answer = server.answers.pop(0) if len(server.answers) > 1 else server.answers[0]
                if answer == "500":
                    self._answer(502, {"message": "bad gateway"})
                    return
                if answer in ("ok", "sleep"):
                    server.taken.append(params)
                if answer == "sleep":  # taken, but the answer comes after the client gave up
                    time.sleep(3)
                if answer.startswith("api:"):
                    error = {"Code": answer[4:], "Message": "refused"}
                    self._answer(200, {"Response": {"Error": error, "RequestId": request_id}})
                    return
                ok = answer in ("ok", "sleep")
                statuses = [
                    {
                        "SerialNo": secrets.token_hex(12) if ok else "",
                        "PhoneNumber": number,
                        "Fee": 1 if ok else 0,
                        "SessionContext": params.get("SessionContext", ""),
                        "Code": "Ok" if ok else answer,
                        "Message": "send success" if ok else "refused",
                        "IsoCode": "CN",
                    }
                    for number in params["PhoneNumberSet"]
                ]
                self._answer(
                    200, {"Response": {"SendStatusSet": statuses, "RequestId": request_id}}
                )

        return Handler
