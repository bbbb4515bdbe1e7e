#!/usr/bin/env bash
# Installs libchdb.so (the ClickHouse engine as a library, loaded by chdb-go)
# into a cache folder outside the repository and prints its path.
#
# Order of sources: an existing file at $CHDB_LIB_PATH, the cache, the npm
# registry (package @chdb/lib-linux-x64-gnu), then chDB's release archive.
# Usage: deploy/setup-chdb.sh   (prints the library path on stdout)
set -euo pipefail

version="${CHDB_NPM_VERSION:-26.7.3-stable.1}"
cache="${SCALORA_CACHE:-$HOME/.cache/scalora}/chdb/$version"
lib="$cache/libchdb.so"

if [[ -n "${CHDB_LIB_PATH:-}" && -f "${CHDB_LIB_PATH}" ]]; then
  echo "$CHDB_LIB_PATH"
  exit 0
fi
if [[ -f "$lib" ]]; then
  echo "$lib"
  exit 0
fi

mkdir -p "$cache"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if command -v npm >/dev/null 2>&1 &&
   (cd "$tmp" && npm pack --silent "@chdb/lib-linux-x64-gnu@$version" >&2); then
  tar -xzf "$tmp"/chdb-lib-linux-x64-gnu-*.tgz -C "$tmp"
  mv "$tmp/package/libchdb.so" "$lib.part"
else
  echo "npm unavailable or refused; trying chDB's release archive" >&2
  url="https://github.com/chdb-io/chdb/releases/latest/download/linux-x86_64-libchdb.tar.gz"
  curl -fsSL "$url" | tar -xz -C "$tmp"
  mv "$tmp/libchdb.so" "$lib.part"
fi
mv "$lib.part" "$lib"
echo "$lib"
