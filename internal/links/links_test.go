package links_test

import (
	"strings"
	"testing"

	"lederradar/internal/links"
	"lederradar/survey"
)

func TestFor(t *testing.T) {
	for _, base := range []string{"https://lederradar.example.dk", "https://lederradar.example.dk/"} {
		if got, want := links.For(base, "tok"), "https://lederradar.example.dk/i/tok"; got != want {
			t.Errorf("For(%q) = %q, want %q", base, got, want)
		}
	}
}

func TestWriteMailMerge(t *testing.T) {
	people := []survey.Person{{ID: 1, Email: "anne@example.dk", Name: "Anne Jensen"}, {ID: 2, Email: "bo@example.dk", Name: "=1+1"}}
	var b strings.Builder
	if err := links.WriteMailMerge(&b, people, map[int64]string{1: "a", 2: "b"}, "https://x.dk"); err != nil {
		t.Fatal(err)
	}
	want := "\ufeffemail;name;link\r\nanne@example.dk;Anne Jensen;https://x.dk/i/a\r\nbo@example.dk;'=1+1;https://x.dk/i/b\r\n"
	if got := b.String(); got != want {
		t.Errorf("file = %q, want %q", got, want)
	}
}
