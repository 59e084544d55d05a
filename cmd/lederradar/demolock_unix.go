//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockDemo takes an exclusive lock beside the demo's database for as long
// as the demo runs, so that a second demo on the same file (on another
// address) fails instead of giving the running demo's leaders new links
// and its accounts new passwords. The lock goes with the process, so a
// demo that crashed leaves nothing to clean up.
func lockDemo(db string) (unlock func(), err error) {
	path := db + ".lock"
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600) // #nosec G304 -- beside --db, named by the operator
	if err != nil {
		return nil, fmt.Errorf("demo lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil { // #nosec G115 -- a file descriptor fits an int
		_ = f.Close() // the lock was not taken; nothing was written
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("a demo is already running on %s; its links and log-ins stay valid. "+
				"Stop it first, or start another with --db and a new file", db)
		}
		return nil, fmt.Errorf("demo lock: %w", err)
	}
	return func() { _ = f.Close() }, nil // closing releases the lock
}
