#!/usr/bin/env bash
# Puts Liaison in the Linux desktop's menus: the .desktop entry, the AppStream metainfo and the
# icons, and makes Liaison the handler of mailto: links ("New email" links open in Liaison).
#   packaging/install-desktop.sh [APP_DIR]
# APP_DIR is the built folder (build/pyinstaller/dist/liaison); when given, PREFIX/bin/liaison
# links to its executable. Without it, `liaison` must already be on PATH (pip install).
# PREFIX defaults to ~/.local (this user only); PREFIX=/usr/local installs for everyone.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-$HOME/.local}
share=$prefix/share

install -D -m 644 "$here/io.github.liaisoncrm.Liaison.metainfo.xml" \
    "$share/metainfo/io.github.liaisoncrm.Liaison.metainfo.xml"
(cd "$here/icons" && find hicolor -type f) | while read -r icon; do
    install -D -m 644 "$here/icons/$icon" "$share/icons/$icon"
done

entry=$share/applications/liaison.desktop
if [ $# -ge 1 ]; then
    app_dir=$(cd "$1" && pwd)
    if [ ! -x "$app_dir/liaison" ]; then
        echo "install-desktop: $app_dir has no liaison executable; build it with packaging/build.sh" >&2
        exit 2
    fi
    mkdir -p "$prefix/bin" "$(dirname "$entry")"
    ln -sf "$app_dir/liaison" "$prefix/bin/liaison"
    ln -sf "$app_dir/liaison-cli" "$prefix/bin/liaison-cli"
    # The menu starts the built app by its full path: a launcher's PATH may lack PREFIX/bin.
    sed -e "s|^Exec=liaison |Exec=\"$app_dir/liaison\" |" -e "s|^TryExec=liaison$|TryExec=$app_dir/liaison|" \
        "$here/liaison.desktop" >"$entry"
    chmod 644 "$entry"
else
    install -D -m 644 "$here/liaison.desktop" "$entry"
fi

# Caches and the mailto: default are the desktop's business; each step is skipped where the tool
# is missing (a server, a minimal container) and the files above still work after a new login.
if command -v update-desktop-database >/dev/null; then
    update-desktop-database -q "$share/applications" || true
fi
if command -v gtk-update-icon-cache >/dev/null && [ -f "$share/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t "$share/icons/hicolor" || true
fi
if command -v xdg-mime >/dev/null && [ "$prefix" = "$HOME/.local" ]; then
    xdg-mime default liaison.desktop x-scheme-handler/mailto
    echo "Liaison now opens mailto: links."
fi
echo "Installed the desktop entry, metainfo and icons under $share."
