package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"lederradar/survey"
)

// TestHeatmapPages checks that a large organisation's heatmap comes a page
// of groups at a time, every group on exactly one page, with the summary
// still counting them all.
func TestHeatmapPages(t *testing.T) {
	ctx := context.Background()
	s, db, org := generatedServer(t, 1000)
	hr := staffCookie(t, s, db, survey.RoleHR, "example.dk")
	round := org.ClosedRounds[len(org.ClosedRounds)-1]
	rep, err := s.buildReport(ctx, &round)
	if err != nil {
		t.Fatal(err)
	}
	pages := (len(rep.Groups) + heatmapPageSize - 1) / heatmapPageSize
	if pages < 2 {
		t.Fatalf("%d groups fit one page: the test proves nothing", len(rep.Groups))
	}
	get := func(query string) (int, string) {
		req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/hr/rounds/%d/heatmap%s", round.ID, query), nil)
		req.AddCookie(hr)
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	row := regexp.MustCompile(`<tr><th scope="row">`)
	seen := 0
	var summary string
	for page := 1; page <= pages; page++ {
		query := fmt.Sprintf("?page=%d", page)
		if page == 1 {
			query = ""
		}
		code, body := get(query)
		if code != http.StatusOK {
			t.Fatalf("page %d: %d", page, code)
		}
		n := len(row.FindAllStringIndex(body, -1))
		if page < pages && n != heatmapPageSize {
			t.Errorf("page %d has %d rows, want %d", page, n, heatmapPageSize)
		}
		seen += n
		if hasNext := strings.Contains(body, `rel="next"`); hasNext != (page < pages) {
			t.Errorf("page %d: next link %v", page, hasNext)
		}
		if hasPrev := strings.Contains(body, `rel="prev"`); hasPrev != (page > 1) {
			t.Errorf("page %d: previous link %v", page, hasPrev)
		}
		s := regexp.MustCompile(`<p class="summary">[^<]*</p>`).FindString(body)
		if summary == "" {
			summary = s
		} else if s != summary {
			t.Errorf("page %d summary %q, want %q as on page 1", page, s, summary)
		}
	}
	if seen != len(rep.Groups) {
		t.Errorf("%d rows over %d pages, want the %d groups", seen, pages, len(rep.Groups))
	}
	for _, bad := range []string{"?page=0", fmt.Sprintf("?page=%d", pages+1), "?page=x", "?page=01"} {
		if code, _ := get(bad); code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", bad, code)
		}
	}
}
