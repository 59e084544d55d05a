#!/usr/bin/env bash
# fetch-vnu.sh — install the pinned Nu HTML Checker (vnu.jar) for the HTML
# validity test (web/a11y_test.go) into a gitignored cache
# (.cache/vnu/vnu.jar, with its LICENSE). It runs with `java -jar vnu.jar`;
# Java 11 or later must be installed (.ci/run installs default-jre-headless
# when java is missing).
#
# Pinned version: vnu-jar 26.9.27 (npm package "vnu-jar", MIT).
# The package's .tgz and its vnu.jar are checked against the SHA-256 sums
# below (scripts/lib/npm-pinned.sh does the work).
#
# Usage:
#   scripts/fetch-vnu.sh            # install if missing; prints the jar's path
#   scripts/fetch-vnu.sh --path     # print where it goes, install nothing
#   scripts/fetch-vnu.sh --version  # print the pinned version
#
# Upgrading: change VERSION, then `npm pack vnu-jar@NEW` and `sha256sum`
# the .tgz and package/build/dist/vnu.jar, and put both hashes below; update
# the version named in web/locales/*.toml (accessibility statement).
#
# The cache directory can be moved with LEDERRADAR_CACHE (default: .cache in
# the repository). Works from any current directory.
set -euo pipefail

TOOL=fetch-vnu
PACKAGE=vnu-jar
VERSION="26.9.27"
TGZ_SHA256="5970d3ffca91a627cf0965e5d91bb2e4242307c29292998de0b419d6a901b2b7"
FILE=package/build/dist/vnu.jar
FILE_SHA256="22f15dd39a33bed929d2a5c0cddf5946849a647eca9272bf4d5d00bc7e7a4d47"
DEST_DIR=vnu

# shellcheck source=lib/npm-pinned.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/npm-pinned.sh"
pinned_main "$@"
