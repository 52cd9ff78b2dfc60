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
echo "Built $app ($(du -sh "$app" | cut -f1))"

# Smoke test. Each step runs the frozen executables, so a module, Qt plugin, migration or data
# file left out of the bundle fails here rather than on a user's machine.
seconds() {
    local start=$EPOCHREALTIME
    "$@"
    awk "BEGIN { printf \"  (%.2f s: %s)\\n\", $EPOCHREALTIME - $start, \"${*##*/}\" }"
}
smoke_home=$(mktemp -d)
trap 'rm -rf "$smoke_home"' EXIT
export LIAISON_HOME=$smoke_home QT_QPA_PLATFORM=offscreen
seconds "$app/liaison-cli" --version
seconds timeout 120 "$app/liaison" --demo --quit-after-load
# The demo profile now holds the demo CRM: the migrations ran and the demo data was found.
contacts=$(LIAISON_PROFILE=demo "$app/liaison-cli" crm list contacts --json | grep -c '"type": "contact"' || true)
if [ "$contacts" -eq 0 ]; then
    echo "Smoke test failed: the demo opened with no CRM contacts (demo data missing?)" >&2
    exit 1
fi
"$app/liaison-cli" help sync >/dev/null
echo "Smoke test passed: the built app opens the demo ($contacts contacts) and quits cleanly."
