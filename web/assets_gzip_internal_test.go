package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestAcceptsGzip(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		header []string
		want   bool
	}{
		{nil, false},
		{[]string{""}, false},
		{[]string{"gzip"}, true},
		{[]string{"GZIP"}, true},
		{[]string{"gzip, deflate, br, zstd"}, true},
		{[]string{"br;q=1.0, gzip;q=0.8, *;q=0.1"}, true},
		{[]string{"x-gzip"}, true},
		{[]string{"gzip;q=0"}, false},
		{[]string{"gzip; q=0.000"}, false},
		{[]string{"*"}, true},
		{[]string{"*;q=0"}, false},
		{[]string{"*, gzip;q=0"}, false},
		{[]string{"identity"}, false},
		{[]string{"deflate", "gzip"}, true},
		{[]string{"br"}, false},
	} {
		if got := acceptsGzip(tc.header); got != tc.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tc.header, got, tc.want)
		}
	}
}

// TestAssetsCompressed checks that text assets go out gzipped when the
// browser accepts it — the same bytes once unpacked — and as they are
// otherwise, always with Vary and immutable caching.
func TestAssetsCompressed(t *testing.T) {
	t.Parallel()
	s, _, _ := testServer(t)
	h := s.Handler()
	for _, name := range []string{"vendor/echarts.min.js", "css/app.css", "js/chart.js", "favicon.svg"} {
		t.Run(name, func(t *testing.T) {
			url, err := s.assets.URL(name)
			if err != nil {
				t.Fatal(err)
			}
			get := func(ae string) *http.Response {
				req := httptest.NewRequest(http.MethodGet, url, nil)
				if ae != "" {
					req.Header.Set("Accept-Encoding", ae)
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				return rec.Result()
			}
			plain := get("")
			raw, _ := io.ReadAll(plain.Body)
			if plain.StatusCode != http.StatusOK || plain.Header.Get("Content-Encoding") != "" {
				t.Fatalf("without Accept-Encoding: %d %q", plain.StatusCode, plain.Header.Get("Content-Encoding"))
			}
			zipped := get("gzip, deflate, br")
			if got := zipped.Header.Get("Content-Encoding"); got != "gzip" {
				if name == "favicon.svg" {
					return // too small to be worth it, perhaps
				}
				t.Fatalf("Content-Encoding = %q, want gzip", got)
			}
			for _, r := range []*http.Response{plain, zipped} {
				if got := r.Header.Get("Vary"); got != "Accept-Encoding" {
					t.Errorf("Vary = %q, want Accept-Encoding", got)
				}
				if got := r.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
					t.Errorf("Cache-Control = %q", got)
				}
			}
			zr, err := gzip.NewReader(zipped.Body)
			if err != nil {
				t.Fatal(err)
			}
			unpacked, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(unpacked, raw) {
				t.Error("the unpacked asset differs from the plain one")
			}
			if refused := get("gzip;q=0"); refused.Header.Get("Content-Encoding") != "" {
				t.Error("gzip sent although refused with q=0")
			}
		})
	}
}
