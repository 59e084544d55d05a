#!/usr/bin/env bash
# measure.sh — take every figure of docs/performance.md again.
#
# Usage:
#   scripts/measure.sh            # figures 1 to 5 (about 45 minutes on 2 cores)
#   scripts/measure.sh 2 4        # only the figures named
#
# Each figure's output goes to $OUT/figN*.txt (default: measure-out in the
# temporary directory), beside machine.txt (CPU, memory, load average before
# and after each figure). Measure on a quiet machine: the benchmarks and
# the load generator share the two cores with whatever else runs, and the
# load average is written down so that a noisy run shows as one.
#
# Binaries and the generated organisations (10,000 and 100,000 people,
# `lrload gen`, the benchmarks' seed, 360 rounds with five raters per
# leader) are kept in $WORK (default: lederradar-measure in the temporary
# directory) and made only when missing; servers always run on a copy.
# Figure 3's sizes are $FIG3_PEOPLE (default 1000,10000,100000), and of
# its closes $FIG3_CLOSE_PEOPLE (default 10000,100000). The benchmarks
# keep their own organisations in $LEDERRADAR_BENCH_DIR (internal/orggen),
# made again when orggen.Version changes. Benchmarks are
# found by name wherever they live, so the script survives a benchmark
# moving to another package.
#
# Needs: go, curl. Talks to 127.0.0.1:$PORT (default 18473) only.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
TMP="${TMPDIR:-/tmp}"
WORK="${WORK:-$TMP/lederradar-measure}"
OUT="${OUT:-$TMP/measure-out}"
PORT="${PORT:-18473}"
URL="http://127.0.0.1:$PORT"
mkdir -p "$WORK" "$OUT"

die() { echo "measure: $*" >&2; exit 1; }
note() { echo "== $*" | tee -a "$OUT/machine.txt"; }
load() { note "$1: load average $(cut -d' ' -f1-3 /proc/loadavg)"; }

# pkgs NAME... prints the packages that hold benchmarks of those names.
pkgs() {
	local re
	re="^func ($(IFS='|'; echo "$*"))\(b \*testing\.B\)"
	grep -rlE "$re" --include='*_test.go' . | xargs -r -n1 dirname | sort -u
}

# bench 'REGEX' NAME... runs the benchmarks matching REGEX in the packages
# that define NAME..., one package at a time; extra go test flags follow --.
bench() {
	local re=$1; shift
	local names=() flags=()
	while (($#)); do
		if [[ $1 == -- ]]; then shift; flags=("$@"); break; fi
		names+=("$1"); shift
	done
	local p
	p=$(pkgs "${names[@]}")
	[[ -n $p ]] || die "no package defines ${names[*]}"
	# shellcheck disable=SC2086 # one word per package
	go test -p 1 -run '^$' -bench "$re" "${flags[@]}" $p
}

build() {
	go build -o "$WORK/lederradar" ./cmd/lederradar
	go build -o "$WORK/lrload" ./cmd/lrload
}

# org N makes $WORK/N.db and its leaders' and raters' links unless they
# are there.
org() {
	[[ -f $WORK/$1.db && -f $WORK/$1.db.links && -f $WORK/$1.db.rater-links ]] && return
	rm -f "$WORK/$1.db"*
	"$WORK/lrload" gen --db "$WORK/$1.db" --people "$1"
}

# serve N starts the server on a fresh copy of N.db; stop ends it.
SERVER=
serve() {
	rm -f "$WORK/serve.db"*
	cp "$WORK/$1.db" "$WORK/serve.db"
	cp "$WORK/$1.db.links" "$WORK/serve.db.links"
	"$WORK/lederradar" serve --addr "127.0.0.1:$PORT" --db "$WORK/serve.db" --log-level warn &
	SERVER=$!
	for _ in $(seq 300); do
		curl -fs "$URL/healthz" >/dev/null && return
		sleep 0.1
	done
	die "the server did not answer on $URL"
}
stop() {
	[[ -n $SERVER ]] || return 0
	kill "$SERVER" && wait "$SERVER" || true
	SERVER=
	rm -f "$WORK/serve.db"*
}
trap stop EXIT

fig1() {
	org 10000
	for _ in 1 2 3 4 5 6; do
		bench 'RawWrites|DataWrites|WritesHTTP' BenchmarkRawWrites BenchmarkDataWrites BenchmarkWritesHTTP -- -count 1
	done | tee "$OUT/fig1-bench.txt"
	serve 10000
	"$WORK/lrload" writes --target "$URL" --links "$WORK/serve.db.links" --clients 8,64 --writes 3000 | tee "$OUT/fig1-lrload.txt"
	stop
}

fig2() {
	org 10000
	"$WORK/lrload" open --bin "$WORK/lederradar" --db "$WORK/10000.db" --rates 100,300,1000 --search | tee "$OUT/fig2.txt"
}

fig3() {
	LEDERRADAR_BENCH_PEOPLE=${FIG3_PEOPLE:-1000,10000,100000} bench 'BenchmarkHR|BenchmarkReportBuild' BenchmarkHR BenchmarkReportBuild \
		-- -benchtime 5x -count 3 -timeout 60m | tee "$OUT/fig3.txt"
	LEDERRADAR_BENCH_PEOPLE=${FIG3_CLOSE_PEOPLE:-10000,100000} bench 'BenchmarkKeepingReports' BenchmarkKeepingReports \
		-- -benchtime 3x -count 2 -timeout 30m | tee "$OUT/fig3-close.txt"
}

fig4() {
	org 10000
	serve 10000
	"$WORK/lrload" wire --target "$URL" --links "$WORK/serve.db.links" | tee "$OUT/fig4.txt"
	stop
}

fig5() {
	org 100000
	serve 100000
	"$WORK/lrload" run --target "$URL" --links "$WORK/serve.db.links" --hr-password orggen-hr-password \
		--leaders 8 --hr 2 --duration 60s --requests 100000 --pid "$SERVER" | tee "$OUT/fig5-run.txt"
	stop
	"$WORK/lrload" startup --bin "$WORK/lederradar" --db "$WORK/100000.db" --runs 10 | tee "$OUT/fig5-startup.txt"
}

figures=("$@")
((${#figures[@]})) || figures=(1 2 3 4 5)
for f in "${figures[@]}"; do
	[[ $f =~ ^[1-5]$ ]] || die "no figure $f (1 to 5)"
done
build
{
	date -u +"%Y-%m-%d %H:%M UTC"
	grep -m1 'model name' /proc/cpuinfo || true
	echo "cores: $(nproc)"
	grep MemTotal /proc/meminfo || true
	go version
	git log -1 --format='commit %h %s'
} >>"$OUT/machine.txt"
for f in "${figures[@]}"; do
	load "figure $f, before"
	"fig$f"
	load "figure $f, after"
done
echo "results in $OUT"
