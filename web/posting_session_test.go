package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"lederradar/internal/auth"
	"lederradar/survey"
)

// TestPostingAfterTheSessionEnded posts questionnaire pages and the submit
// through a session that ended after the leader's last page view — the
// link re-issued, the person signed in too long ago or idle too long —
// with the server's knowledge of the session from that page view (warm)
// and without it (a fresh server, cold). Every post must be refused as the
// pages are, and store nothing; a post with a bad page must not show the
// stored answers either.
func TestPostingAfterTheSessionEnded(t *testing.T) {
	t.Parallel()
	endings := []struct {
		name    string
		prepare func(e *env, clk *testClock, session *http.Cookie) // before the last page view
		end     func(e *env, clk *testClock)
	}{
		{"link re-issued", nil, func(e *env, _ *testClock) {
			_, hash := auth.NewToken()
			inv := survey.Invitation{RoundID: e.open.ID, PersonID: e.person.ID, SubjectID: e.person.ID, Relation: survey.Self}
			must(e.t, e.db.CreateInvitation(context.Background(), &inv, e.person.ID, hash))
		}},
		{"idle too long", nil, func(_ *env, clk *testClock) { clk.Add(8*time.Hour + time.Minute) }},
		{"past the hard end", func(e *env, clk *testClock, session *http.Cookie) {
			for range 3 { // active all the while: a page every seven hours
				clk.Add(7 * time.Hour)
				if w := e.do(request{path: "/survey/1", cookies: []*http.Cookie{session}}); w.Code != http.StatusOK {
					e.t.Fatalf("page 1 after %v = %d", 7*time.Hour, w.Code)
				}
			}
		}, func(_ *env, clk *testClock) { clk.Add(3*time.Hour + time.Minute) }}, // 24 hours and a minute in all
		{"person erased", nil, func(e *env, _ *testClock) {
			must(e.t, e.db.ErasePerson(context.Background(), e.person.ID, "test"))
		}},
	}
	posts := []struct {
		name string
		path string
		form func(e *env) url.Values
	}{
		{"save", "/survey/2", func(e *env) url.Values { return e.pageForm(2, "4") }},
		{"bad page", "/survey/2", func(e *env) url.Values {
			f := e.pageForm(2, "4")
			f.Set(e.in.Competences[1].Items[0].ID, "9")
			return f
		}},
		{"no such page", "/survey/99", func(e *env) url.Values { return e.pageForm(2, "4") }},
		{"submit", "/review", func(e *env) url.Values {
			key, _ := auth.NewToken()
			return url.Values{"formkey": {key}}
		}},
	}
	for _, ending := range endings {
		for _, post := range posts {
			for _, warm := range []bool{true, false} {
				name := ending.name + "/" + post.name + "/cold"
				if warm {
					name = ending.name + "/" + post.name + "/warm"
				}
				t.Run(name, func(t *testing.T) {
					e, clk := sessionEnv(t)
					session := e.login(e.token)
					first := e.pageForm(1, "2")
					if w := e.do(request{method: http.MethodPost, path: "/survey/1", form: first, cookies: []*http.Cookie{session}}); w.Code != http.StatusSeeOther {
						t.Fatalf("first save = %d", w.Code)
					}
					if ending.prepare != nil {
						ending.prepare(e, clk, session)
					}
					if warm {
						if w := e.do(request{path: "/survey/2", cookies: []*http.Cookie{session}}); w.Code != http.StatusOK {
							t.Fatalf("page 2 = %d", w.Code)
						}
					} else {
						e.restart(t)
					}
					ending.end(e, clk)
					w := e.do(request{method: http.MethodPost, path: post.path, form: post.form(e), cookies: []*http.Cookie{session}})
					if w.Code != http.StatusUnauthorized {
						t.Fatalf("POST %s = %d, want 401:\n%s", post.path, w.Code, w.Body.String())
					}
					if ending.name == "person erased" {
						return // nothing of theirs is left to look at
					}
					got := e.answers(e.open.ID)
					for _, it := range e.in.Competences[1].Items {
						if _, ok := got[it.ID]; ok {
							t.Errorf("item %s was stored through an ended session", it.ID)
						}
					}
					r, err := e.db.FindResponse(context.Background(), e.open.ID, e.person.ID, e.person.ID)
					must(t, err)
					if !r.SubmittedAt.IsZero() {
						t.Error("submitted through an ended session")
					}
					if strings.Contains(w.Body.String(), `name="formkey"`) {
						t.Error("the refusal shows the questionnaire")
					}
				})
			}
		}
	}

	t.Run("a live session posts from what it knew", func(t *testing.T) {
		e, clk := sessionEnv(t)
		session := e.login(e.token)
		if w := e.do(request{path: "/survey/1", cookies: []*http.Cookie{session}}); w.Code != http.StatusOK {
			t.Fatalf("page 1 = %d", w.Code)
		}
		// Seven hours of answering, a page every half hour: never idle for
		// eight hours, and each save keeps the session alive by itself.
		for i := range 14 {
			clk.Add(30 * time.Minute)
			n := i%len(e.in.Competences) + 1
			if w := e.do(request{method: http.MethodPost, path: "/survey/" + strconv.Itoa(n), form: e.pageForm(n, "5"), cookies: []*http.Cookie{session}}); w.Code != http.StatusSeeOther {
				t.Fatalf("save %d = %d", i, w.Code)
			}
		}
		clk.Add(7*time.Hour + 59*time.Minute)
		key, _ := auth.NewToken()
		if w := e.do(request{method: http.MethodPost, path: "/review", form: url.Values{"formkey": {key}}, cookies: []*http.Cookie{session}}); w.Code != http.StatusSeeOther {
			t.Fatalf("submit = %d: the saves did not keep the session alive", w.Code)
		}
	})
}
