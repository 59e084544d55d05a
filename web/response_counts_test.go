package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lederradar/internal/auth"
	"lederradar/survey"
)

// rowOf returns the table row of body whose header cell names name, or
// fails the test.
func rowOf(t *testing.T, body, name string) string {
	t.Helper()
	for _, row := range strings.Split(body, "<tr>")[1:] {
		row, _, _ = strings.Cut(row, "</tr>")
		if strings.Contains(row, ">"+name+"<") || strings.Contains(row, ">"+name+" <span") {
			return row
		}
	}
	t.Fatalf("no row for %q in:\n%s", name, body)
	return ""
}

// numberCell is a table cell holding a number.
var numberCell = regexp.MustCompile(`<td class="num">\d`)

// TestResponseCountsSmallGroups checks every place that shows response
// counts: a group with fewer than min-group invited shows none — not
// invited, started, submitted nor a rate, not even in the markup — and
// the reason instead, while a group with enough invited shows them.
// Department A and the team have one person invited, the department of
// newEnv none, department B five; the round "Én inviteret" has one
// person invited in the whole organisation.
func TestResponseCountsSmallGroups(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	ctx := context.Background()
	closed := e.smallRound(t, "Lukket lille", true)
	open := e.smallRound(t, "Åben lille", false)
	one := survey.Round{Name: "Én inviteret", Status: survey.RoundOpen, InstrumentVersion: e.in.Version}
	must(t, e.db.CreateRound(ctx, &one))
	_, hash := auth.NewToken()
	inv := survey.Invitation{RoundID: one.ID, PersonID: e.people[0].ID, SubjectID: e.people[0].ID, Relation: survey.Self}
	must(t, e.db.CreateInvitation(ctx, &inv, e.people[0].ID, hash))

	small := []string{e.deptA.Name, e.team.Name, "Teknik og Miljø"}
	da := []*http.Cookie{e.hr}
	en := []*http.Cookie{e.hr, {Name: "lang", Value: "en"}}
	page := func(path string, cookies []*http.Cookie) string {
		t.Helper()
		w := e.do(request{path: path, cookies: cookies})
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s = %d", path, w.Code)
		}
		return w.Body.String()
	}

	t.Run("pages", func(t *testing.T) {
		tests := []struct {
			name    string
			path    string
			cookies []*http.Cookie
			hidden  []string // rows that carry the reason and no number but members
			members bool     // whether those rows have a members column
			shown   map[string][]string
			reason  string
		}{
			{"open round", fmt.Sprintf("/hr/rounds/%d", open.ID), da, small, true,
				map[string][]string{"Hele organisationen": {">6<", ">5<", "83 %"}, e.deptB.Name: {">5<", "100 %"}}, "færre end 5 inviterede"},
			{"open round, English", fmt.Sprintf("/hr/rounds/%d", open.ID), en, small, true,
				map[string][]string{e.deptB.Name: {">5<", "100%"}}, "fewer than 5 invited"},
			{"closed round", fmt.Sprintf("/hr/rounds/%d", closed.ID), da, small, true,
				map[string][]string{"Hele organisationen": {">6<", ">5<", "83 %"}, e.deptB.Name: {">5<", "100 %"}}, "færre end 5 inviterede"},
			{"closed round's heatmap", fmt.Sprintf("/hr/rounds/%d/heatmap", closed.ID), da, small, false,
				map[string][]string{e.deptB.Name: {`<td class="num">5</td>`}}, "færre end 5 inviterede"},
			{"open round, one invited", fmt.Sprintf("/hr/rounds/%d", one.ID), da, []string{"Hele organisationen", e.deptA.Name, e.deptB.Name}, true,
				nil, "færre end 5 inviterede"},
			{"rounds", "/hr", da, []string{one.Name}, false,
				map[string][]string{closed.Name: {">6<", ">5<", "83 %"}, open.Name: {">6<", "83 %"}}, "færre end 5 inviterede"},
			{"rounds, English", "/hr", en, []string{one.Name}, false,
				map[string][]string{closed.Name: {">6<", "83%"}}, "fewer than 5 invited"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				body := page(tt.path, tt.cookies)
				for _, name := range tt.hidden {
					row := rowOf(t, body, name)
					if !strings.Contains(row, tt.reason) {
						t.Errorf("row %q lacks %q: %s", name, tt.reason, row)
					}
					want := 0
					if tt.members {
						want = 1
					}
					if got := len(numberCell.FindAllString(row, -1)); got != want || strings.Contains(row, "%") {
						t.Errorf("row %q has %d numbers or a rate, want %d and none: %s", name, got, want, row)
					}
				}
				for name, wants := range tt.shown {
					row := rowOf(t, body, name)
					for _, want := range wants {
						if !strings.Contains(row, want) {
							t.Errorf("row %q lacks %q: %s", name, want, row)
						}
					}
					if strings.Contains(row, tt.reason) {
						t.Errorf("row %q says %q: %s", name, tt.reason, row)
					}
				}
			})
		}
	})

	t.Run("group pages", func(t *testing.T) {
		tests := []struct {
			group     survey.Group
			cookies   []*http.Cookie
			want, not string
		}{
			{e.deptA, da, "7 medlemmer · færre end 5 inviterede", "svar af"},
			{e.deptA, en, "7 members · fewer than 5 invited", "answers from"},
			{e.team, da, "6 medlemmer · færre end 5 inviterede", "svar af"},
			{e.deptB, da, "5 svar af 5 medlemmer · svarprocent 100 %", "inviterede"},
		}
		for _, tt := range tests {
			body := page(fmt.Sprintf("/hr/rounds/%d/groups/%s-%d", closed.ID, tt.group.Kind, tt.group.ID), tt.cookies)
			if !strings.Contains(body, tt.want) || strings.Contains(body, tt.not) {
				t.Errorf("%s's page: want %q and no %q", tt.group.Name, tt.want, tt.not)
			}
		}
	})

	t.Run("admin round page", func(t *testing.T) {
		for _, tt := range []struct {
			round     survey.Round
			want, not []string
		}{
			{one, []string{"færre end 5 inviterede"}, []string{"Svarprocent", "I gang"}},
			{open, []string{"Svarprocent", "83 %"}, []string{"inviterede"}},
		} {
			body := page(fmt.Sprintf("/admin/rounds/%d", tt.round.ID), []*http.Cookie{e.admin})
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s: the page lacks %q", tt.round.Name, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(body, n) {
					t.Errorf("%s: the page has %q", tt.round.Name, n)
				}
			}
		}
	})

	// Columns of the profile export: round, group_key, kind, group,
	// members, invited, respondents, …, suppressed (12).
	keys := map[string]bool{fmt.Sprintf("department-%d", e.deptA.ID): true, fmt.Sprintf("team-%d", e.team.ID): true}
	bigKey := fmt.Sprintf("department-%d", e.deptB.ID)
	checkExport := func(t *testing.T, rows [][]string) {
		t.Helper()
		seen := 0
		for _, row := range rows[1:] {
			row = append(row, make([]string, 20-len(row))...)
			switch {
			case keys[row[1]]:
				seen++
				if row[5] != "" || row[6] != "" || row[12] != "færre end 5 inviterede" {
					t.Errorf("%s: invited %q, respondents %q, reason %q; want none, none and the reason", row[1], row[5], row[6], row[12])
				}
			case row[1] == bigKey:
				if row[5] != "5" || row[6] != "5" {
					t.Errorf("%s: invited %q, respondents %q; want 5 and 5", row[1], row[5], row[6])
				}
			}
		}
		if seen == 0 {
			t.Error("no rows of the small groups")
		}
	}
	t.Run("csv", func(t *testing.T) {
		w := e.do(request{path: fmt.Sprintf("/hr/rounds/%d/profiles.csv", closed.ID), cookies: da})
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(w.Body.String(), "\ufeff")))
		r.Comma = ';'
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		checkExport(t, rows)
	})
	t.Run("xlsx", func(t *testing.T) {
		w := e.do(request{path: fmt.Sprintf("/hr/rounds/%d/profiles.xlsx", closed.ID), cookies: da})
		f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows("Profiler")
		if err != nil {
			t.Fatal(err)
		}
		checkExport(t, rows)
	})

	bearer := map[string]string{"Authorization": "Bearer " + e.hrToken}
	t.Run("api rounds", func(t *testing.T) {
		w := e.do(request{path: "/api/v1/rounds", header: bearer})
		var got struct{ Rounds []map[string]any }
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		found := 0
		for _, r := range got.Rounds {
			switch r["name"] {
			case one.Name:
				found++
				_, inv := r["invited"]
				_, sub := r["submitted"]
				if inv || sub || r["counts_suppressed"] != true {
					t.Errorf("round with one invited: %v; want no counts and counts_suppressed", r)
				}
			case closed.Name:
				found++
				if r["invited"] != 6.0 || r["submitted"] != 5.0 || r["counts_suppressed"] != false {
					t.Errorf("round with six invited: %v", r)
				}
			}
		}
		if found != 2 {
			t.Errorf("rounds = %s", w.Body.String())
		}
	})
	t.Run("api profiles", func(t *testing.T) {
		w := e.do(request{path: fmt.Sprintf("/api/v1/rounds/%d/profiles", closed.ID), header: bearer})
		var got struct{ Groups []map[string]any }
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		for _, g := range got.Groups {
			id, _ := g["id"].(string)
			_, hasN := g["n"]
			switch {
			case keys[id] && hasN:
				t.Errorf("group %s, one invited, carries n: %v", id, g)
			case (id == bigKey || id == "organisation") && g["n"] != 5.0:
				t.Errorf("group %s, enough invited: n = %v, want 5", id, g["n"])
			}
		}
	})
}
