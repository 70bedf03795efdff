#!/usr/bin/env bash
# Ensure the Debian packages the reports need: fonts with full Vietnamese coverage (HTML/PDF text)
# and poppler-utils (pdftotext/pdfinfo in the PDF checks). Installs them when missing and running
# as root on Debian; otherwise names what to install and fails.
set -euo pipefail
packages=(fonts-noto-core fonts-noto-mono poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fc-cache -f >/dev/null 2>&1 || true
else
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
