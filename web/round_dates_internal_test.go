package web

import (
	"testing"
	"time"

	"lederradar/survey"
)

func TestParseDate(t *testing.T) {
	t.Parallel()
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	for _, tt := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"", time.Time{}, true},
		{"01-03-2027", day(2027, 3, 1), true},
		{" 1-3-2027 ", day(2027, 3, 1), true},
		{"31.12.2027", day(2027, 12, 31), true},
		{"15/06/2027", day(2027, 6, 15), true},
		{"2027-03-01", day(2027, 3, 1), true},
		{"03/01/2027", day(2027, 1, 3), true}, // Danish order, never the US one
		{"31-02-2027", time.Time{}, false},
		{"2027-13-01", time.Time{}, false},
		{"1. marts 2027", time.Time{}, false},
		{"01-03-27", time.Time{}, false},
	} {
		got, ok := parseDate(tt.in)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("parseDate(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestOpensLater(t *testing.T) {
	t.Parallel()
	// 23.30 UTC on 28 February is already 1 March in Copenhagen.
	now := time.Date(2027, 2, 28, 23, 30, 0, 0, time.UTC)
	for _, tt := range []struct {
		opens time.Time
		want  bool
	}{
		{time.Time{}, false},
		{time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), false},
		{time.Date(2027, 3, 2, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC), false},
	} {
		if got := opensLater(&survey.Round{Opens: tt.opens}, now); got != tt.want {
			t.Errorf("opensLater(%v) = %v, want %v", tt.opens, got, tt.want)
		}
	}
}
