#!/bin/sh
# Put Perceptron Studio in the desktop's menus and make its files open with it: the desktop entry, the icon and
# the file types (projects *.studio.json, assignments *.studio-pack) go under ~/.local/share, or under
# DIR/share with --prefix DIR (for example --prefix /usr/local, as root, for every user of a lab machine).
# Run it from the unpacked bundle (perceptron-studio/install.sh); the bundle itself stays where it is.
set -eu

usage() {
    echo "usage: $0 [--prefix DIR]" >&2
    exit 2
}

bundle=$(cd "$(dirname "$0")" && pwd)
data="${XDG_DATA_HOME:-$HOME/.local/share}"
bin="$HOME/.local/bin"
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || usage; data="$2/share"; bin="$2/bin"; shift 2 ;;
        --prefix=*) data="${1#--prefix=}/share"; bin="${1#--prefix=}/bin"; shift ;;
        -h|--help) usage ;;
        *) echo "$0: unknown argument: $1" >&2; usage ;;
    esac
done

program="$bundle/perceptron-studio"
share="$bundle/share"
for needed in "$program" "$share/applications/perceptron-studio.desktop" "$share/icons/perceptron-studio.png" \
              "$share/mime/packages/perceptron-studio.xml"; do
    if [ ! -e "$needed" ]; then
        echo "$0: $needed is missing: run install.sh from the unpacked perceptron-studio folder" >&2
        exit 1
    fi
done

mkdir -p "$data/applications" "$data/icons/hicolor/256x256/apps" "$data/mime/packages" "$bin"

# Exec names the bundle's program by its full path (quoted and escaped as the desktop entry format asks), so the
# entry works whether or not $bin is on the PATH.
quoted=$(printf '%s' "$program" | sed -e 's/\\/\\\\\\\\/g' -e 's/["`$]/\\\\&/g')
sed -e "s|^Exec=perceptron-studio|Exec=\"$quoted\"|" -e "s|^TryExec=.*||" \
    "$share/applications/perceptron-studio.desktop" > "$data/applications/perceptron-studio.desktop.tmp"
mv "$data/applications/perceptron-studio.desktop.tmp" "$data/applications/perceptron-studio.desktop"
cp "$share/icons/perceptron-studio.png" "$data/icons/hicolor/256x256/apps/perceptron-studio.png"
cp "$share/mime/packages/perceptron-studio.xml" "$data/mime/packages/perceptron-studio.xml"
ln -sf "$program" "$bin/perceptron-studio"  # `perceptron-studio FILE` in a terminal

if command -v update-mime-database >/dev/null 2>&1; then
    update-mime-database "$data/mime"
else
    echo "update-mime-database not found (package shared-mime-info): the file types apply after the next login" >&2
fi
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database "$data/applications"
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$data/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
fi
echo "Installed Perceptron Studio's menu entry and file types under $data (program: $program)"
