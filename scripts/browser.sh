#!/usr/bin/env bash
# `make browser`: what the report's browser tests need (tests/report/test_browser.py):
#   Debian's chromium + chromium-driver (and a Japanese font so the screenshot is legible),
#   installed with apt-get when missing; and axe-core (accessibility rules) from the npm
#   registry into .venv/node, pinned. Nothing is downloaded at test time.
set -euo pipefail
VENV=${1:-.venv}
AXE_CORE_VERSION=${AXE_CORE_VERSION:-4.14.1}
PKGS=(chromium chromium-driver fonts-noto-cjk)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && [ "${missing[*]}" = "fonts-noto-cjk" ]; then
    echo "make browser: note: fonts-noto-cjk missing; screenshots will show boxes for Japanese" >&2
  elif ! command -v apt-get >/dev/null 2>&1; then
    echo "make browser: error: ${missing[*]} not installed and apt-get is unavailable;" \
      "install Chromium and ChromeDriver (/usr/bin/chromium, /usr/bin/chromedriver) yourself" >&2
    exit 1
  elif [ "$(id -u)" -ne 0 ]; then
    echo "make browser: error: ${missing[*]} not installed; run as root: sudo make browser" >&2
    exit 1
  else
    echo "make browser: installing ${missing[*]} (apt-get)" >&2
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
      echo "make browser: error: apt-get could not install ${missing[*]}" >&2
      exit 1
    fi
  fi
fi

AXE="$VENV/node/node_modules/axe-core"
if [ ! -f "$AXE/axe.min.js" ] || ! grep -q "\"version\": \"$AXE_CORE_VERSION\"" "$AXE/package.json"; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "make browser: error: npm is unavailable; it installs axe-core@$AXE_CORE_VERSION into $VENV/node" >&2
    exit 1
  fi
  echo "make browser: installing axe-core@$AXE_CORE_VERSION into $VENV/node (npm)" >&2
  npm install --silent --prefix "$VENV/node" --no-audit --no-fund --no-package-lock \
    "axe-core@$AXE_CORE_VERSION" >/dev/null
fi
