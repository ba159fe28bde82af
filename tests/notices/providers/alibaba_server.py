"""A local server that speaks Alibaba Cloud's OpenAPI (RPC style) as dysmsapi does.

It checks every request's ACS3-HMAC-SHA256 signature (V3) with the AccessKey secret the test
generated, computed here from Alibaba's published algorithm and independently of the SDK: the
canonical request is the method, the path, the sorted percent-encoded query, the signed headers
(host, every x-acs-* header and content-type must be among them) and the payload's SHA-256, and
the nonce may not be used twice. It answers in dysmsapi's JSON shapes: ``{"Code": "OK",
"BizId": ...}``, a business error code with HTTP 200, or the gateway's own errors (HTTP 400/404
for a bad signature or key, 503 when it is down). A test chooses the answer per request
(``answers``) and reads what was sent (``requests``).
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
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

ACTIONS = ("SendSms", "QuerySendDetails")


def _encode(value: str) -> str:
    return quote(value, safe="~")


def acs3_signature(
    *,
    secret: str,
    method: str,
    path: str,
    query: list[tuple[str, str]],
    headers: dict[str, str],
    signed: list[str],
    payload_hash: str,
) -> str:
    canonical_query = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in sorted(query))
    canonical_headers = "".join(f"{name}:{headers.get(name, '').strip()}\n" for name in signed)
    canonical = "\n".join(
        [method, path or "/", canonical_query, canonical_headers, ";".join(signed), payload_hash]
    )
    to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical.encode()).hexdigest()
    return hmac.new(secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()


@dataclass
class AlibabaSmsServer:
    access_key_id: str = field(default_factory=lambda: "LTAI" + secrets.token_hex(10))
    access_key_secret: str = field(default_factory=lambda: secrets.token_urlsafe(22))
    # Each entry: "ok", a business code for the number ("isv.MOBILE_NUMBER_ILLEGAL"), "503",
    # "sleep" or "garbage" (a 200 whose body is not JSON); the last one repeats.
    answers: list[str] = field(default_factory=lambda: ["ok"])
    requests: list[dict[str, str]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    nonces: set[str] = field(default_factory=set)
    # What the provider took, per phone: the records QuerySendDetails answers from.
    taken: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> AlibabaSmsServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _check(self, method: str, target: str, headers: dict[str, str], body: bytes) -> str:
        """'' if the request is signed right, else the gateway's error code for it."""
        auth = headers.get("authorization", "")
        prefix = "ACS3-HMAC-SHA256 "
        if not auth.startswith(prefix):
            return "IncompleteSignature"
        parts = dict(part.split("=", 1) for part in auth[len(prefix) :].split(","))
        if parts.get("Credential") != self.access_key_id:
            return "InvalidAccessKeyId.NotFound"
        signed = parts.get("SignedHeaders", "").split(";")
        must = {"host", "x-acs-date", "x-acs-action", "x-acs-version", "x-acs-signature-nonce"}
        must |= {name for name in headers if name.startswith("x-acs-")}
        if "content-type" in headers:
            must.add("content-type")
        if not must <= set(signed) or signed != sorted(signed):
            return "IncompleteSignature"
        action = headers.get("x-acs-action")
        if action not in ACTIONS or headers.get("x-acs-version") != "2017-05-25":
            return "InvalidAction.NotFound"
        payload_hash = hashlib.sha256(body).hexdigest()
        if headers.get("x-acs-content-sha256") != payload_hash:
            return "IncompleteSignature"
        try:
            sent_at = datetime.strptime(headers["x-acs-date"], "%Y-%m-%dT%H:%M:%SZ")
        except (KeyError, ValueError):
            return "InvalidTimeStamp.Format"
        if abs(datetime.now(UTC).replace(tzinfo=None) - sent_at).total_seconds() > 900:
            return "InvalidTimeStamp.Expired"
        nonce = headers.get("x-acs-signature-nonce", "")
        if not nonce or nonce in self.nonces:
            return "SignatureNonceUsed"
        url = urlsplit(target)
        expected = acs3_signature(
            secret=self.access_key_secret,
            method=method,
            path=url.path,
            query=parse_qsl(url.query, keep_blank_values=True),
            headers=headers,
            signed=signed,
            payload_hash=payload_hash,
        )
        if not hmac.compare_digest(parts.get("Signature", ""), expected):
            return "SignatureDoesNotMatch"
        self.nonces.add(nonce)
        return ""

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _answer(self, status: int, payload: dict[str, Any] | bytes) -> None:
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                # The client may have given up waiting (the timeout tests).
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                request_id = secrets.token_hex(8).upper()
                headers = {name.lower(): value for name, value in self.headers.items()}
                problem = server._check("POST", self.path, headers, body)
                if problem:
                    server.refused.append(problem)
                    status = 404 if problem.startswith("InvalidAccessKeyId") else 400
                    error = {"Code": problem, "Message": "refused", "RequestId": request_id}
                    self._answer(status, error)
                    return
                params = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
                if headers["x-acs-action"] == "QuerySendDetails":
                    self._details(params, request_id)
                    return
                server.requests.append(params)
                answer = server.answers.pop(0) if len(server.answers) > 1 else server.answers[0]
                if answer == "503":
                    error = {
                        "Code": "ServiceUnavailable",
                        "Message": "down",
                        "RequestId": request_id,
                    }
                    self._answer(503, error)
                    return
                if answer == "garbage":
                    self._answer(200, b"<html>proxy error</html>")
                    return
                if answer in ("ok", "sleep"):
                    server.taken.setdefault(params["PhoneNumbers"], []).append(
                        {
                            "PhoneNum": params["PhoneNumbers"],
                            "SendStatus": 1,
                            "ErrCode": "",
                            "TemplateCode": params["TemplateCode"],
                            "OutId": params.get("OutId", ""),
                            "SendDate": time.strftime("%Y-%m-%d %H:%M:%S"),
                        }
                    )
                    if answer == "sleep":  # taken, but the answer comes too late
                        time.sleep(3)
                    biz_id = f"{secrets.randbelow(10**6):06d}^{secrets.randbelow(10**10):010d}"
                    self._answer(
                        200,
                        {"Code": "OK", "Message": "OK", "BizId": biz_id, "RequestId": request_id},
                    )
                    return
                self._answer(200, {"Code": answer, "Message": "refused", "RequestId": request_id})

            def _details(self, params: dict[str, str], request_id: str) -> None:
                if not params.get("PhoneNumber") or len(params.get("SendDate", "")) != 8:
                    self._answer(200, {"Code": "isv.INVALID_PARAMETERS", "RequestId": request_id})
                    return
                rows = server.taken.get(params["PhoneNumber"], [])
                self._answer(
                    200,
                    {
                        "Code": "OK",
                        "Message": "OK",
                        "RequestId": request_id,
                        "TotalCount": len(rows),
                        "SmsSendDetailDTOs": {"SmsSendDetailDTO": rows},
                    },
                )

        return Handler
