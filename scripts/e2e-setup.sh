#!/usr/bin/env bash
# What the browser tests (tests/e2e) need besides the Python packages: Debian's Chromium, a Chinese and an emoji
# font (the screenshots in docs/screenshots show zh-CN text and icons, not empty boxes), and Node + npm to build the PWA
# (tests/e2e/conftest.py builds pwa/dist when it is missing or older than its sources).
# Idempotent: a few milliseconds when everything is already there. Playwright's own browser download
# (`playwright install`) is never used.
set -euo pipefail
chromium=${CHROMIUM_PATH:-/usr/bin/chromium}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi
}

missing=()
[ -x "$chromium" ] || missing+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-wqy-microhei)
fc-list 2>/dev/null | grep -qi 'color emoji' || missing+=(fonts-noto-color-emoji)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} (apt)..." >&2
  as_root apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
fi
"$chromium" --version >/dev/null 2>&1 || { echo "$chromium does not run" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm is missing: the browser tests build the PWA with Node 20 and npm" >&2; exit 1; }
