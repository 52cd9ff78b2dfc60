"""Installer sources: every file they name exists, and the desktop files pass the validators."""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import shlex
import shutil
import struct
import subprocess
from pathlib import Path, PureWindowsPath
from typing import TYPE_CHECKING

import pytest

from app import __version__
from app.cli import build_parser

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
ISS = PACKAGING / "windows" / "liaison.iss"
SPEC = PACKAGING / "liaison.spec"
DESKTOP = PACKAGING / "liaison.desktop"
METAINFO = PACKAGING / "io.github.liaisoncrm.Liaison.metainfo.xml"
ICONS = PACKAGING / "icons"
APP_ID = "io.github.liaisoncrm.Liaison"


def iss_paths() -> dict[str, str]:
    """The Inno Setup keys and #defines that name files, as written (relative to the .iss)."""
    text = ISS.read_text(encoding="utf-8")
    found = dict(re.findall(r"^(LicenseFile|SetupIconFile)=(.+)$", text, re.MULTILINE))
    found.update(re.findall(r'^#define (BuildDir) "(.+)"$', text, re.MULTILINE))
    return found


def from_iss(path: str) -> Path:
    return (ISS.parent / Path(*PureWindowsPath(path).parts)).resolve()


def spec_paths() -> list[Path]:
    """Every `ROOT / "..."` and `ICONS / "..."` chain in the spec, resolved as the spec does."""
    bases = {"ROOT": ROOT, "ICONS": ICONS}
    found: list[Path] = []

    def resolve(node: ast.expr) -> Path | None:
        if isinstance(node, ast.Name):
            return bases.get(node.id)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            left = resolve(node.left)
            if left is not None and isinstance(node.right, ast.Constant):
                return left / str(node.right.value)
        return None

    for node in ast.walk(ast.parse(SPEC.read_text(encoding="utf-8"))):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            path = resolve(node)
            if path is not None:
                found.append(path)
    # Chains inside chains are walked too; the longest ones are the files the spec names.
    return [path for path in found if not any(path in other.parents for other in found)]


def test_the_inno_setup_source_names_files_that_exist() -> None:
    paths = iss_paths()
    assert set(paths) == {"LicenseFile", "SetupIconFile", "BuildDir"}
    assert from_iss(paths["LicenseFile"]) == ROOT / "LICENSE"
    assert from_iss(paths["SetupIconFile"]).is_file()


def test_the_inno_setup_source_installs_the_folder_build_sh_makes() -> None:
    build_sh = (PACKAGING / "build.sh").read_text(encoding="utf-8")
    default_build = re.search(r"build=\$\{1:-\$root/(.+)\}", build_sh)
    assert default_build is not None
    assert from_iss(iss_paths()["BuildDir"]) == ROOT / default_build.group(1) / "dist" / "liaison"


def test_the_pyinstaller_spec_names_files_that_exist() -> None:
    paths = spec_paths()
    assert ICONS / "liaison.ico" in paths and ICONS / "liaison.icns" in paths
    assert ROOT / "app" / "db" / "migrations" in paths
    missing = [str(path) for path in paths if not path.exists()]
    assert missing == []


def test_the_pyinstaller_spec_bundles_the_installed_package_data_and_nothing_of_tools() -> None:
    spec = SPEC.read_text(encoding="utf-8")
    paths = spec_paths()
    # The bundle is made from the installed copy: the checkout on its path would shadow it and
    # its `app.resources`, and copying resources/ by hand would ship more than the wheel does.
    assert "pathex" not in spec
    assert 'collect_data_files("app.resources")' in spec
    assert ROOT / "resources" not in paths
    assert [path for path in paths if ROOT / "tools" in (path, *path.parents)] == []


