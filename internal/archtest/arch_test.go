package archtest

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// rank places every package of the module in the architecture drawn in
// the README: a package may import only packages of a lower rank. A new
// package must be placed here (and in the README) before its tests pass.
var rank = map[string]int{
	"lederradar/survey":              0,
	"lederradar/internal/gcsettings": 0,
	"lederradar/internal/crashtest":  0,
	"lederradar/internal/archtest":   0,
	"lederradar/internal/testdb":     0,
	"lederradar/internal/mailtest":   0,
	"lederradar/internal/ssotest":    0,
	"lederradar/scoring":             1,
	"lederradar/internal/auth":       1,
	"lederradar/internal/csvfile":    1,
	"lederradar/internal/sso":        1,
	"lederradar/internal/links":      2,
	"lederradar/data":                3,
	"lederradar/internal/orggen":     4,
	"lederradar/internal/mail":       4,
	"lederradar/web":                 5,
	"lederradar/cmd/lederradar":      6,
	"lederradar/cmd/lrload":          6,
}

// only names imports that one package alone (or none) may have: storage
// in data, HTTP and charts in web.
var only = map[string][]string{
	"database/sql":                        {"lederradar/data"},
	"modernc.org/sqlite":                  {"lederradar/data"},
	"github.com/gin-gonic/gin":            {"lederradar/web"},
	"github.com/go-echarts/go-echarts/v2": {"lederradar/web"},
	"github.com/wneessen/go-mail":         {"lederradar/internal/mail"},
	"github.com/coreos/go-oidc/v3/oidc":   {"lederradar/internal/sso"},
}

// pure lists what the domain and the scoring rules never import: they do
// no I/O, keep no clock and need no context.
var pure = map[string][]string{
	"lederradar/survey":  {"os", "io/fs", "net", "net/http", "context", "database/sql", "log", "log/slog"},
	"lederradar/scoring": {"os", "io", "io/fs", "net", "net/http", "context", "database/sql", "log", "log/slog", "time"},
}

type pkg struct {
	path    string
	imports []string
}

// packages lists the module's packages with the imports of their code.
// Tests are left out: an external test package stands above its package
// and may use anything (a test of data may generate an organisation).
func packages(t *testing.T) []pkg {
	t.Helper()
	out, err := exec.Command("go", "list", "-f",
		`{{.ImportPath}} {{join .Imports " "}}`,
		"lederradar/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	for line := range strings.Lines(string(out)) {
		f := strings.Fields(line)
		if len(f) > 0 {
			pkgs = append(pkgs, pkg{f[0], f[1:]})
		}
	}
	if len(pkgs) < len(rank)/2 {
		t.Fatalf("go list found %d packages, want about %d", len(pkgs), len(rank))
	}
	return pkgs
}

func TestImportsPointDown(t *testing.T) {
	for _, p := range packages(t) {
		r, ok := rank[p.path]
		if !ok {
			t.Errorf("%s is not placed in the architecture: add it to rank and to the README", p.path)
			continue
		}
		for _, imp := range p.imports {
			if strings.HasPrefix(imp, "lederradar/") && imp != p.path {
				if ri, ok := rank[imp]; ok && ri >= r {
					t.Errorf("%s (rank %d) imports %s (rank %d): arrows point down only", p.path, r, imp, ri)
				}
			}
		}
	}
}

func TestImportsStayInTheirPackage(t *testing.T) {
	for _, p := range packages(t) {
		for _, imp := range p.imports {
			for prefix, allowed := range only {
				if (imp == prefix || strings.HasPrefix(imp, prefix+"/")) && !slices.Contains(allowed, p.path) {
					t.Errorf("%s imports %s, which belongs to %v alone", p.path, imp, allowed)
				}
			}
			if slices.Contains(pure[p.path], imp) {
				t.Errorf("%s imports %s: the domain and scoring rules do no I/O and keep no clock", p.path, imp)
			}
		}
	}
}
