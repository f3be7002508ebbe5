#!/usr/bin/env bash
# The system packages the app itself needs at run time (make run and make test both call this): a Chinese font
# for the quarterly report's PDF (app/exports/quarterly_pdf.py embeds it as a subset) and fontconfig, whose
# fc-list finds it. Debian's fonts-wqy-microhei (one small TTC); REPORT_FONT may name another file instead.
# Idempotent: a few milliseconds when everything is already there.
set -euo pipefail

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi
}

missing=()
command -v fc-list >/dev/null || missing+=(fontconfig)
# poppler's pdftotext, pdffonts and pdftoppm: the tests read the enforcement documents' PDFs back with them
command -v pdftotext >/dev/null || missing+=(poppler-utils)
if [ -z "${REPORT_FONT:-}" ] && ! fc-list :lang=zh-cn 2>/dev/null | grep -q .; then
  missing+=(fonts-wqy-microhei)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} (apt)..." >&2
  as_root apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
fi
