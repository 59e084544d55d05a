package testdb_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"lederradar/internal/testdb"
)

// TestCopy: the build runs once however many tests ask at once; each gets
// a file of its own with the build's content and value, the write-ahead
// log included when the build left one.
func TestCopy(t *testing.T) {
	var tmpl testdb.Template[int]
	var mu sync.Mutex
	builds := 0
	build := func(path string) (int, error) {
		mu.Lock()
		builds++
		mu.Unlock()
		if err := os.WriteFile(path, []byte("database"), 0o600); err != nil {
			return 0, err
		}
		return 42, os.WriteFile(path+"-wal", []byte("log"), 0o600)
	}
	paths := make([]string, 8)
	var wg sync.WaitGroup
	for i := range paths {
		wg.Go(func() {
			path, v := tmpl.Copy(t, "x.db", build)
			if v != 42 {
				t.Errorf("value = %d, want 42", v)
			}
			paths[i] = path
		})
	}
	wg.Wait()
	if builds != 1 {
		t.Errorf("built %d times, want once", builds)
	}
	seen := map[string]bool{}
	for _, p := range paths {
		if seen[p] {
			t.Errorf("two tests got %s", p)
		}
		seen[p] = true
		if filepath.Base(p) != "x.db" {
			t.Errorf("copy named %s, want x.db", filepath.Base(p))
		}
		for suffix, want := range map[string]string{"": "database", "-wal": "log"} {
			got, err := os.ReadFile(p + suffix)
			if err != nil || string(got) != want {
				t.Errorf("%s%s = %q, %v; want %q", p, suffix, got, err, want)
			}
			if fi, err := os.Stat(p + suffix); err == nil && fi.Mode().Perm() != 0o600 {
				t.Errorf("%s%s has mode %v, want 0600", p, suffix, fi.Mode().Perm())
			}
		}
	}
	// A change to one copy leaves the template alone.
	if err := os.WriteFile(paths[0], []byte("changed"), 0o600); err != nil {
		t.Fatal(err)
	}
	if p, _ := tmpl.Copy(t, "x.db", build); mustRead(t, p) != "database" {
		t.Error("a copy's change reached the template")
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
