#!/usr/bin/env bash
# fetch-axe.sh — install the pinned axe-core accessibility engine for the
# browser accessibility suite (web/a11y_test.go) into a gitignored cache.
#
# Pinned version: axe-core 4.14.1 (npm package "axe-core", MPL-2.0).
#
# What it does:
#   1. if .cache/axe-core/axe.min.js already exists with the pinned SHA-256,
#      nothing (works offline);
#   2. otherwise `npm pack axe-core@$AXE_VERSION` in a temp dir (npm's
#      configured registry), checks the SHA-256 of the .tgz against TGZ_SHA256,
#      extracts package/axe.min.js and package/LICENSE, checks the SHA-256 of
#      axe.min.js against MINJS_SHA256 and installs both into .cache/axe-core/.
#
# Usage:
#   scripts/fetch-axe.sh          # install if missing; prints the file's path
#   scripts/fetch-axe.sh --path   # print where it goes, install nothing
#
# Upgrading: change AXE_VERSION, then `npm pack axe-core@NEW` and `sha256sum`
# the .tgz and package/axe.min.js, and put both hashes below. The version is
# named in the accessibility statement: update web/locales/*.toml too (the
# test TestAccessibilityStatementNamesTools checks that they agree).
#
# The cache directory can be moved with LEDERRADAR_CACHE (default: .cache in
# the repository). Works from any current directory.
set -euo pipefail

AXE_VERSION="4.14.1"
TGZ_SHA256="e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745"
MINJS_SHA256="29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${LEDERRADAR_CACHE:-$REPO_ROOT/.cache}"
DEST="$CACHE/axe-core"
MINJS="$DEST/axe.min.js"

die() { echo "fetch-axe: ERROR: $*" >&2; exit 1; }
sha256() { sha256sum "$1" | awk '{print $1}'; }

case "${1:-}" in
	"") ;;
	--path) echo "$MINJS"; exit 0 ;;
	--version) echo "$AXE_VERSION"; exit 0 ;;
	-h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d'; exit 0 ;;
	*) die "unknown argument: $1" ;;
esac

if [[ -f "$MINJS" && "$(sha256 "$MINJS")" == "$MINJS_SHA256" ]]; then
	echo "$MINJS"
	exit 0
fi

command -v npm >/dev/null 2>&1 || die "npm not found in PATH (apt-get install npm)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "fetch-axe: fetching axe-core@$AXE_VERSION with npm pack ..." >&2
(cd "$tmp" && npm pack "axe-core@$AXE_VERSION" --silent >/dev/null)
tgz="$tmp/axe-core-$AXE_VERSION.tgz"
[[ -f "$tgz" ]] || die "npm pack did not produce $(basename "$tgz")"
got="$(sha256 "$tgz")"
[[ "$got" == "$TGZ_SHA256" ]] || die "axe-core@$AXE_VERSION tarball sha256 mismatch
  expected: $TGZ_SHA256
  actual:   $got"
mkdir -p "$tmp/x"
tar -xzf "$tgz" -C "$tmp/x" package/axe.min.js package/LICENSE
got="$(sha256 "$tmp/x/package/axe.min.js")"
[[ "$got" == "$MINJS_SHA256" ]] || die "axe.min.js sha256 mismatch
  expected: $MINJS_SHA256
  actual:   $got"
mkdir -p "$DEST"
install -m 0644 "$tmp/x/package/LICENSE" "$DEST/LICENSE"
install -m 0644 "$tmp/x/package/axe.min.js" "$MINJS.tmp"
mv "$MINJS.tmp" "$MINJS"
echo "fetch-axe: installed axe-core $AXE_VERSION (sha256 $MINJS_SHA256)" >&2
echo "$MINJS"
