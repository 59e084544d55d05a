#!/usr/bin/env bash
# vendor-echarts.sh — vendor the ECharts browser bundle into web/static/vendor/
# so the app serves it from its own binary (no CDN).
#
# Pinned version: echarts 6.1.0 (npm package "echarts", Apache-2.0).
#
# What it does (default mode):
#   1. `npm pack echarts@$ECHARTS_VERSION` in a temp dir (uses npm's configured registry),
#   2. verifies the SHA-256 of the downloaded .tgz against TGZ_SHA256,
#   3. extracts package/dist/echarts.min.js, package/LICENSE (and package/NOTICE
#      if present) into web/static/vendor/ as echarts.min.js, echarts.LICENSE,
#      echarts.NOTICE, plus package/licenses/LICENSE-d3 as echarts.LICENSE-d3,
#   4. verifies the SHA-256 of the extracted echarts.min.js against MINJS_SHA256.
#
# Usage:
#   scripts/vendor-echarts.sh                  # fetch, verify, (re)write vendored files
#   scripts/vendor-echarts.sh --check          # offline: verify committed echarts.min.js
#                                              # matches MINJS_SHA256; non-zero exit if not
#   scripts/vendor-echarts.sh --update-hashes  # fetch, re-pin both hashes in this script,
#                                              # then vendor (use after a version bump)
#
# Upgrading:
#   1. Change ECHARTS_VERSION below.
#   2. Run `scripts/vendor-echarts.sh --update-hashes` (rewrites TGZ_SHA256 and
#      MINJS_SHA256 in this file), or compute them by hand with `npm pack` +
#      `sha256sum` and edit the two lines below, then run the script normally.
#   3. Check the LICENSE/NOTICE diff and update web/static/vendor/README.md.
#
# Works from any current directory.
set -euo pipefail

ECHARTS_VERSION="6.1.0"
TGZ_SHA256="681aff88cc1038c3fa941a3a53d1b177a52250b05335efc607d6105ae13be481"
MINJS_SHA256="b66b25aeb4df84e33199dc21694014d336d222cbd9deb0e5a7c14bd6aa0d0fd0"

SCRIPT_PATH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
REPO_ROOT="$(cd "$(dirname "$SCRIPT_PATH")/.." && pwd)"
cd "$REPO_ROOT"

VENDOR_DIR="web/static/vendor"
MINJS="$VENDOR_DIR/echarts.min.js"

die() { echo "vendor-echarts: ERROR: $*" >&2; exit 1; }

sha256() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum "$1" | awk '{print $1}'
	elif command -v shasum >/dev/null 2>&1; then
		shasum -a 256 "$1" | awk '{print $1}'
	else
		die "need sha256sum or shasum"
	fi
}

mode="vendor"
case "${1:-}" in
	"") ;;
	--check) mode="check" ;;
	--update-hashes) mode="update" ;;
	-h|--help) sed -n '2,/^set -euo/p' "$SCRIPT_PATH" | sed '$d'; exit 0 ;;
	*) die "unknown argument: $1 (use --check, --update-hashes or no argument)" ;;
esac
[[ $# -le 1 ]] || die "too many arguments"

if [[ "$mode" == "check" ]]; then
	[[ -f "$MINJS" ]] || die "$MINJS is missing; run scripts/vendor-echarts.sh"
	got="$(sha256 "$MINJS")"
	if [[ "$got" != "$MINJS_SHA256" ]]; then
		die "$MINJS does not match pinned echarts $ECHARTS_VERSION
  expected sha256: $MINJS_SHA256
  actual sha256:   $got
  Re-run scripts/vendor-echarts.sh to restore it (or update the pin deliberately)."
	fi
	echo "vendor-echarts: OK: $MINJS matches echarts $ECHARTS_VERSION (sha256 $got)"
	exit 0
fi

command -v npm >/dev/null 2>&1 || die "npm not found in PATH"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "vendor-echarts: fetching echarts@$ECHARTS_VERSION with npm pack ..."
(cd "$tmp" && npm pack "echarts@$ECHARTS_VERSION" --silent >/dev/null)
tgz="$tmp/echarts-$ECHARTS_VERSION.tgz"
[[ -f "$tgz" ]] || die "npm pack did not produce $(basename "$tgz")"

tgz_got="$(sha256 "$tgz")"
mkdir -p "$tmp/x"
tar -xzf "$tgz" -C "$tmp/x" package/dist/echarts.min.js package/LICENSE
tar -xzf "$tgz" -C "$tmp/x" package/NOTICE 2>/dev/null || true
# ECharts bundles parts of d3 under BSD-3-Clause; ship that licence too.
tar -xzf "$tgz" -C "$tmp/x" package/licenses/LICENSE-d3
minjs_got="$(sha256 "$tmp/x/package/dist/echarts.min.js")"

if [[ "$mode" == "update" ]]; then
	sed -i.bak \
		-e "s/^TGZ_SHA256=\"[0-9a-f]*\"/TGZ_SHA256=\"$tgz_got\"/" \
		-e "s/^MINJS_SHA256=\"[0-9a-f]*\"/MINJS_SHA256=\"$minjs_got\"/" \
		"$SCRIPT_PATH"
	rm -f "$SCRIPT_PATH.bak"
	echo "vendor-echarts: pinned TGZ_SHA256=$tgz_got"
	echo "vendor-echarts: pinned MINJS_SHA256=$minjs_got"
	TGZ_SHA256="$tgz_got"
	MINJS_SHA256="$minjs_got"
fi

[[ "$tgz_got" == "$TGZ_SHA256" ]] || die "tarball sha256 mismatch for echarts@$ECHARTS_VERSION
  expected: $TGZ_SHA256
  actual:   $tgz_got"
[[ "$minjs_got" == "$MINJS_SHA256" ]] || die "echarts.min.js sha256 mismatch for echarts@$ECHARTS_VERSION
  expected: $MINJS_SHA256
  actual:   $minjs_got"

mkdir -p "$VENDOR_DIR"
install -m 0644 "$tmp/x/package/dist/echarts.min.js" "$MINJS"
install -m 0644 "$tmp/x/package/LICENSE" "$VENDOR_DIR/echarts.LICENSE"
install -m 0644 "$tmp/x/package/licenses/LICENSE-d3" "$VENDOR_DIR/echarts.LICENSE-d3"
if [[ -f "$tmp/x/package/NOTICE" ]]; then
	install -m 0644 "$tmp/x/package/NOTICE" "$VENDOR_DIR/echarts.NOTICE"
else
	rm -f "$VENDOR_DIR/echarts.NOTICE"
fi

# Final verification of what actually landed in the tree.
[[ "$(sha256 "$MINJS")" == "$MINJS_SHA256" ]] || die "written $MINJS does not match pinned hash"
echo "vendor-echarts: vendored echarts $ECHARTS_VERSION into $VENDOR_DIR/ (tgz sha256 $TGZ_SHA256, min.js sha256 $MINJS_SHA256)"
