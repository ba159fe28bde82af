"""A local server that speaks Tencent Cloud FaceID (API 3.0, 2018-03-01) as the service does.

It checks every request's TC3-HMAC-SHA256 signature with the secret key the test generated
(the algorithm computed independently of the SDK, in tests/notices/providers/tencent_server.py),
and answers ``DetectAuth`` with a page URL and a BizToken, and ``GetDetectInfoEnhanced`` with the
text result: no ErrCode while the person has not finished, then the final ErrCode. A test
finishes a verification as Tencent's page would (``finish``) and chooses faults (``answers``).
"""

from __future__ import annotations

import contextlib
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.notices.providers.tencent_server import tc3_refusal

ACTIONS = ("DetectAuth", "GetDetectInfoEnhanced")


@dataclass
class FaceIdServer:
    secret_id: str = field(default_factory=lambda: "AKID" + secrets.token_hex(16))
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    rule_id: str = "1"
    # Each entry: "ok", "500", "sleep" or "api:<code>"; the last one repeats.
    answers: list[str] = field(default_factory=lambda: ["ok"])
    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    # BizToken -> the verification as Tencent keeps it.
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Where DetectAuth's Url points: a name nobody serves, or (page=True) this server's own
    # page, where a browser "verifies its face" (the journeys).
    page: bool = False

    def __post_init__(self) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> FaceIdServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def finish(self, token: str, err_code: int, err_msg: str = "成功", id_card: str = "") -> None:
        """The person finished on Tencent's page with this result."""
        session = self.sessions[token]
        session.update(err_code=err_code, err_msg=err_msg)
        if id_card:
            session["id_card"] = id_card

    def _check(self, headers: Any, body: bytes) -> str:
        return tc3_refusal(
            headers,
            body,
            secret_id=self.secret_id,
            secret_key=self.secret_key,
            service="faceid",
            actions=ACTIONS,
            version="2018-03-01",
        )

    def _detect_auth(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("RuleId") != self.rule_id:
            return {"Error": {"Code": "InvalidParameterValue.RuleIdNotExist", "Message": "rule"}}
        if not params.get("IdCard") or not params.get("Name") or not params.get("RedirectUrl"):
            return {"Error": {"Code": "InvalidParameter", "Message": "missing"}}
        token = str(uuid.uuid4()).upper()
        self.sessions[token] = {
            "id_card": params["IdCard"],
            "name": params["Name"],
            "redirect": params["RedirectUrl"],
            "extra": params.get("Extra", ""),
            "err_code": None,
            "err_msg": None,
        }
        base = f"http://{self.endpoint}" if self.page else "https://faceid.example"
        return {"Url": f"{base}/h5/{token}", "BizToken": token}

    def _result(self, params: dict[str, Any]) -> dict[str, Any]:
        session = self.sessions.get(str(params.get("BizToken")))
        if session is None:
            return {"Error": {"Code": "InvalidParameterValue.BizTokenIllegal", "Message": "token"}}
        if params.get("RuleId") != self.rule_id or params.get("InfoType") != "1":
            return {"Error": {"Code": "InvalidParameter", "Message": "rule or info type"}}
        text = {
            "ErrCode": session["err_code"],
            "ErrMsg": session["err_msg"],
            "IdCard": session["id_card"] if session["err_code"] is not None else "",
            "Name": session["name"] if session["err_code"] is not None else "",
            "Extra": session["extra"],
            "LiveStatus": session["err_code"],
            "Comparestatus": session["err_code"],
            "Sim": "92.5" if session["err_code"] == 0 else "0",
        }
        return {"Text": text, "IdCardData": None, "BestFrame": None, "VideoData": None}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _answer(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                # The client may have given up waiting (the timeout tests).
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            def _page(self, token: str) -> None:
                """Tencent's H5 page: the person "verifies" (the button), then goes back to
                RedirectUrl with the BizToken appended, as Tencent sends them."""
                session = server.sessions.get(token)
                if session is None:
                    self.send_error(404)
                    return
                if self.command == "POST":
                    server.finish(token, 0)
                    joiner = "&" if "?" in session["redirect"] else "?"
                    self.send_response(302)
                    self.send_header("Location", f"{session['redirect']}{joiner}token={token}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                page = (
                    '<!doctype html><html lang="zh-Hans"><meta charset="utf-8">'
                    "<title>人脸核身</title><main><h1>人脸核身</h1>"
                    f'<form method="post" action="/h5/{token}">'
                    '<button type="submit">开始验证</button></form></main>'
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def do_GET(self) -> None:
                if self.path.startswith("/h5/"):
                    self._page(self.path.removeprefix("/h5/"))
                    return
                self.send_error(404)

            def do_POST(self) -> None:
                if self.path.startswith("/h5/"):
                    self.rfile.read(int(self.headers.get("Content-Length", "0")))
                    self._page(self.path.removeprefix("/h5/"))
                    return
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                request_id = secrets.token_hex(8)
                problem = server._check(self.headers, body)
                if problem:
                    server.refused.append(problem)
                    error = {"Code": problem, "Message": "signature check failed"}
                    self._answer(200, {"Response": {"Error": error, "RequestId": request_id}})
                    return
                action = self.headers["X-TC-Action"]
                params = json.loads(body)
                server.requests.append((action, params))
                answer = server.answers.pop(0) if len(server.answers) > 1 else server.answers[0]
                if answer == "500":
                    self._answer(502, {"message": "bad gateway"})
                    return
                if answer == "sleep":
                    time.sleep(3)
                if answer.startswith("api:"):
                    error = {"Code": answer[4:], "Message": "refused"}
                    self._answer(200, {"Response": {"Error": error, "RequestId": request_id}})
                    return
                handle = server._detect_auth if action == "DetectAuth" else server._result
                self._answer(200, {"Response": handle(params) | {"RequestId": request_id}})

        return Handler
