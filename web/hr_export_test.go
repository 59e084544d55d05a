package web_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strconv"
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
	// n_5 … n_1, n_dont_know, n_high.
	const groupKey, compID, n, suppressed = 1, 7, 9, 12
	check := func(t *testing.T, rows [][]string, wantReason string) {
		t.Helper()
		seen := 0
		for _, row := range rows[1:] {
			row = append(row, make([]string, 20-len(row))...) // XLSX drops trailing blanks
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

// TestExportHeadersInWords: the aggregate exports have headers in the
// reader's language with the group's and competence's ids kept as
// columns, and the XLSX shows means and sds with one decimal while the
// cell keeps full precision.
func TestExportHeadersInWords(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	base := fmt.Sprintf("/hr/rounds/%d/profiles", e.closed.ID)
	for _, lang := range []struct{ cookie, header, org, kind string }{
		{"da", "Runde;Gruppe-id;Gruppetype;Gruppe;Medlemmer;Inviterede;Besvarelser;Kompetence-id;Kompetence;Antal med score;Gennemsnit;Spredning (sd);Ikke vist, fordi;" +
			"I meget høj grad (5);I høj grad (4);I nogen grad (3);I ringe grad (2);I meget ringe grad (1);Ved ikke / ikke relevant;Antal med score 4 eller derover", "Hele organisationen", "Organisation"},
		{"en", "Round;Group id;Group type;Group;Members;Invited;Responses;Competence id;Competence;Number with a score;Mean;Spread (sd);Not shown because;" +
			"To a very great extent (5);To a great extent (4);To some extent (3);To a small extent (2);To a very small extent (1);Don't know / not relevant;Number scoring 4 or more", "", "Organisation"},
	} {
		cookies := []*http.Cookie{e.hr, {Name: "lang", Value: lang.cookie}}
		t.Run("csv "+lang.cookie, func(t *testing.T) {
			body := e.do(request{path: base + ".csv", cookies: cookies}).Body.String()
			r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
			r.Comma = ';'
			rows, err := r.ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(rows[0], ";"); got != lang.header {
				t.Errorf("header\n got %s\nwant %s", got, lang.header)
			}
			if rows[1][1] != "organisation" || rows[1][2] != lang.kind || rows[1][7] != "trust" {
				t.Errorf("first row's ids: %q", rows[1][:8])
			}
		})
		t.Run("xlsx "+lang.cookie, func(t *testing.T) {
			w := e.do(request{path: base + ".xlsx", cookies: cookies})
			f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			sheet := f.GetSheetName(0)
			rows, err := f.GetRows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(rows[0], ";"); got != lang.header {
				t.Errorf("header\n got %s\nwant %s", got, lang.header)
			}
			precise := 0
			for i := 2; i <= len(rows); i++ {
				for _, col := range []string{"K", "L"} { // mean and sd
					cell := col + strconv.Itoa(i)
					shown, _ := f.GetCellValue(sheet, cell)
					raw, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
					if raw == "" {
						continue
					}
					v, err := strconv.ParseFloat(raw, 64)
					if err != nil || shown != strconv.FormatFloat(v, 'f', 1, 64) {
						t.Errorf("%s shows %q and holds %q; want it shown with one decimal", cell, shown, raw)
					}
					if len(raw) > 5 {
						precise++
					}
				}
			}
			if precise == 0 {
				t.Error("no mean or sd keeps its full precision in the cell")
			}
		})
	}
}
