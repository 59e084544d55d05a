// Package gcsettings holds the Go collector's settings of the Lederradar
// server: cmd/lederradar applies them at start, and the benchmarks that
// measure the server apply them too, so that they measure it as it runs.
package gcsettings

import "runtime/debug"

// MemoryLimit is the soft limit of the Go heap unless GOMEMLIMIT says
// otherwise. Building a large organisation's report allocates tens of
// megabytes that are garbage a moment later; without a limit the
// collector lets the heap grow to twice what is live, and the process
// holds on to that. With it the collector works harder near the limit
// instead (docs/performance.md, figure 5). It is soft: a larger
// organisation that needs more gets more, at some cost in collection.
const MemoryLimit = 100 << 20

// Percent is the collector's GOGC unless GOGC says otherwise: a cycle
// when the heap has grown by four times what is live, rather than by
// once. Every page allocates a few tens of kilobytes, so with the
// default the collector ran every few hundred requests and took a
// quarter of a page's CPU (docs/performance.md, figure 2). MemoryLimit
// still bounds the heap: near it the collector runs as often as needed.
const Percent = 400

// Apply sets Percent and MemoryLimit, each unless the environment (as
// lookup reads it) sets GOGC or GOMEMLIMIT, which the runtime has then
// applied already.
func Apply(lookup func(string) (string, bool)) {
	if _, ok := lookup("GOMEMLIMIT"); !ok {
		debug.SetMemoryLimit(MemoryLimit)
	}
	if _, ok := lookup("GOGC"); !ok {
		debug.SetGCPercent(Percent)
	}
}
