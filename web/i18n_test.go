package web_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"lederradar/survey"
	"lederradar/web"
)

// TestCatalogueKeys finds every message key the code and templates use and
// checks both catalogues have it, so no page can show "[key]".
func TestCatalogueKeys(t *testing.T) {
	t.Parallel()
	cat, err := web.LoadCatalogues()
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, k := range cat.Keys() {
		have[k] = true
	}
	uses := regexp.MustCompile(`\bT\.?T?\(?\s*"([a-z_]+(?:\.[a-z0-9_]+)+|app|tagline)"`)
	plurals := regexp.MustCompile(`\.N\("([a-z_.]+)"`)
	files, _ := filepath.Glob("*.go")
	html, _ := filepath.Glob("templates/*.html")
	partials, _ := filepath.Glob("templates/partials/*.html")
	files = append(append(files, html...), partials...)
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range uses.FindAllStringSubmatch(string(b), -1) {
			found++
			if !have[m[1]] {
				t.Errorf("%s uses %q, which the catalogues lack", f, m[1])
			}
		}
		for _, m := range plurals.FindAllStringSubmatch(string(b), -1) {
			for _, form := range []string{".one", ".other"} {
				if !have[m[1]+form] {
					t.Errorf("%s uses plural %q, which lacks %s", f, m[1], form)
				}
			}
		}
	}
	if found < 50 {
		t.Errorf("found only %d message uses; is the pattern still right?", found)
	}
	for _, phase := range []survey.Phase{survey.Before, survey.During, survey.After, survey.Throughout} {
		if !have["phase."+string(phase)] {
			t.Errorf("no message for phase %s", phase)
		}
	}
}

func TestPrinter(t *testing.T) {
	t.Parallel()
	cat, err := web.LoadCatalogues()
	if err != nil {
		t.Fatal(err)
	}
	da, en := cat.Printer(survey.Danish), cat.Printer(survey.English)
	date := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name, got, want string
	}{
		{"Danish decimal comma", da.Dec(3.44), "3,4"},
		{"Danish rounds half up", da.Dec(3.25), "3,3"},
		{"English decimal point", en.Dec(3.44), "3.4"},
		{"whole number keeps one decimal", da.Dec(4), "4,0"},
		{"Danish thousands", da.Int(100000), "100.000"},
		{"English thousands", en.Int(1234), "1,234"},
		{"small number", da.Int(12), "12"},
		{"Danish date", da.Date(date), "28. november 2026"},
		{"English date", en.Date(date), "28 November 2026"},
		{"Danish plural one", da.N("result.dontknow", 1), "1 svar var »Ved ikke / ikke relevant«."},
		{"English plural one", en.N("result.dontknow", 1), "1 answer was »Don't know / not relevant«."},
		{"English plural other", en.N("result.dontknow", 3), "3 answers were »Don't know / not relevant«."},
		{"English plural zero", en.N("result.dontknow", 0), "0 answers were »Don't know / not relevant«."},
		{"Danish zero form with arguments", da.N("admin.delete_team", 0, "Ø"), "Teamet »Ø« slettes. Det har ingen medlemmer."},
		{"Danish one form with arguments", da.N("admin.delete_team", 1, "Ø"), "Teamet »Ø« slettes. Dets ene medlem mister teamet; personen og svarene bliver."},
		{"Danish other form with arguments", da.N("admin.delete_team", 2, "Ø"), "Teamet »Ø« slettes. Dets 2 medlemmer mister teamet; personerne og deres svar bliver."},
		{"no zero form: other", da.N("admin.search_count", 0), "0 personer passer på søgningen."},
		{"arguments", da.T("survey.progress", 3, 11), "Kompetence 3 af 11"},
		{"missing key shows itself", da.T("no.such.key"), "[no.such.key]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}
