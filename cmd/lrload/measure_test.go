package main

import (
	"context"
	"testing"
	"time"
)

func TestLoopbackURL(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		target string
		ok     bool
	}{
		{"http://127.0.0.1:8080", true},
		{"http://127.0.0.2:9000/", true},
		{"http://[::1]:8080", true},
		{"http://localhost:8080", true},
		{"https://127.0.0.1", true},
		{"http://10.0.0.1:8080", false},
		{"http://192.168.1.10", false},
		{"http://[2001:db8::1]:80", false},
		{"http://example.com", false},
		{"ftp://127.0.0.1", false},
		{"127.0.0.1:8080", false},
		{"", false},
	} {
		_, err := loopbackURL(ctx, tc.target)
		if (err == nil) != tc.ok {
			t.Errorf("loopbackURL(%q) = %v, want ok %v", tc.target, err, tc.ok)
		}
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i))
	}
	for _, tc := range []struct {
		p    float64
		want time.Duration
	}{{50, 50}, {95, 95}, {99, 99}, {100, 100}, {0, 1}} {
		if got := percentile(d, tc.p); got != tc.want {
			t.Errorf("percentile(%v) = %v, want %v", tc.p, got, tc.want)
		}
	}
	if got := percentile(nil, 50); got != 0 {
		t.Errorf("percentile of nothing = %v", got)
	}
}

func TestBudget(t *testing.T) {
	b := newBudget(3)
	n := 0
	for b.take() {
		n++
	}
	if n != 3 {
		t.Errorf("took %d, want 3", n)
	}
}
