"""Processes of their own for the kill-and-restart and concurrency tests, without paying
Python's start-up for each: `start(script, argv, env)` behaves like `subprocess.Popen` of
`python script argv...` (pipes for stdout and stderr, pid, send_signal, poll, communicate,
returncode), but the process is forked from a server that has imported what the script imports
already (the script is run once, not as __main__, when the server starts).

Importing the app, exchangelib and SQLAlchemy costs ~0.7 s of CPU per process; the engine suite
starts ~170 of them, so exec'ing each was most of its time. A forked child is as separate as an
exec'd one: its own pid, files, SQLite connections and sockets (the server opens none before it
forks: it only imports), killed with a real SIGKILL.

The server forks a waiter per child, which forks the child itself and reports its pid and then
its exit status on a socket of that child's own, so children run and end independently.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import runpy
import select
import selectors
import signal
import socket
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import IO, Any

_MAX_REQUEST = 1 << 20


class Forked:
    """A child forked by the server; the subset of subprocess.Popen the tests use."""

    def __init__(
        self, status: socket.socket, stdout: int, stderr: int, argv: list[str], text: bool
    ) -> None:
        self._status = status
        self.args = argv
        self.pid = int(_line(status))
        self._text = text
        self.stdout: IO[Any] = _reader(stdout, text)
        self.stderr: IO[Any] = _reader(stderr, text)
        self.returncode: int | None = None

    def send_signal(self, sig: int) -> None:
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, sig)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def poll(self) -> int | None:
        if self.returncode is None and select.select([self._status], [], [], 0)[0]:
            self._read_status()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            if not select.select([self._status], [], [], timeout)[0]:
                raise subprocess.TimeoutExpired(self.args, timeout or 0)
            self._read_status()
        assert self.returncode is not None
        return self.returncode

    def communicate(self, timeout: float | None = None) -> tuple[Any, Any]:
        """Both streams read to their end (what is left of them), then the exit status."""
        deadline = None if timeout is None else time.monotonic() + timeout
        streams = (self.stdout, self.stderr)
        chunks: list[list[bytes]] = [[], []]
        with selectors.DefaultSelector() as selector:
            for which, stream in enumerate(streams):
                if not stream.closed:
                    selector.register(stream.fileno(), selectors.EVENT_READ, which)
            while selector.get_map():
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise subprocess.TimeoutExpired(self.args, timeout or 0)
                for key, _ in selector.select(left):
                    if data := os.read(key.fd, 65536):
                        chunks[key.data].append(data)
                    else:
                        selector.unregister(key.fd)
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        self.wait(left)
        for stream in streams:
            stream.close()
        out, err = (b"".join(chunk) for chunk in chunks)
        return (out.decode(), err.decode()) if self._text else (out, err)

    def _read_status(self) -> None:
        line = _line(self._status)
        # A waiter that died before it could say counts as a child killed.
        self.returncode = os.waitstatus_to_exitcode(int(line)) if line else -signal.SIGKILL
        self._status.close()


def _line(status: socket.socket) -> str:
    """One line of a waiter's report, read byte by byte: nothing past it is taken."""
    line = b""
    while not line.endswith(b"\n"):
        byte = status.recv(1)
        if not byte:
            break
        line += byte
    return line.decode().strip()


def _reader(fd: int, text: bool) -> IO[Any]:
    # Unbuffered in binary: readline() and communicate() read the same descriptor.
    return open(fd, encoding="utf-8", newline=None) if text else open(fd, "rb", buffering=0)


class ForkServer:
    def __init__(self, script: Path) -> None:
        # Datagrams in order: a request is read whole, however long its environment.
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._control = ours
        self._process = subprocess.Popen(
            [sys.executable, __file__, str(theirs.fileno()), str(script)],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )
        theirs.close()
        if self._control.recv(64) != b"ready":
            raise RuntimeError("the fork server did not start")

    def start(self, script: Path, argv: list[str], env: dict[str, str], text: bool) -> Forked:
        status, theirs = socket.socketpair()
        out_read, out_write = os.pipe()
        err_read, err_write = os.pipe()
        request = json.dumps({"script": str(script), "argv": argv, "env": env}).encode()
        socket.send_fds(self._control, [request], [theirs.fileno(), out_write, err_write])
        theirs.close()
        os.close(out_write)
        os.close(err_write)
        return Forked(status, out_read, err_read, [str(script), *argv], text)

    def stop(self) -> None:
        self._control.close()
        self._process.wait(timeout=10)


_servers: dict[Path, ForkServer] = {}


def start(script: Path, argv: list[str], env: dict[str, str], text: bool = False) -> Forked:
    """`python script argv...` with this environment, forked from the script's server."""
    if script not in _servers:
        _servers[script] = ForkServer(script)
        atexit.register(_servers[script].stop)
    return _servers[script].start(script, argv, env, text)


# The server's side


def _serve(control: socket.socket) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # waiters are reaped by the system
    control.sendall(b"ready")
    while True:
        try:
            request, fds, _, _ = socket.recv_fds(control, _MAX_REQUEST, 3)
        except OSError:
            return
        if not request:
            return
        sys.stdout.flush()
        sys.stderr.flush()
        if os.fork() == 0:
            control.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            _wait_for_child(json.loads(request), *fds)
        for fd in fds:
            os.close(fd)


def _wait_for_child(request: dict[str, Any], status: int, out: int, err: int) -> None:
    pid = os.fork()
    if pid == 0:
        os.close(status)
        _run_child(request, out, err)
    os.close(out)
    os.close(err)
    os.write(status, f"{pid}\n".encode())
    _, code = os.waitpid(pid, 0)
    os.write(status, f"{code}\n".encode())
    os._exit(0)


def _run_child(request: dict[str, Any], out: int, err: int) -> None:
    os.dup2(out, 1)
    os.dup2(err, 2)
    os.close(out)
    os.close(err)
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = [request["script"], *request["argv"]]
    code = 0
    try:
        runpy.run_path(request["script"], run_name="__main__")
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except BaseException:
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    runpy.run_path(sys.argv[2], run_name="__preload__")  # its imports, not its main
    _serve(socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET, fileno=int(sys.argv[1])))
