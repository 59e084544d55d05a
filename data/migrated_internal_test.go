package data

import (
	"testing"

	"lederradar/internal/testdb"
)

// migrated is a new database with every migration applied: a copy opens
// faster than a new file migrates under the race detector. Tests of the
// migrations themselves and of opening new files open their own.
var migrated testdb.Template[struct{}]

// openMigrated opens a copy of a migrated database with opt in the test's
// temporary directory and closes it when the test ends.
func openMigrated(t *testing.T, name string, opt Options) *DB {
	t.Helper()
	path, _ := migrated.Copy(t, name, func(path string) (struct{}, error) {
		d, err := Open(path)
		if err != nil {
			return struct{}{}, err
		}
		return struct{}{}, d.Close()
	})
	d, err := OpenWithOptions(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}
