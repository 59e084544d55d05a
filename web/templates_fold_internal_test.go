package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/internal/orggen"
	"lederradar/survey"
)

// TestFoldedPagesEqualUnfolded proves the start-up folding of fixed texts
// (foldTexts) changes no byte of any page: it walks the demo organisation
// as a leader at three stages, as HR and as an administrator, in both
// languages, following every link, and renders each page it met both with
// the folded template sets and with the templates as written.
func TestFoldedPagesEqualUnfolded(t *testing.T) {
	ctx := context.Background()
	db, err := data.Open(filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	in, err := survey.DefaultInstrument()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.EnsureInstrument(ctx, in, survey.DefaultInstrumentFile()); err != nil {
		t.Fatal(err)
	}
	links, err := orggen.SeedDemo(ctx, db, in, rand.New(rand.NewPCG(7, 7)), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{DB: db, Instrument: in, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "http://127.0.0.1:8080"})
	if err != nil {
		t.Fatal(err)
	}
	type rendered struct {
		name string
		lang survey.Lang
		view any
	}
	var seen []rendered
	s.renderHook = func(name string, lang survey.Lang, view any) {
		seen = append(seen, rendered{name, lang, view})
	}
	h := s.Handler()
	send := func(method, target string, form url.Values, cookies []*http.Cookie) *httptest.ResponseRecorder {
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req := httptest.NewRequest(method, target, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		for _, ck := range cookies {
			req.AddCookie(ck)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	callers := map[string]*http.Cookie{"anonymous": nil, "hr": staffCookie(t, s, db, survey.RoleHR, "fold.example.dk"), "admin": staffCookie(t, s, db, survey.RoleAdmin, "fold.example.dk")}
	for _, l := range links {
		rec := send(http.MethodGet, "/i/"+l.Token, nil, nil)
		for _, ck := range rec.Result().Cookies() {
			if ck.Name == s.cookieName(sessionCookie) {
				callers["leader "+l.State] = ck
			}
		}
	}
	if len(callers) != 3+len(links) {
		t.Fatalf("%d callers, want %d", len(callers), 3+len(links))
	}

	closedLink := closedRoundLink(t, db)

	// Links, and forms that only read (the erase page is one).
	href := regexp.MustCompile(`(?:href|<form method="get" action)="(/[^"#]*)"`)
	skip := regexp.MustCompile(`^/(static/|i/|my-data|api/)|\.(csv|xlsx)$`)
	for _, lang := range survey.Langs() {
		langCk := &http.Cookie{Name: s.cookieName(langCookie), Value: string(lang)}
		for who, ck := range callers {
			cookies := []*http.Cookie{langCk}
			if ck != nil {
				cookies = append(cookies, ck)
			}
			queue := []string{"/", "/login", "/hr", "/admin", "/survey/1", "/review", "/result", "/no-such-page"}
			visited := map[string]bool{}
			for len(queue) > 0 && len(visited) < 150 {
				target := queue[0]
				queue = queue[1:]
				if visited[target] {
					continue
				}
				visited[target] = true
				rec := send(http.MethodGet, target, nil, cookies)
				for _, m := range href.FindAllStringSubmatch(rec.Body.String(), -1) {
					u := strings.ReplaceAll(m[1], "&amp;", "&")
					if !skip.MatchString(u) && !visited[u] {
						queue = append(queue, u)
					}
				}
			}
			if strings.HasPrefix(who, "leader") {
				// A page sent with an answer off the scale: the error state.
				send(http.MethodPost, "/survey/2", url.Values{"formkey": {"fold-" + who + string(lang)}, in.Competences[1].Items[0].ID: {"9"}, "nav": {"next"}}, cookies)
			}
		}
		send(http.MethodPost, "/login", url.Values{"email": {"nobody@example.dk"}, "password": {"wrong password here"}}, []*http.Cookie{langCk})
		// A closed round's link in a new browser.
		send(http.MethodGet, "/i/"+closedLink, nil, []*http.Cookie{langCk})
	}

	unfolded, err := parsePages(s.assets, s.catalogues, false)
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, r := range seen {
		var folded, plain bytes.Buffer
		if err := s.pages[r.lang][r.name].ExecuteTemplate(&folded, "layout", r.view); err != nil {
			t.Fatalf("%s (%s) folded: %v", r.name, r.lang, err)
		}
		if err := unfolded[r.lang][r.name].ExecuteTemplate(&plain, "layout", r.view); err != nil {
			t.Fatalf("%s (%s) as written: %v", r.name, r.lang, err)
		}
		if !bytes.Equal(folded.Bytes(), plain.Bytes()) {
			a, b := folded.String(), plain.String()
			i := 0
			for i < len(a) && i < len(b) && a[i] == b[i] {
				i++
			}
			t.Fatalf("%s (%s) differs at byte %d:\nfolded:     %.120q\nas written: %.120q", r.name, r.lang, i, a[i:], b[i:])
		}
		covered[string(r.lang)+" "+r.name] = true
	}
	for _, lang := range survey.Langs() {
		for _, name := range pageNames {
			if !covered[string(lang)+" "+name] {
				t.Errorf("page %s was never rendered in %s: the walk misses it", name, lang)
			}
		}
	}
	t.Logf("%d renders of %d page×language pairs compared", len(seen), len(covered))
}

// closedRoundLink gives someone a link to a closed round of the demo and
// returns it.
func closedRoundLink(t *testing.T, db *data.DB) string {
	t.Helper()
	ctx := context.Background()
	rounds, err := db.FindRounds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	people, err := db.FindPeople(ctx)
	if err != nil || len(people) == 0 {
		t.Fatalf("demo people: %d, %v", len(people), err)
	}
	for _, r := range rounds {
		if r.Status == survey.RoundClosed {
			token, hash := auth.NewToken()
			inv := survey.Invitation{RoundID: r.ID, PersonID: people[0].ID, Relation: survey.Self}
			if err := db.CreateInvitation(ctx, &inv, people[0].ID, hash); err != nil {
				t.Fatal(err)
			}
			return token
		}
	}
	t.Fatal("the demo has no closed round")
	return ""
}
