"""One window per profile: a second `liaison` hands its request to the window already open."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QDir
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from app.ui.compose_dialog import ComposeDialog
from app.ui.launch import OpenedProfile, WindowController
from app.ui.single_instance import (
    Handover,
    InstanceServer,
    RequestError,
    StartRequest,
    channel_name,
    hand_over,
)
from tests.ui.dialogs import when_dialog_opens
from tests.ui.mailbox_builder import BuiltProfile

ROOT = Path(__file__).resolve().parents[2]
LINK = "mailto:jan.kowalski@acme.pl?subject=Zapytanie%20o%20palety"


@pytest.fixture
def running(qtbot: QtBot, qapp: QApplication, profile: BuiltProfile) -> Iterator[WindowController]:
    """Anna's window, open and listening for second starts on her profile."""
    opened = OpenedProfile(profile.workspace, lambda: None)  # the fixture closes the profile
    controller = WindowController(qapp, opened, sync=False)
    window = controller.show()
    qtbot.addWidget(window)
    channel = InstanceServer(channel_name(profile.workspace.paths.data_dir))
    assert channel.listen()
    channel.requested.connect(controller.take_request)
    yield controller
    channel.close()


def socket_path(name: str) -> str:
    """Where Qt puts a local server's socket on Unix."""
    return os.path.join(QDir.tempPath(), name)


def bound_socket(name: str) -> socket.socket:
    """A Unix socket on the channel's path, standing in for another window's."""
    bound = socket.socket(socket.AF_UNIX)
    bound.bind(socket_path(name))
    return bound


def start_liaison(*arguments: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen(
        [sys.executable, "-m", "app", *arguments], cwd=ROOT, env=env, stderr=subprocess.PIPE
    )


def test_a_second_start_opens_its_mailto_link_in_the_running_window(
    qtbot: QtBot, running: WindowController
) -> None:
    seen: list[tuple[str, str]] = []

    def read(dialog: QDialog) -> None:
        assert isinstance(dialog, ComposeDialog)
        assert dialog.parent() is running.window
        seen.append((dialog.to.text(), dialog.subject.text()))
        dialog.reject()

    failures = when_dialog_opens(read)
    second = start_liaison("--compose", LINK)
    qtbot.waitUntil(lambda: second.poll() is not None and bool(seen), timeout=60_000)

    assert second.returncode == 0, second.stderr.read() if second.stderr else ""
    assert not failures
    assert seen == [("jan.kowalski@acme.pl", "Zapytanie o palety")]


def test_a_start_on_a_profile_with_no_window_finds_nobody_to_hand_over_to(tmp_path: Path) -> None:
    assert hand_over(channel_name(tmp_path), StartRequest()) is Handover.NOBODY


def test_each_profile_has_a_channel_of_its_own(tmp_path: Path) -> None:
    anna, piotr = tmp_path / "anna" / "data", tmp_path / "piotr" / "data"
    assert channel_name(anna) != channel_name(piotr)
    assert channel_name(anna) == channel_name(tmp_path / "anna" / ".." / "anna" / "data")


@pytest.mark.skipif(sys.platform == "win32", reason="Unix domain sockets leave files behind")
def test_the_socket_a_crashed_window_left_behind_does_not_stop_the_next_start(
    tmp_path: Path,
) -> None:
    name = channel_name(tmp_path)
    bound_socket(name).close()  # the file stays, nobody listens: what a crash leaves

    assert hand_over(name, StartRequest()) is Handover.NOBODY
    channel = InstanceServer(name)
    try:
        assert channel.listen()
    finally:
        channel.close()


@pytest.mark.skipif(sys.platform == "win32", reason="a Unix domain socket stands in for a window")
def test_a_window_that_holds_the_profile_but_does_not_answer_is_reported_not_doubled(
    tmp_path: Path,
) -> None:
    name = channel_name(tmp_path)
    hung = bound_socket(name)
    hung.listen(1)
    accepted: list[socket.socket] = []
    waiter = threading.Thread(target=lambda: accepted.append(hung.accept()[0]), daemon=True)
    waiter.start()
    try:
        outcome = hand_over(name, StartRequest(LINK), answer_timeout_ms=300)
    finally:
        waiter.join(timeout=5)
        for connection in accepted:
            connection.close()
        hung.close()
        os.unlink(socket_path(name))

    assert outcome is Handover.NOT_ANSWERING


def test_a_stranger_writing_garbage_on_the_channel_is_ignored(
    qtbot: QtBot, running: WindowController, profile: BuiltProfile
) -> None:
    name = channel_name(profile.workspace.paths.data_dir)
    stranger = socket.socket(socket.AF_UNIX)
    stranger.connect(socket_path(name))
    stranger.sendall(b"\xff not json\n")
    qtbot.wait(100)
    stranger.close()

    second = start_liaison()
    qtbot.waitUntil(lambda: second.poll() is not None, timeout=60_000)
    assert second.returncode == 0


@given(st.one_of(st.none(), st.text()))
def test_a_start_request_survives_its_trip_over_the_socket(link: str | None) -> None:
    request = StartRequest(link)
    encoded = request.encode()
    assert encoded.endswith(b"\n") and encoded.count(b"\n") == 1
    assert StartRequest.decode(encoded) == request


@pytest.mark.parametrize("line", [b"[]\n", b'{"compose": 7}\n', b"\xff\n", b"{\n"])
def test_a_line_that_is_not_a_start_request_is_refused(line: bytes) -> None:
    with pytest.raises(RequestError):
        StartRequest.decode(line)
