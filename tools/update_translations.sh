#!/usr/bin/env bash
# Refresh the Polish catalogue from the window's source, then compile both catalogues.
# New texts arrive as type="unfinished": translate them in resources/translations/liaison_pl.ts
# and run this again. English keeps only its plural forms, added by hand.
# No source locations are stored, so branches that add texts do not conflict on line numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${VIRTUAL_ENV:-.venv}/bin
"$bin/pyside6-lupdate" app/ui/*.py app/*.py -locations none -no-obsolete \
    -ts resources/translations/liaison_pl.ts
"$bin/pyside6-lrelease" resources/translations/liaison_pl.ts resources/translations/liaison_en.ts
