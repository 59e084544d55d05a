package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/survey"
)

// finalEnv is a closed round whose report HR has read: departments A (4
// people), B (7) and C (6), team T (A's four and one of B) and team U
// (five others of B), everyone answered, closed by an administrator on a
// server with the anonymity threshold 5. At threshold 3, A would be shown
// and T would not (T minus A is one person): a report built again at 3
// would show what the report at 5 hides.
type finalEnv struct {
	*staffEnv
	round  survey.Round
	people map[string]survey.Person // by name: a0…a3, b0…b6, c0…c5
	groups map[string]survey.Group  // by name
	// leaders are the session cookies of a0 and c0, signed in through
	// their links before the round closed.
	leaders map[string]*http.Cookie
}

func newFinalEnv(t *testing.T) *finalEnv {
	t.Helper()
	ctx := context.Background()
	e := &finalEnv{staffEnv: newStaffEnv(t), people: map[string]survey.Person{}, groups: map[string]survey.Group{}, leaders: map[string]*http.Cookie{}}
	groups := map[string]*survey.Group{}
	for _, g := range []survey.Group{
		{Kind: survey.Department, Name: "A"}, {Kind: survey.Department, Name: "B"}, {Kind: survey.Department, Name: "C"},
		{Kind: survey.Team, Name: "T"}, {Kind: survey.Team, Name: "U"},
	} {
		must(t, e.db.CreateGroup(ctx, &g))
		groups[g.Name] = &g
	}
	e.round = survey.Round{Name: "Final 2026", Status: survey.RoundOpen, InstrumentVersion: e.in.Version}
	must(t, e.db.CreateRound(ctx, &e.round))
	n := 0
	// A director in no department (x0): A is below the threshold, so
	// without them the organisation − B − C would be A's four people, and
	// the combination rule would hide C.
	for dept, size := range map[string]int{"A": 4, "B": 7, "C": 6, "X": 1} {
		for i := range size {
			name := fmt.Sprintf("%c%d", dept[0]+'a'-'A', i)
			var deptID int64
			if g, ok := groups[dept]; ok {
				deptID = g.ID
			}
			p := survey.Person{Email: name + "@final.example.dk", Name: "Leder " + name, DepartmentID: deptID}
			must(t, e.db.CreatePerson(ctx, &p))
			switch {
			case dept == "A" || name == "b0":
				must(t, e.db.AddTeamMember(ctx, groups["T"].ID, p.ID))
			case dept == "B" && i <= 5:
				must(t, e.db.AddTeamMember(ctx, groups["U"].ID, p.ID))
			}
			e.people[name] = p
			token, hash := auth.NewToken()
			inv := survey.Invitation{RoundID: e.round.ID, PersonID: p.ID, SubjectID: p.ID, Relation: survey.Self}
			must(t, e.db.CreateInvitation(ctx, &inv, p.ID, hash))
			if name == "a0" || name == "c0" {
				e.leaders[name] = e.login(token)
			}
			answers := survey.Answers{}
			for _, c := range e.in.Competences {
				for j, it := range c.Items {
					answers[it.ID] = survey.Answer(1 + (3*n+j*j+i)%5)
				}
			}
			_, err := e.db.SaveAnswers(ctx, data.AnswerSave{RoundID: e.round.ID, SubjectID: p.ID, RaterID: p.ID, Relation: survey.Self, FormKey: "f-" + name, Answers: answers})
			must(t, err)
			_, err = e.db.SubmitResponse(ctx, e.round.ID, p.ID, p.ID, survey.Self, "s-"+name)
			must(t, err)
			n++
		}
	}
	for name, g := range groups {
		e.groups[name] = *g
	}
	e.closeAsAdmin(t, e.round.ID)
	return e
}

func (e *finalEnv) closeAsAdmin(t *testing.T, roundID int64) {
	t.Helper()
	if w := e.do(request{method: "POST", path: fmt.Sprintf("/admin/rounds/%d/close", roundID), form: url.Values{"confirm": {"yes"}}, cookies: []*http.Cookie{e.admin}}); w.Code != http.StatusSeeOther {
		t.Fatalf("close: %d %s", w.Code, w.Body.String())
	}
}

// restartWith replaces the server with one of threshold minGroup on the
// same database, as a restart with another --min-group does.
func (e *finalEnv) restartWith(t *testing.T, minGroup int) {
	t.Helper()
	e.cfg.MinGroup = minGroup
	e.restart(t)
}

// viewPaths are the paths of every view of the round's profiles HR has
// — the overview, the heatmap, the CSV and XLSX exports and each group's
// page — as the round closed.
func (e *finalEnv) viewPaths(t *testing.T) []string {
	t.Helper()
	base := fmt.Sprintf("/hr/rounds/%d", e.round.ID)
	paths := []string{base, base + "/heatmap", base + "/profiles.csv", base + "/profiles.xlsx", base + "/groups/organisation"}
	groups, err := e.db.FindGroups(context.Background(), "")
	must(t, err)
	for _, g := range groups {
		paths = append(paths, fmt.Sprintf("%s/groups/%s-%d", base, g.Kind, g.ID))
	}
	return paths
}

// views returns the views at paths and the API's profiles, as the
// server answers them now.
func (e *finalEnv) views(t *testing.T, paths []string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, p := range paths {
		w := e.do(request{path: p, cookies: []*http.Cookie{e.hr}})
		// The page's body tag counts down HR's own session: not the report.
		body := sessionTimes.ReplaceAll(w.Body.Bytes(), []byte("<body>"))
		out[p] = append([]byte(fmt.Sprintf("%d\n", w.Code)), body...)
	}
	api := fmt.Sprintf("/api/v1/rounds/%d/profiles", e.round.ID)
	w := e.do(request{path: api, header: map[string]string{"Authorization": "Bearer " + e.hrToken}})
	if w.Code != http.StatusOK {
		t.Fatalf("%s: %d %s", api, w.Code, w.Body.String())
	}
	out[api] = w.Body.Bytes()
	return out
}

