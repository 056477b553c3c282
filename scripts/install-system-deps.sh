#!/usr/bin/env bash
# Installs the Debian packages the tests and the PDF need, if they are missing:
#   chromium        headless browser for the browser tests and for rendering charts to SVG
#   fonts-noto-cjk  Chinese fonts (browser screenshots, PDF embedding)
#   poppler-utils   pdftotext / pdffonts / pdftoppm used by the PDF tests
#   libpango-1.0-0 libpangoft2-1.0-0  WeasyPrint's text layout
set -euo pipefail

# The checks read each command's whole output into a variable: `fc-list | grep -q` would
# stop reading at the first match, fc-list would die of SIGPIPE, and under pipefail the
# check would fail although the fonts are there (and apt-get would run on every build).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fonts=$(fc-list : family 2>/dev/null || true)
[[ ${fonts,,} == *"noto sans cjk"* ]] || missing+=(fonts-noto-cjk)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
libs=$(ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || true)  # /sbin: not on every PATH
[[ $libs == *"libpangoft2-1.0.so.0"* ]] || missing+=(libpango-1.0-0 libpangoft2-1.0-0)

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "Installing system packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=sudo
    else
        echo "error: need root to install ${missing[*]} (apt-get install ${missing[*]})" >&2
        exit 1
    fi
else
    SUDO=
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
