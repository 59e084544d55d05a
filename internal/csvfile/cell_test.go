package csvfile_test

import (
	"testing"

	"lederradar/internal/csvfile"
)

func TestSafeCell(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"Anne Jensen", "Anne Jensen"},
		{"=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"},
		{"+45 1234", "'+45 1234"},
		{"-1", "'-1"},
		{"@SUM(1)", "'@SUM(1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"a=b", "a=b"},
	} {
		if got := csvfile.SafeCell(tt.in); got != tt.want {
			t.Errorf("SafeCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
