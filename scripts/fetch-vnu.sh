#!/usr/bin/env bash
# fetch-vnu.sh — install the pinned Nu HTML Checker (vnu.jar) for the HTML
# validity test (web/a11y_test.go) into a gitignored cache. It runs with
# `java -jar vnu.jar`; Java 11 or later must be installed (.ci/run installs
# default-jre-headless when java is missing).
#
# Pinned version: vnu-jar 26.9.27 (npm package "vnu-jar", MIT).
#
# What it does:
#   1. if .cache/vnu/vnu.jar already exists with the pinned SHA-256, nothing
#      (works offline);
#   2. otherwise `npm pack vnu-jar@$VNU_VERSION` in a temp dir (npm's
#      configured registry; no install scripts run), checks the SHA-256 of the
#      .tgz against TGZ_SHA256, extracts package/build/dist/vnu.jar and
#      package/LICENSE, checks the jar's SHA-256 against JAR_SHA256 and
#      installs both into .cache/vnu/.
#
# Usage:
#   scripts/fetch-vnu.sh          # install if missing; prints the jar's path
#   scripts/fetch-vnu.sh --path   # print where it goes, install nothing
#
# Upgrading: change VNU_VERSION, then `npm pack vnu-jar@NEW` and `sha256sum`
# the .tgz and package/build/dist/vnu.jar, and put both hashes below; update
# the version named in web/locales/*.toml (accessibility statement).
#
# The cache directory can be moved with LEDERRADAR_CACHE (default: .cache in
# the repository). Works from any current directory.
set -euo pipefail

VNU_VERSION="26.9.27"
TGZ_SHA256="5970d3ffca91a627cf0965e5d91bb2e4242307c29292998de0b419d6a901b2b7"
JAR_SHA256="22f15dd39a33bed929d2a5c0cddf5946849a647eca9272bf4d5d00bc7e7a4d47"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${LEDERRADAR_CACHE:-$REPO_ROOT/.cache}"
DEST="$CACHE/vnu"
JAR="$DEST/vnu.jar"

die() { echo "fetch-vnu: ERROR: $*" >&2; exit 1; }
sha256() { sha256sum "$1" | awk '{print $1}'; }

case "${1:-}" in
	"") ;;
	--path) echo "$JAR"; exit 0 ;;
	--version) echo "$VNU_VERSION"; exit 0 ;;
	-h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d'; exit 0 ;;
	*) die "unknown argument: $1" ;;
esac

if [[ -f "$JAR" && "$(sha256 "$JAR")" == "$JAR_SHA256" ]]; then
	echo "$JAR"
	exit 0
fi

command -v npm >/dev/null 2>&1 || die "npm not found in PATH (apt-get install npm)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "fetch-vnu: fetching vnu-jar@$VNU_VERSION with npm pack ..." >&2
(cd "$tmp" && npm pack "vnu-jar@$VNU_VERSION" --silent >/dev/null)
tgz="$tmp/vnu-jar-$VNU_VERSION.tgz"
[[ -f "$tgz" ]] || die "npm pack did not produce $(basename "$tgz")"
got="$(sha256 "$tgz")"
[[ "$got" == "$TGZ_SHA256" ]] || die "vnu-jar@$VNU_VERSION tarball sha256 mismatch
  expected: $TGZ_SHA256
  actual:   $got"
mkdir -p "$tmp/x"
tar -xzf "$tgz" -C "$tmp/x" package/build/dist/vnu.jar package/LICENSE
got="$(sha256 "$tmp/x/package/build/dist/vnu.jar")"
[[ "$got" == "$JAR_SHA256" ]] || die "vnu.jar sha256 mismatch
  expected: $JAR_SHA256
  actual:   $got"
mkdir -p "$DEST"
install -m 0644 "$tmp/x/package/LICENSE" "$DEST/LICENSE"
install -m 0644 "$tmp/x/package/build/dist/vnu.jar" "$JAR.tmp"
mv "$JAR.tmp" "$JAR"
echo "fetch-vnu: installed vnu-jar $VNU_VERSION (sha256 $JAR_SHA256)" >&2
echo "$JAR"