def test_the_desktop_entry_icon_exists_at_every_hicolor_size() -> None:
    icon = re.search(r"^Icon=(.+)$", DESKTOP.read_text(encoding="utf-8"), re.MULTILINE)
    assert icon is not None and icon.group(1) == APP_ID
    sizes = sorted(
        int(path.parts[-3].split("x")[0]) for path in ICONS.glob(f"hicolor/*x*/apps/{APP_ID}.png")
    )
    assert sizes == [16, 22, 24, 32, 48, 64, 128, 256, 512]
    assert (ICONS / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()


def test_each_hicolor_png_is_as_large_as_its_folder_says() -> None:
    for path in ICONS.glob(f"hicolor/*x*/apps/{APP_ID}.png"):
        width, height = struct.unpack(">II", path.read_bytes()[16:24])
        assert f"{width}x{height}" == path.parts[-3]


def _sizes_qt_reads(path: Path) -> list[int]:
    from PySide6.QtGui import QImageReader

    reader = QImageReader(str(path))
    sizes = []
    for index in range(reader.imageCount()):
        reader.jumpToImage(index)
        image = reader.read()
        assert not image.isNull(), reader.errorString()
        assert image.width() == image.height()
        sizes.append(image.width())
    return sizes


def test_the_windows_icon_holds_the_sizes_from_16_to_256(qapp: object) -> None:
    assert _sizes_qt_reads(ICONS / "liaison.ico") == [16, 24, 32, 48, 64, 128, 256]


def test_the_macos_icon_holds_the_sizes_from_16_to_1024(qapp: object) -> None:
    assert sorted(set(_sizes_qt_reads(ICONS / "liaison.icns"))) == [16, 32, 64, 128, 256, 512, 1024]


def test_the_metainfo_launches_the_desktop_entry() -> None:
    text = METAINFO.read_text(encoding="utf-8")
    assert f"<id>{APP_ID}</id>" in text
    assert f'<launchable type="desktop-id">{DESKTOP.name}</launchable>' in text


# The validators come from the distribution, not PyPI: .ci/run installs them; a developer's
# machine may lack them, and there the test says what to install instead of failing.
VALIDATOR_PACKAGES = {"appstreamcli": "appstream", "desktop-file-validate": "desktop-file-utils"}


def _validator(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        missing = f"{name} is not installed (apt-get install {VALIDATOR_PACKAGES[name]})"
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    return path


def test_the_metainfo_passes_appstreamcli_validate() -> None:
    result = subprocess.run(
        [_validator("appstreamcli"), "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_desktop_entry_passes_desktop_file_validate_without_a_hint() -> None:
    result = subprocess.run(
        [_validator("desktop-file-validate"), str(DESKTOP)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


def test_the_desktop_entry_handles_mailto_links_through_compose() -> None:
    text = DESKTOP.read_text(encoding="utf-8")
    assert "MimeType=x-scheme-handler/mailto;" in text
    assert re.search(r"^Exec=liaison --compose %u$", text, re.MULTILINE)


def test_install_desktop_puts_the_entry_metainfo_and_icons_under_the_prefix(
    tmp_path: Path,
) -> None:
    prefix = tmp_path / "prefix"
    result = subprocess.run(
        ["bash", str(PACKAGING / "install-desktop.sh")],
        env={**os.environ, "PREFIX": str(prefix)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    share = prefix / "share"
    assert (share / "applications" / "liaison.desktop").read_bytes() == DESKTOP.read_bytes()
    assert (share / "metainfo" / METAINFO.name).is_file()
    assert (share / "icons" / "hicolor" / "48x48" / "apps" / f"{APP_ID}.png").is_file()
    assert not (prefix / "bin").exists()


def test_install_desktop_refuses_a_folder_that_is_not_a_build(tmp_path: Path) -> None:
    result = subprocess.run(
        ["bash", str(PACKAGING / "install-desktop.sh"), str(tmp_path)],
        env={**os.environ, "PREFIX": str(tmp_path / "prefix")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "has no liaison executable" in result.stderr


def desktop_exec(url: str | None) -> list[str]:
    """The desktop entry's Exec line as a launcher expands it (Desktop Entry Specification:
    %u becomes the URL, or is removed when the entry is started without one)."""
    line = re.search(r"^Exec=(.+)$", DESKTOP.read_text(encoding="utf-8"), re.MULTILINE)
    assert line is not None
    words = shlex.split(line.group(1))
    return [url if word == "%u" else word for word in words if word != "%u" or url is not None]


def test_the_desktop_entry_started_from_the_menu_opens_the_window() -> None:
    words = desktop_exec(None)
    assert words[0] == "liaison"
    args = build_parser().parse_args(words[1:])
    assert args.command is None and args.compose is None


def test_the_desktop_entry_hands_a_mailto_link_to_compose() -> None:
    link = "mailto:jan.kowalski@acme.pl?subject=Oferta%202027"
    args = build_parser().parse_args(desktop_exec(link)[1:])
    assert args.command is None and args.compose == link


def test_the_committed_icons_are_what_make_icons_draws_from_the_svg(
    qapp: object, tmp_path: Path
) -> None:
    from PySide6.QtGui import QImage

    # packaging/ is no package (the name is PyPI's `packaging`): load the script by its path.
    spec = importlib.util.spec_from_file_location("make_icons", PACKAGING / "make_icons.py")
    assert spec is not None and spec.loader is not None
    make_icons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_icons)

    fresh = make_icons.make_icons(tmp_path)
    assert len(fresh) == len(list(ICONS.rglob("*.*")))
    for path in fresh:
        committed = ICONS / path.relative_to(tmp_path)
        if path.suffix == ".png":
            # Pixels, not bytes: another Qt may compress the same picture differently, and
            # its rasteriser may round an anti-aliased edge one step the other way.
            assert _largest_channel_difference(QImage(str(committed)), QImage(str(path))) <= 2, (
                "run packaging/make_icons.py"
            )
        elif path.suffix == ".svg":
            assert committed.read_bytes() == path.read_bytes()
        else:  # .ico and .icns: the same PNGs inside; the tests above read them with Qt
            assert committed.is_file()


def _largest_channel_difference(first: QImage, second: QImage) -> int:
    from PySide6.QtGui import QImage

    assert first.size() == second.size()
    a = bytes(first.convertToFormat(QImage.Format.Format_ARGB32).constBits())
    b = bytes(second.convertToFormat(QImage.Format.Format_ARGB32).constBits())
    return max((abs(x - y) for x, y in zip(a, b, strict=True)), default=0)


def test_the_installers_carry_the_version_of_the_app() -> None:
    iss_version = re.search(r'^#define AppVersion "(.+)"$', ISS.read_text(), re.MULTILINE)
    releases = re.findall(r'<release version="([^"]+)"', METAINFO.read_text(encoding="utf-8"))
    pyproject = re.search(r'^version = "(.+)"$', (ROOT / "pyproject.toml").read_text(), re.M)
    assert iss_version is not None and pyproject is not None
    assert iss_version.group(1) == releases[0] == pyproject.group(1) == __version__


def test_install_desktop_for_the_built_app_starts_it_by_its_full_path(tmp_path: Path) -> None:
    # A folder shaped like build.sh's output; the executables only have to exist to be linked.
    app_dir = tmp_path / "Liaison 0.1.0" / "liaison"
    app_dir.mkdir(parents=True)
    for name in ("liaison", "liaison-cli"):
        (app_dir / name).write_text("#!/bin/sh\n", encoding="utf-8")
        (app_dir / name).chmod(0o755)
    prefix = tmp_path / "prefix"

    result = subprocess.run(
        ["bash", str(PACKAGING / "install-desktop.sh"), str(app_dir)],
        env={**os.environ, "PREFIX": str(prefix)},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert (prefix / "bin" / "liaison").resolve() == app_dir / "liaison"
    assert (prefix / "bin" / "liaison-cli").resolve() == app_dir / "liaison-cli"
    installed = prefix / "share" / "applications" / "liaison.desktop"
    text = installed.read_text(encoding="utf-8")
    assert f'Exec="{app_dir}/liaison" --compose %u' in text
    assert f'Exec="{app_dir}/liaison" --demo' in text
    assert f"TryExec={app_dir}/liaison\n" in text
    validator = shutil.which("desktop-file-validate")
    if validator is not None:
        check = subprocess.run([validator, str(installed)], capture_output=True, text=True)
        assert check.returncode == 0 and check.stdout == "", check.stdout
