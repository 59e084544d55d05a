// Package testdb builds a test database once per test binary and gives
// each test a copy of its file. Under the race detector, migrating a new
// SQLite database or seeding an organisation into it costs far more than
// copying the file it ends up as, and the suites make hundreds.
package testdb

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// Template is a database built once, by the first test that asks for a
// copy, and kept in memory as the files it consists of. T is what the
// build returns beside the file (links, log-ins, …); every copy gets the
// same value, so a test must not change what it points to.
type Template[T any] struct {
	once  sync.Once
	files map[string][]byte // by suffix of the database's name: "", "-wal"
	value T
	err   error
}

// Copy writes a copy of the template, named name, into a new temporary
// directory of tb's and returns its path and the build's value. build
// makes the database at path and closes it; it runs once, for whichever
// test calls first, and its error fails every test that asks.
func (tp *Template[T]) Copy(tb testing.TB, name string, build func(path string) (T, error)) (string, T) {
	tb.Helper()
	tp.once.Do(func() { tp.files, tp.value, tp.err = buildFiles(name, build) })
	if tp.err != nil {
		tb.Fatalf("testdb: unable to build %s: %v", name, tp.err)
	}
	path := filepath.Join(tb.TempDir(), name)
	for suffix, b := range tp.files {
		if err := os.WriteFile(path+suffix, b, 0o600); err != nil {
			tb.Fatalf("testdb: unable to copy %s: %v", name, err)
		}
	}
	return path, tp.value
}

// buildFiles runs build in a directory of its own and reads the files it
// leaves: the database and, had it not been checkpointed on close, its
// write-ahead log. The shared-memory index SQLite rebuilds by itself.
func buildFiles[T any](name string, build func(path string) (T, error)) (map[string][]byte, T, error) {
	var zero T
	dir, err := os.MkdirTemp("", "testdb-")
	if err != nil {
		return nil, zero, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, name)
	value, err := build(path)
	if err != nil {
		return nil, zero, err
	}
	files := map[string][]byte{}
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(path + suffix) // #nosec G304 -- a file this function's build just made
		if suffix != "" && errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, zero, err
		}
		files[suffix] = b
	}
	return files, value, nil
}
