package web_test

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"lederradar/internal/auth"
	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// TestOldRoundKeepsItsWording: a round frozen to instrument 2026.1 still
// asks, and reports against, the 2026.1 statements and labels after the
// server runs 2026.2, which reworded them (docs/instrument.md).
func TestOldRoundKeepsItsWording(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	raw, err := os.ReadFile("testdata/instrument-2026.1.toml")
	must(t, err)
	old, err := survey.ParseInstrument(raw)
	must(t, err)
	if old.Version != "2026.1" || e.in.Version == old.Version {
		t.Fatalf("old version %s, current %s", old.Version, e.in.Version)
	}
	must(t, e.db.EnsureInstrument(t.Context(), old, raw))
	round := survey.Round{Name: "Forår 2025", Status: survey.RoundOpen, InstrumentVersion: old.Version}
	must(t, e.db.CreateRound(t.Context(), &round))
	session := e.login(e.invite(round.ID))

	pages := []struct {
		page      int
		want, not string
	}{
		{2, "også når jeg ikke kender svaret", "opgave, før alt er afklaret"},
		{8, "Jeg arbejder for fælles budgetter", "andre afdelingers mål"},
		{11, "Jeg inddrager relevante fagpersoner", "eksempler fra medarbejdernes hverdag"},
	}
	for _, p := range pages {
		body := e.do(request{path: "/survey/" + itoa(p.page), cookies: []*http.Cookie{session}}).Body.String()
		if !strings.Contains(body, p.want) || strings.Contains(body, p.not) {
			t.Errorf("page %d of the 2026.1 round: want %q, not %q", p.page, p.want, p.not)
		}
	}
	for n, c := range old.Competences {
		f := url.Values{"nav": {"next"}}
		key, _ := auth.NewToken()
		f.Set("formkey", key)
		for _, it := range c.Items {
			f.Set(it.ID, "4")
		}
		if w := e.do(request{method: "POST", path: "/survey/" + itoa(n+1), cookies: []*http.Cookie{session}, form: f}); w.Code != http.StatusSeeOther {
			t.Fatalf("saving page %d of the 2026.1 round: %d", n+1, w.Code)
		}
	}
	key, _ := auth.NewToken()
	e.do(request{method: "POST", path: "/review", cookies: []*http.Cookie{session}, form: url.Values{"formkey": {key}}})
	body := e.do(request{path: "/result", cookies: []*http.Cookie{session}}).Body.String()
	for _, want := range []string{">Tillid<", ">Forskellighed<", ">Konflikter<", "4,0"} {
		if !strings.Contains(body, want) {
			t.Errorf("the 2026.1 result lacks %q", want)
		}
	}
	for _, not := range []string{"Tillid, relationer", "Konflikthåndtering"} {
		if strings.Contains(body, not) {
			t.Errorf("the 2026.1 result shows the new label %q", not)
		}
	}

	// The current version, on a new round and in the API, has the new words.
	body = e.do(request{path: "/survey/2", cookies: []*http.Cookie{e.login(e.token)}}).Body.String()
	if !strings.Contains(body, "Jeg går forrest i en fælles opgave, før alt er afklaret.") {
		t.Error("the open 2026.2 round does not ask the new courage.1")
	}
}

// TestOldRoundKeepsItsThirdPerson: a round freezes the raters' third-person
// statements with the rest of its instrument. A rater of a round frozen
// to 2026.1 is asked 2026.1's, not those of the 2026.2 the server runs.
func TestOldRoundKeepsItsThirdPerson(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	raw, err := os.ReadFile("testdata/instrument-2026.1.toml")
	must(t, err)
	old, err := survey.ParseInstrument(raw) // it has every third-person form
	must(t, err)
	must(t, e.db.EnsureInstrument(t.Context(), old, raw))
	round := survey.Round{Name: "Forår 2025", Status: survey.RoundOpen, InstrumentVersion: old.Version}
	must(t, e.db.CreateRound(t.Context(), &round))
	links, err := e.db.ImportRaters(t.Context(), round.ID, []csvfile.RaterRow{
		{Line: 2, SubjectEmail: e.person.Email, RaterEmail: "kollega@example.dk", Relation: survey.Peer},
	}, nil)
	must(t, err)
	session := e.login(links[0].Token)
	for _, p := range []struct {
		page      int
		want, not string
	}{
		{2, "Lederen går forrest i en fælles opgave, også når vedkommende ikke kender svaret.", "opgave, før alt er afklaret"},
		{8, "Lederen arbejder for fælles budgetter", "andre afdelingers mål"},
	} {
		body := e.do(request{path: "/survey/" + itoa(p.page), cookies: []*http.Cookie{session}}).Body.String()
		if !strings.Contains(body, p.want) || strings.Contains(body, p.not) {
			t.Errorf("page %d of the 2026.1 round, for a rater: want %q, not %q:\n%s", p.page, p.want, p.not, body)
		}
	}
}
