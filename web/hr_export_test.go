package web_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestExportSuppressedCompetence checks that a competence suppressed
// inside a shown group goes out of the CSV and XLSX exports with blank
// numbers and the reason, never as n=0 and a mean of 0.
func TestExportSuppressedCompetence(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	round := e.smallRound(t, "Få svar", true)
	first := e.in.Competences[0].ID
	groups := []string{"organisation", fmt.Sprintf("department-%d", e.deptB.ID)}
	// Columns: round, group_key, kind, group, members, invited,
	// respondents, competence_id, competence, n, mean, sd, suppressed,
	// n_5 … n_1, n_dont_know.
	const groupKey, compID, n, suppressed = 1, 7, 9, 12
	check := func(t *testing.T, rows [][]string, wantReason string) {
		t.Helper()
		seen := 0
		for _, row := range rows[1:] {
			row = append(row, make([]string, 19-len(row))...) // XLSX drops trailing blanks
			if !slices.Contains(groups, row[groupKey]) {
				continue
			}
			if row[compID] != first {
				if row[n] == "" || row[suppressed] != "" {
					t.Errorf("%s/%s, shown, has n %q and reason %q", row[groupKey], row[compID], row[n], row[suppressed])
				}
				continue
			}
			seen++
			for i := n; i < len(row); i++ {
				if i != suppressed && row[i] != "" {
					t.Errorf("%s/%s, suppressed, has %q in column %d: %q", row[groupKey], row[compID], row[i], i, row)
				}
			}
			if row[suppressed] != wantReason {
				t.Errorf("%s/%s: reason %q, want %q", row[groupKey], row[compID], row[suppressed], wantReason)
			}
		}
		if seen != len(groups) {
			t.Fatalf("found %d rows of the suppressed competence in shown groups, want %d", seen, len(groups))
		}
	}
	for _, lang := range []struct{ cookie, reason, sheet string }{
		{"da", "færre end 5 svar", "Profiler"},
		{"en", "fewer than 5 answers", "Profiles"},
	} {
		cookies := []*http.Cookie{e.hr, {Name: "lang", Value: lang.cookie}}
		t.Run("csv "+lang.cookie, func(t *testing.T) {
			w := e.do(request{path: fmt.Sprintf("/hr/rounds/%d/profiles.csv", round.ID), cookies: cookies})
			if w.Code != http.StatusOK {
				t.Fatalf("profiles.csv = %d", w.Code)
			}
			r := csv.NewReader(strings.NewReader(strings.TrimPrefix(w.Body.String(), "\ufeff")))
			r.Comma = ';'
			rows, err := r.ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			check(t, rows, lang.reason)
		})
		t.Run("xlsx "+lang.cookie, func(t *testing.T) {
			w := e.do(request{path: fmt.Sprintf("/hr/rounds/%d/profiles.xlsx", round.ID), cookies: cookies})
			f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
			if err != nil {
				t.Fatalf("profiles.xlsx = %d, does not open: %v", w.Code, err)
			}
			rows, err := f.GetRows(lang.sheet)
			if err != nil {
				t.Fatal(err)
			}
			check(t, rows, lang.reason)
		})
	}
}
