//go:build !unix

package web

import "time"

// processCPU is not measured here.
func processCPU() time.Duration { return 0 }
