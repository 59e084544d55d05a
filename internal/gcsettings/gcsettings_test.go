package gcsettings

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestApply checks that the settings apply unless the environment has its
// own, which then stay as the runtime set them.
func TestApply(t *testing.T) {
	percent := debug.SetGCPercent(100)
	limit := debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	})
	for _, c := range []struct {
		name             string
		env              map[string]string
		percent, wantMem int64
	}{
		{"no environment", nil, Percent, MemoryLimit},
		{"GOGC set", map[string]string{"GOGC": "50"}, 100, MemoryLimit},
		{"GOMEMLIMIT set", map[string]string{"GOMEMLIMIT": "1GiB"}, Percent, math.MaxInt64},
	} {
		t.Run(c.name, func(t *testing.T) {
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(math.MaxInt64)
			Apply(func(k string) (string, bool) { v, ok := c.env[k]; return v, ok })
			if got := debug.SetGCPercent(100); int64(got) != c.percent {
				t.Errorf("GC percent %d, want %d", got, c.percent)
			}
			if got := debug.SetMemoryLimit(-1); got != c.wantMem {
				t.Errorf("memory limit %d, want %d", got, c.wantMem)
			}
		})
	}
}
