#!/usr/bin/env bash
# Builds the one-folder app in a clean virtual environment, then smoke-tests the result:
# `--version`, and the demo window opened offscreen and closed once loaded.
#   packaging/build.sh [BUILD_DIR]      (default: build/pyinstaller)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/pyinstaller}
venv=$build/venv

rm -rf "$build"
mkdir -p "$build"
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check "$root" pyinstaller
"$venv/bin/pyinstaller" --noconfirm --clean \
    --distpath "$build/dist" --workpath "$build/work" "$root/packaging/liaison.spec"

app=$build/dist/liaison
echo "Built $app"
"$app/liaison-cli" --version
smoke_home=$(mktemp -d)
trap 'rm -rf "$smoke_home"' EXIT
LIAISON_HOME=$smoke_home QT_QPA_PLATFORM=offscreen timeout 120 "$app/liaison" --demo --quit-after-load
echo "Smoke test passed: the built app opens the demo and quits cleanly."
