#!/usr/bin/env bash
# Debian's Chromium and ChromeDriver for the browser tests (tests/web/test_browser.py).
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then exit 0; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium chromium-driver >/dev/null
