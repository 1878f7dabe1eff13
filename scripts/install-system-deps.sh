#!/usr/bin/env bash
# Debian packages nianbao uses at run time (docs/architecture.md, "System packages"):
#   libreoffice-writer-nogui  .doc/.wps → .docx conversion
#   fonts-noto-cjk            CJK glyphs for PDF output and LibreOffice
#   poppler-utils             pdftoppm, to look at generated PDFs
#   libharfbuzz-subset0       font subsetting for WeasyPrint (without it a CJK PDF takes ~15 s)
#   chromium                  the browser the web app's tests drive (Playwright, never a downloaded browser)
# Installs what is missing when it can (root or sudo); otherwise says what to install.
set -euo pipefail
missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
fc-list :lang=zh 2>/dev/null | grep -qi "noto" || missing+=(fonts-noto-cjk)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
ldconfig -p 2>/dev/null | grep -q "libharfbuzz-subset.so.0" || missing+=(libharfbuzz-subset0)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
  echo "nianbao: missing Debian packages: ${missing[*]} (install them with apt-get as root)" >&2
  exit 0
fi
echo "nianbao: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
