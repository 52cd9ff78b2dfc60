"""The loopback redirect a desktop app's sign-in returns to: one answer on http://localhost.

The authorization endpoint sends its answer to the redirect URI, posted as a form
(response_mode=form_post) or in the query. This server takes that one answer on 127.0.0.1 and
a port of the system's choosing, and tells the browser it may close the page.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from types import TracebackType
from urllib.parse import parse_qsl, urlsplit

_DONE_PAGE = (
    b"<html><head><title>Liaison</title></head><body><h1>Signed in</h1>"
    b"<p>You can close this page and go back to Liaison.</p></body></html>"
)
MAX_ANSWER_BYTES = 64 * 1024


class _Handler(BaseHTTPRequestHandler):
    server: LoopbackRedirect

    def do_GET(self) -> None:
        self._take(urlsplit(self.path).query)

    def do_POST(self) -> None:
        length = min(int(self.headers.get("Content-Length") or 0), MAX_ANSWER_BYTES)
        self._take(self.rfile.read(length).decode("utf-8", "replace"))

    def _take(self, encoded: str) -> None:
        answer = dict(parse_qsl(encoded, keep_blank_values=True))
        if not ("code" in answer or "error" in answer):
            # A browser asking for /favicon.ico, or a stray visit: not the answer.
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(_DONE_PAGE)))
        self.end_headers()
        self.wfile.write(_DONE_PAGE)
        self.server.deliver(answer)

    def log_message(self, format: str, *args: object) -> None:
        """Nothing on stderr: the CLI's output is the user's."""


class LoopbackRedirect(HTTPServer):
    """Use as a context manager; `redirect_uri` to register, `wait` for the answer."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self._answer: dict[str, str] | None = None
        self._answered = threading.Event()
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def redirect_uri(self) -> str:
        # Entra matches http://localhost with any port for a public client.
        return f"http://localhost:{self.server_address[1]}"

    def deliver(self, answer: dict[str, str]) -> None:
        if not self._answered.is_set():
            self._answer = answer
            self._answered.set()

    def wait(self, cancel: threading.Event, timeout_s: float) -> dict[str, str] | None:
        """The answer, or None when cancelled or out of time."""
        waited = 0.0
        while waited < timeout_s and not cancel.is_set():
            if self._answered.wait(0.2):
                return self._answer
            waited += 0.2
        return None

    def __enter__(self) -> LoopbackRedirect:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)
