package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/scoring"
	"lederradar/survey"
)

// coverageRound adds a closed round to the staff organisation in which
// all twelve submit, Leder i scoring 5 on the competences after the i-th
// (index > i) and 2 on the others. So on the competence of index c, c of
// the organisation's twelve score 4 or more (none on the first), c of
// department A's seven at most, c−7 of department B's five, and the team
// is suppressed as in the closed round.
func (e *staffEnv) coverageRound(t *testing.T) survey.Round {
	t.Helper()
	ctx := context.Background()
	round := survey.Round{Name: "Dækning 2026", Status: survey.RoundOpen, InstrumentVersion: e.in.Version}
	must(t, e.db.CreateRound(ctx, &round))
	for i, p := range e.people {
		_, hash := auth.NewToken()
		inv := survey.Invitation{RoundID: round.ID, PersonID: p.ID, SubjectID: p.ID, Relation: survey.Self}
		must(t, e.db.CreateInvitation(ctx, &inv, p.ID, hash))
		answers := survey.Answers{}
		for c, comp := range e.in.Competences {
			for _, it := range comp.Items {
				answers[it.ID] = 2
				if i < c {
					answers[it.ID] = 5
				}
			}
		}
		_, err := e.db.SaveAnswers(ctx, data.AnswerSave{RoundID: round.ID, SubjectID: p.ID, RaterID: p.ID, Relation: survey.Self,
			FormKey: fmt.Sprintf("cov-k%d", i), Answers: answers})
		must(t, err)
		_, err = e.db.SubmitResponse(ctx, round.ID, p.ID, p.ID, survey.Self, fmt.Sprintf("cov-s%d", i))
		must(t, err)
	}
	must(t, e.db.SetRoundStatus(ctx, round.ID, survey.RoundClosed))
	closed, err := e.db.FindRoundByID(ctx, round.ID)
	must(t, err)
	return *closed
}

// coverageExport reads a round's profiles export (csv or xlsx) in lang
// as rows by group key and competence id, each padded to every column.
func (e *staffEnv) coverageExport(t *testing.T, roundID int64, format, lang string) (header []string, rows map[string][]string) {
	t.Helper()
	w := e.do(request{path: fmt.Sprintf("/hr/rounds/%d/profiles.%s", roundID, format), cookies: []*http.Cookie{e.hr, {Name: "lang", Value: lang}}})
	if w.Code != http.StatusOK {
		t.Fatalf("profiles.%s = %d", format, w.Code)
	}
	var all [][]string
	if format == "csv" {
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(w.Body.String(), "\ufeff")))
		r.Comma = ';'
		var err error
		if all, err = r.ReadAll(); err != nil {
			t.Fatal(err)
		}
	} else {
		f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if all, err = f.GetRows(f.GetSheetName(0)); err != nil {
			t.Fatal(err)
		}
	}
	rows = map[string][]string{}
	for _, row := range all[1:] {
		row = append(row, make([]string, len(all[0])-len(row))...) // XLSX drops trailing blanks
		rows[row[1]+"/"+row[7]] = row
	}
	return all[0], rows
}

// apiCompetences reads a round's profiles through the API: by group key,
// each competence as the JSON object it is.
func (e *staffEnv) apiCompetences(t *testing.T, roundID int64) map[string][]map[string]any {
	t.Helper()
	w := e.do(request{path: fmt.Sprintf("/api/v1/rounds/%d/profiles", roundID), header: map[string]string{"Authorization": "Bearer " + e.hrToken}})
	if w.Code != http.StatusOK {
		t.Fatalf("profiles: %d %s", w.Code, w.Body.String())
	}
	var out struct {
		Groups []struct {
			ID          string
			Competences []map[string]any
		}
	}
	must(t, json.Unmarshal(w.Body.Bytes(), &out))
	by := map[string][]map[string]any{}
	for _, g := range out.Groups {
		by[g.ID] = g.Competences
	}
	return by
}