var sessionTimes = regexp.MustCompile(`<body data-session-[^>]*>`)

// sameViews fails the test for every view that differs from before.
func sameViews(t *testing.T, before, after map[string][]byte) {
	t.Helper()
	for path, b := range before {
		a := after[path]
		if bytes.Equal(a, b) {
			continue
		}
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		from := max(0, i-80)
		t.Errorf("%s differs at byte %d:\nbefore …%q\nafter  …%q", path, i, b[from:min(len(b), i+120)], a[from:min(len(a), i+120)])
	}
}

// TestClosedReportIsFinal reads every view HR has of a closed round's
// profiles, makes one change, and reads them again: each must be byte for
// byte what it was. A report built again after the change would let HR
// subtract one from the other: a department hidden at threshold 5 but
// shown at 3 beside a team shown at 5 but hidden at 3 (leak 4 of issue
// 12); the organisation's mean × n before and after one person's erasure,
// which is that person's scores, and the department whose n dropped
// (leak 3).
func TestClosedReportIsFinal(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		change func(t *testing.T, e *finalEnv)
	}{
		{"a server with threshold 3", func(t *testing.T, e *finalEnv) { e.restartWith(t, 3) }},
		{"a server with threshold 7", func(t *testing.T, e *finalEnv) { e.restartWith(t, 7) }},
		{"an erasure", func(t *testing.T, e *finalEnv) { e.erase(t, "b6") }},
		{"an erasure, then a restart", func(t *testing.T, e *finalEnv) {
			e.erase(t, "a1")
			e.restart(t)
		}},
		{"an erasure, then a server with threshold 3", func(t *testing.T, e *finalEnv) {
			e.erase(t, "c2")
			e.restartWith(t, 3)
		}},
		{"the organisation changed, then a restart", func(t *testing.T, e *finalEnv) {
			ctx := t.Context()
			b0 := e.people["b0"]
			groups, err := e.db.FindGroups(ctx, "")
			must(t, err)
			for _, g := range groups {
				if g.Name == "C" {
					b0.DepartmentID = g.ID
				}
				if g.Name == "U" {
					must(t, e.db.DeleteGroup(ctx, g.ID))
				}
			}
			must(t, e.db.UpdatePerson(ctx, &b0))
			e.restart(t)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newFinalEnv(t)
			paths := e.viewPaths(t)
			before := e.views(t, paths)
			c.change(t, e)
			sameViews(t, before, e.views(t, paths))
		})
	}
}

// TestResultOverlaysFromKeptGroups proves a leader's result page offers
// the groups the closed round kept them in, though the kept report names
// no members: c0 compares with the organisation, C and B's team U not; and
// still does after another member of C is erased, and after c0 has left C.
func TestResultOverlaysFromKeptGroups(t *testing.T) {
	t.Parallel()
	e := newFinalEnv(t)
	options := func(t *testing.T) string {
		t.Helper()
		w := e.do(request{path: "/result", cookies: []*http.Cookie{e.leaders["c0"]}})
		if w.Code != http.StatusOK {
			t.Fatalf("/result: %d", w.Code)
		}
		body := w.Body.String()
		var got []string
		for _, key := range []string{"organisation", fmt.Sprintf("department-%d", e.groups["C"].ID), fmt.Sprintf("department-%d", e.groups["B"].ID),
			fmt.Sprintf("team-%d", e.groups["U"].ID), fmt.Sprintf("team-%d", e.groups["T"].ID)} {
			if bytes.Contains([]byte(body), []byte(`<option value="`+key+`"`)) {
				got = append(got, key)
			}
		}
		return fmt.Sprint(got)
	}
	want := fmt.Sprint([]string{"organisation", fmt.Sprintf("department-%d", e.groups["C"].ID)})
	if got := options(t); got != want {
		t.Fatalf("c0 may compare with %s, want %s", got, want)
	}
	e.erase(t, "c2")
	c0 := e.people["c0"]
	c0.DepartmentID = e.groups["B"].ID
	must(t, e.db.UpdatePerson(t.Context(), &c0))
	e.restart(t)
	if got := options(t); got != want {
		t.Errorf("after an erasure and a move c0 may compare with %s, want %s", got, want)
	}
}

// erase erases the named person as an administrator does.
func (e *finalEnv) erase(t *testing.T, name string) {
	t.Helper()
	p := e.people[name]
	w := e.do(request{method: "POST", path: fmt.Sprintf("/admin/people/%d/erase", p.ID),
		form: url.Values{"confirm": {"yes"}, "confirm_email": {p.Email}}, cookies: []*http.Cookie{e.admin}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("erase %s: %d %s", name, w.Code, w.Body.String())
	}
	if _, err := e.db.FindPersonByID(t.Context(), p.ID); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("%s not erased: %v", name, err)
	}
}

// TestClosedReportKeepsItsThreshold closes a round on the command line's
// path with threshold 7 and reads it from a server with the default 5:
// the pages and the API say 7, the round's own.
func TestClosedReportKeepsItsThreshold(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	ctx := t.Context()
	must(t, e.db.CloseRound(ctx, e.open.ID, 7))
	w := e.do(request{path: fmt.Sprintf("/api/v1/rounds/%d/profiles", e.open.ID), header: map[string]string{"Authorization": "Bearer " + e.hrToken}})
	if w.Code != http.StatusOK || !bytes.Contains(w.Body.Bytes(), []byte(`"min_group":7`)) {
		t.Errorf("profiles: %d %s; want the round's threshold 7", w.Code, w.Body.String())
	}
}
