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

// TestHeatmapPages checks that a large organisation's heatmap and round
// overviews (closed and open) come a page of groups at a time, every group
// on exactly one page, with the summary still counting them all.
func TestHeatmapPages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db, org := generatedServer(t, 1000)
	hr := staffCookie(t, s, db, survey.RoleHR, "example.dk")
	round := org.ClosedRounds[len(org.ClosedRounds)-1]
	rep, err := db.RoundReport(ctx, &round, s.minGroup)
	if err != nil {
		t.Fatal(err)
	}
	for _, list := range []struct {
		name    string
		roundID int64
		path    string
		size    int
	}{
		{"heatmap", round.ID, "/heatmap", heatmapPageSize},
		{"closed round", round.ID, "", roundPageSize},
		// An open round's response rates come from the kept counts, a page
		// at a time: the same groups.
		{"open round", org.OpenRound.ID, "", roundPageSize},
	} {
		t.Run("list="+list.name, func(t *testing.T) {
			testGroupPages(t, s, hr, list.roundID, list.path, list.size, len(rep.Groups))
		})
	}
}

// testGroupPages walks the pages of a list of groups: each but the last
// full, every group on exactly one, links to the neighbours, the same
// summary on each, and 404 for pages that do not exist.
func testGroupPages(t *testing.T, s *Server, hr *http.Cookie, roundID int64, path string, size, groups int) {
	pages := (groups + size - 1) / size
	if pages < 2 {
		t.Fatalf("%d groups fit one page: the test proves nothing", groups)
	}
	get := func(query string) (int, string) {
		req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/hr/rounds/%d%s%s", roundID, path, query), nil)
		req.AddCookie(hr)
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	row := regexp.MustCompile(`<tr>\s*<th scope="row">`)
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
		if page < pages && n != size {
			t.Errorf("page %d has %d rows, want %d", page, n, size)
		}
		seen += n
		if hasNext := strings.Contains(body, `rel="next"`); hasNext != (page < pages) {
			t.Errorf("page %d: next link %v", page, hasNext)
		}
		if hasPrev := strings.Contains(body, `rel="prev"`); hasPrev != (page > 1) {
			t.Errorf("page %d: previous link %v", page, hasPrev)
		}
		s := regexp.MustCompile(`<p class="(summary|notice-plain)">[^<]*</p>`).FindString(body)
		if summary == "" {
			summary = s
		} else if s != summary {
			t.Errorf("page %d summary %q, want %q as on page 1", page, s, summary)
		}
	}
	if seen != groups {
		t.Errorf("%d rows over %d pages, want the %d groups", seen, pages, groups)
	}
	for _, bad := range []string{"?page=0", fmt.Sprintf("?page=%d", pages+1), "?page=x", "?page=01"} {
		if code, _ := get(bad); code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", bad, code)
		}
	}
}