// TestGroupCoverage: a shown group's page says per competence how many
// of those with a score score 4 or more, in words, marks the competences
// where nobody does, and the exports and the API carry the same counts;
// a suppressed group carries none anywhere.
func TestGroupCoverage(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	round := e.coverageRound(t)
	org, deptB := "organisation", fmt.Sprintf("department-%d", e.deptB.ID)
	team := fmt.Sprintf("team-%d", e.team.ID)
	page := func(key, lang string) string {
		t.Helper()
		w := e.do(request{path: fmt.Sprintf("/hr/rounds/%d/groups/%s", round.ID, key), cookies: []*http.Cookie{e.hr, {Name: "lang", Value: lang}}})
		if w.Code != http.StatusOK {
			t.Fatalf("%s = %d", key, w.Code)
		}
		return w.Body.String()
	}
	first, last := e.in.Competences[0], e.in.Competences[len(e.in.Competences)-1]

	t.Run("page", func(t *testing.T) {
		for _, c := range []struct {
			key, lang string
			want      []string
		}{
			{org, "da", []string{
				`<h2 id="coverage-title">Dækning: er nogen stærk på hver kompetence?</h2>`,
				"<caption><span>Antal med en score på 4 eller derover pr. kompetence</span></caption>",
				`<th scope="col">Nogen stærk?</th>`,
				"0 af 12 scorer 4 eller derover", "1 af 12 scorer 4 eller derover", "3 af 12 scorer 4 eller derover", "10 af 12 scorer 4 eller derover",
				`<tr class="coverage-none"><th scope="row">` + first.Label.In(survey.Danish) + "</th><td>0 af 12 scorer 4 eller derover</td>",
				"<strong>Nej, ingen</strong>", "83 %",
				"Gruppen har nogen, der scorer 4 eller derover, på 10 af de 11 kompetencer, der vises. Ingen scorer 4 eller derover på " + first.Name.In(survey.Danish) + ".",
			}},
			{org, "en", []string{
				"Coverage: is someone strong on each competence?",
				"0 of 12 score 4 or more", "1 of 12 scores 4 or more", "10 of 12 score 4 or more", "No, nobody",
				"Nobody scores 4 or more on " + first.Name.In(survey.English) + ".",
			}},
			{deptB, "da", []string{"0 af 5 scorer 4 eller derover", "3 af 5 scorer 4 eller derover", "60 %"}},
		} {
			body := page(c.key, c.lang)
			for _, want := range c.want {
				if !strings.Contains(body, want) {
					t.Errorf("%s (%s) lacks %q", c.key, c.lang, want)
				}
			}
		}
		if body := page(team, "da"); strings.Contains(body, "coverage-title") || strings.Contains(body, "scorer 4 eller derover") {
			t.Error("the suppressed team's page shows coverage")
		}
	})

	for _, format := range []string{"csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			header, rows := e.coverageExport(t, round.ID, format, "da")
			high := len(header) - 1
			if header[high] != "Antal med score 4 eller derover" {
				t.Fatalf("last column %q", header[high])
			}
			for c, comp := range e.in.Competences {
				if got := rows[org+"/"+comp.ID][high]; got != strconv.Itoa(c) {
					t.Errorf("organisation/%s: %q high, want %d", comp.ID, got, c)
				}
				if got := rows[team+"/"+comp.ID][high]; got != "" {
					t.Errorf("suppressed team/%s: %q high, want none", comp.ID, got)
				}
			}
			if got := rows[deptB+"/"+last.ID][high]; got != "3" {
				t.Errorf("department B/%s: %q high, want 3", last.ID, got)
			}
		})
	}

	t.Run("api", func(t *testing.T) {
		by := e.apiCompetences(t, round.ID)
		for c, ca := range by[org] {
			if got, ok := ca["high"].(float64); !ok || got != float64(c) {
				t.Errorf("organisation/%v: high %v, want %d", ca["id"], ca["high"], c)
			}
		}
		for _, ca := range by[team] {
			if _, ok := ca["high"]; ok {
				t.Errorf("suppressed team/%v carries high %v", ca["id"], ca["high"])
			}
		}
	})
}

