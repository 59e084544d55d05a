# npm-pinned.sh — the shared part of scripts/fetch-axe.sh and
# scripts/fetch-vnu.sh: install one file of a pinned npm package, with its
# LICENSE, into a gitignored cache, checking the SHA-256 of the package and
# of the file. It is sourced, not run; the sourcing script sets:
#
#   TOOL          short name for messages (fetch-axe)
#   PACKAGE       npm package name (axe-core)
#   VERSION       pinned version
#   TGZ_SHA256    SHA-256 of the package's .tgz as `npm pack` gives it
#   FILE          the file's path inside the package (package/axe.min.js)
#   FILE_SHA256   SHA-256 of that file
#   DEST_DIR      directory under the cache (axe-core)
#
# and calls `pinned_main "$@"`:
#   (no argument)  install if missing or changed; print the file's path
#   --path         print where the file goes, install nothing
#   --version      print the pinned version
#   -h, --help     print the sourcing script's header
#
# If the file is already in the cache with the pinned SHA-256 nothing is
# fetched (works offline). Otherwise `npm pack PACKAGE@VERSION` runs in a
# temporary directory against npm's configured registry (no install
# scripts run). The cache directory can be moved with LEDERRADAR_CACHE
# (default: .cache in the repository).

pinned_main() {
	local repo_root cache dest target
	repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
	cache="${LEDERRADAR_CACHE:-$repo_root/.cache}"
	dest="$cache/$DEST_DIR"
	target="$dest/$(basename "$FILE")"

	case "${1:-}" in
		"") ;;
		--path) echo "$target"; return 0 ;;
		--version) echo "$VERSION"; return 0 ;;
		-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; return 0 ;;
		*) pinned_die "unknown argument: $1" ;;
	esac

	if [[ -f "$target" && "$(pinned_sha256 "$target")" == "$FILE_SHA256" ]]; then
		echo "$target"
		return 0
	fi

	command -v npm >/dev/null 2>&1 || pinned_die "npm not found in PATH (apt-get install npm)"
	local tmp tgz got
	tmp="$(mktemp -d)"
	# shellcheck disable=SC2064 # expand now: tmp is local
	trap "rm -rf '$tmp'" EXIT
	echo "$TOOL: fetching $PACKAGE@$VERSION with npm pack ..." >&2
	(cd "$tmp" && npm pack "$PACKAGE@$VERSION" --silent >/dev/null)
	tgz="$tmp/$PACKAGE-$VERSION.tgz"
	[[ -f "$tgz" ]] || pinned_die "npm pack did not produce $(basename "$tgz")"
	got="$(pinned_sha256 "$tgz")"
	[[ "$got" == "$TGZ_SHA256" ]] || pinned_die "$PACKAGE@$VERSION tarball sha256 mismatch
  expected: $TGZ_SHA256
  actual:   $got"
	mkdir -p "$tmp/x"
	tar -xzf "$tgz" -C "$tmp/x" "$FILE" package/LICENSE
	got="$(pinned_sha256 "$tmp/x/$FILE")"
	[[ "$got" == "$FILE_SHA256" ]] || pinned_die "$(basename "$FILE") sha256 mismatch
  expected: $FILE_SHA256
  actual:   $got"
	mkdir -p "$dest"
	install -m 0644 "$tmp/x/package/LICENSE" "$dest/LICENSE"
	install -m 0644 "$tmp/x/$FILE" "$target.tmp"
	mv "$target.tmp" "$target"
	echo "$TOOL: installed $PACKAGE $VERSION (sha256 $FILE_SHA256)" >&2
	echo "$target"
}

pinned_die() { echo "$TOOL: ERROR: $*" >&2; exit 1; }
pinned_sha256() { sha256sum "$1" | awk '{print $1}'; }
