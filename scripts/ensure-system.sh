#!/usr/bin/env bash
# Install the Debian packages mrtext needs, only when some are missing (idempotent, quick on re-run).
set -euo pipefail
PKGS=(tesseract-ocr tesseract-ocr-swe tesseract-ocr-eng hunspell-sv-se wswedish poppler-utils
      fonts-dejavu-core fonts-liberation2 fonts-freefont-ttf)
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then PKGS+=(python3-venv); fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "mrtext: installing Debian packages: ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "mrtext: need root (or sudo) to install: ${missing[*]}" >&2; exit 4; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
