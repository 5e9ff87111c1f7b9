#!/usr/bin/env bash
# Installs everything cliprt needs to build and test, from Debian packages.
# Idempotent and quiet: packages already present are left as they are.
# Usage: tools/install-deps.sh            (as root, or with sudo available)
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libeigen3-dev            # Eigen 3.4 (benchmark baseline, reference GEMM in tests)
  libstb-dev               # stb_image (PNG, BMP, GIF, TGA, PSD, HDR, PNM)
  libsentencepiece-dev     # SigLIP tokenizers
  zlib1g-dev               # gzip'd BPE vocabularies
  libssl-dev               # libcrypto: SHA-256 checkpoint identity
  libjpeg62-turbo-dev      # JPEG decoding identical to Pillow's
  libgtest-dev libgmock-dev
  libbenchmark-dev
  python3                  # ctypes test of the C ABI
  python3-numpy            # the ctypes test compares with the fixtures' .npy arrays
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