// TestGroupCoverageSuppressedCompetence: a competence the rule withholds
// inside a shown group carries no count on the page, in the exports or in
// the API — not 0, nothing — while the group's other competences do.
func TestGroupCoverageSuppressedCompetence(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	round := e.smallRound(t, "Få svar", true) // the first competence suppressed in both shown groups
	first := e.in.Competences[0]
	for _, key := range []string{"organisation", fmt.Sprintf("department-%d", e.deptB.ID)} {
		w := e.do(request{path: fmt.Sprintf("/hr/rounds/%d/groups/%s", round.ID, key), cookies: []*http.Cookie{e.hr}})
		body := w.Body.String()
		row := `<th scope="row">` + first.Label.In(survey.Danish) + `</th><td colspan="3" class="suppressed">færre end 5 svar</td>`
		if w.Code != http.StatusOK || !strings.Contains(body, row) {
			t.Errorf("%s: %d, the coverage lacks the suppressed row %q", key, w.Code, row)
		}
		if n := strings.Count(body, " scorer 4 eller derover</td>"); n != len(e.in.Competences)-1 {
			t.Errorf("%s: %d competences with a count, want %d", key, n, len(e.in.Competences)-1)
		}
		for _, format := range []string{"csv", "xlsx"} {
			header, rows := e.coverageExport(t, round.ID, format, "da")
			high := len(header) - 1
			for _, comp := range e.in.Competences {
				got, want := rows[key+"/"+comp.ID][high], "0" // Leder 7–11 score 2.5 to 3.5
				if comp.ID == first.ID {
					want = ""
				}
				if got != want {
					t.Errorf("%s %s/%s: %q high, want %q", format, key, comp.ID, got, want)
				}
			}
		}
		for _, ca := range e.apiCompetences(t, round.ID)[key] {
			_, has := ca["high"]
			if has == (ca["id"] == first.ID) {
				t.Errorf("api %s/%v: high %v", key, ca["id"], ca["high"])
			}
		}
	}
}

// TestGroupCoverageUnknown: a closed round whose report was kept before
// reports counted high scores (format 2, read with the counts unknown:
// data.TestReportFormat2Decodes) shows "–" and why on the page, and
// carries no count in the exports or the API: never a count of 0 it
// never made.
func TestGroupCoverageUnknown(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	round := e.coverageRound(t)
	// The report the server reads is the one the database holds in
	// memory: make it read as a kept format 2 report does.
	rep, err := e.db.RoundReport(context.Background(), &round, scoring.DefaultMinGroup)
	must(t, err)
	for _, g := range rep.Groups {
		for i := range g.Profile.Competences {
			if !g.Profile.Competences[i].Suppressed {
				g.Profile.Competences[i].High = scoring.HighUnknown
			}
		}
	}
	body := e.do(request{path: fmt.Sprintf("/hr/rounds/%d/groups/organisation", round.ID), cookies: []*http.Cookie{e.hr}}).Body.String()
	if !strings.Contains(body, "Runden blev lukket, før Lederradar talte, hvor mange der scorer 4 eller derover") ||
		!strings.Contains(body, `<td>–</td><td class="num">–</td><td>–</td>`) {
		t.Error("the page lacks the unknown counts' note or dashes")
	}
	for _, claim := range []string{"scorer 4 eller derover</td>", "Nej, ingen", "Gruppen har nogen"} {
		if strings.Contains(body, claim) {
			t.Errorf("the page claims %q from counts never made", claim)
		}
	}
	for _, format := range []string{"csv", "xlsx"} {
		header, rows := e.coverageExport(t, round.ID, format, "en")
		for key, row := range rows {
			if row[len(header)-1] != "" {
				t.Errorf("%s %s: high %q, want none", format, key, row[len(header)-1])
			}
		}
	}
	for key, cs := range e.apiCompetences(t, round.ID) {
		for _, ca := range cs {
			if _, ok := ca["high"]; ok {
				t.Errorf("api %s/%v: high %v, want none", key, ca["id"], ca["high"])
			}
		}
	}
}
