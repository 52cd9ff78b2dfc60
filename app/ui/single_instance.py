"""One window per profile: a second start hands its request to the window already running.

Two windows on one profile would run two syncs over one mailbox cache and one outbox, and a
mailto link clicked while Liaison runs belongs in the window the user already has. The running
window listens on a local socket named after the profile's data folder; a second start sends it
one line of JSON, waits for "ok", and ends.
"""

from __future__ import annotations

import enum
import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_MS = 500
ANSWER_TIMEOUT_MS = 3000
ACK = b"ok\n"
MAX_REQUEST_BYTES = 64 * 1024  # a mailto link with a long body fits; anything bigger is not ours


class RequestError(ValueError):
    """A line on the socket that is not a start request."""


@dataclass(frozen=True, slots=True)
class StartRequest:
    """What a second start asks of the running window: come to the front, and maybe compose."""

    compose: str | None = None  # a mailto link to open in a new email

    def encode(self) -> bytes:
        return json.dumps({"compose": self.compose}).encode("utf-8") + b"\n"

    @classmethod
    def decode(cls, line: bytes) -> StartRequest:
        try:
            data = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise RequestError(f"not a start request: {exc}") from exc
        if not isinstance(data, dict):
            raise RequestError("not a start request: not an object")
        compose = data.get("compose")
        if compose is not None and not isinstance(compose, str):
            raise RequestError("not a start request: compose is not text")
        return cls(compose)


class Handover(enum.Enum):
    NOBODY = "nobody"  # no window runs on this profile: this start opens one
    TAKEN = "taken"  # the running window took the request: this start ends
    NOT_ANSWERING = "not-answering"  # a window holds the profile but does not answer


def channel_name(data_dir: Path) -> str:
    """The socket's name: one per profile, short enough for any platform's socket paths."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode("utf-8")).hexdigest()[:20]
    return f"liaison-{digest}"


def hand_over(
    name: str, request: StartRequest, answer_timeout_ms: int = ANSWER_TIMEOUT_MS
) -> Handover:
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return Handover.NOBODY
    socket.write(request.encode())
    answer = b""
    if socket.waitForBytesWritten(answer_timeout_ms):
        while not answer.endswith(b"\n") and socket.waitForReadyRead(answer_timeout_ms):
            answer += bytes(socket.readAll().data())
    socket.abort()
    return Handover.TAKEN if answer == ACK else Handover.NOT_ANSWERING


class InstanceServer(QObject):
    """The running window's end of the channel; `requested` is emitted on the event loop."""

    requested = Signal(object)  # StartRequest

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        if self._server.listen(self.name):
            return True
        # A socket left behind by a window that crashed: nobody answered on it (hand_over
        # came first), so it is taken over.
        QLocalServer.removeServer(self.name)
        if self._server.listen(self.name):
            return True
        log.warning("cannot listen for second starts: %s", self._server.errorString())
        return False

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda socket=socket: self._read(socket))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            if socket.bytesAvailable() > MAX_REQUEST_BYTES:
                socket.abort()
            return
        line = bytes(socket.readLine().data())
        try:
            request = StartRequest.decode(line)
        except RequestError as exc:
            log.warning("ignored a connection on the start channel: %s", exc)
            socket.abort()
            return
        socket.write(ACK)
        socket.flush()
        # Answered first: the request may open a modal dialog, which would hold the answer back
        # and keep the second start waiting.
        QTimer.singleShot(0, self, lambda: self.requested.emit(request))
