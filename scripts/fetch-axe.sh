#!/usr/bin/env bash
# fetch-axe.sh — install the pinned axe-core accessibility engine for the
# browser accessibility suite (web/a11y_test.go) into a gitignored cache
# (.cache/axe-core/axe.min.js, with its LICENSE).
#
# Pinned version: axe-core 4.14.1 (npm package "axe-core", MPL-2.0).
# The package's .tgz and its axe.min.js are checked against the SHA-256
# sums below (scripts/lib/npm-pinned.sh does the work).
#
# Usage:
#   scripts/fetch-axe.sh            # install if missing; prints the file's path
#   scripts/fetch-axe.sh --path     # print where it goes, install nothing
#   scripts/fetch-axe.sh --version  # print the pinned version
#
# Upgrading: change VERSION, then `npm pack axe-core@NEW` and `sha256sum`
# the .tgz and package/axe.min.js, and put both hashes below. The version is
# named in the accessibility statement: update web/locales/*.toml too (the
# test TestAccessibilityStatementNamesTools checks that they agree).
#
# The cache directory can be moved with LEDERRADAR_CACHE (default: .cache in
# the repository). Works from any current directory.
set -euo pipefail

TOOL=fetch-axe
PACKAGE=axe-core
VERSION="4.14.1"
TGZ_SHA256="e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745"
FILE=package/axe.min.js
FILE_SHA256="29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
DEST_DIR=axe-core

# shellcheck source=lib/npm-pinned.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/npm-pinned.sh"
pinned_main "$@"
