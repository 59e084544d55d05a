package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// TestNoEnglishOnDanishPages renders every page a visitor, a leader, HR
// and an administrator can reach, and every refusal and error page, in
// Danish, and fails on any English message or raw code in what a person
// reads: a text of the English catalogue, English words such as "the" or
// "already", or codes such as profile.view and round:2 (issue 14).
func TestNoEnglishOnDanishPages(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	ctx := t.Context()
	// The audit log holds an entry of every shape the command line and
	// the system write, so that its page is checked in words.
	for _, a := range []survey.AuditEntry{
		{Actor: "cli", Action: "import.people", Detail: "created 3, updated 1 people; 2 new groups"},
		{Actor: "cli", Action: "import.responses", Target: fmt.Sprintf("round:%d", e.closed.ID), Detail: "12 responses"},
		{Actor: "cli", Action: "round.open", Target: fmt.Sprintf("round:%d", e.open.ID), Detail: "draft → open"},
		{Actor: "cli", Action: "round.create", Target: "round:99", Detail: "status draft"},
		{Actor: "cli", Action: "user.add", Target: "user:1", Detail: "role hr"},
		{Actor: "cli", Action: "token.create", Target: "token:1", Detail: "role hr"},
		{Actor: "cli", Action: "invitations.reissue", Target: fmt.Sprintf("round:%d", e.open.ID), Detail: "12 links, 3 re-issued (their old links stopped working)"},
		{Actor: "cli", Action: "backup"},
		{Actor: "system", Action: "retention.delete", Target: "round:98", Detail: "closed 2023-03-31 10:00:00"},
		{Actor: "leader:1", Action: "mydata.download", Target: "person:1"},
		{Actor: "token:1", Action: "api.profiles", Target: fmt.Sprintf("round:%d", e.closed.ID)},
		{Actor: "cli", Action: "person.erase", Target: "person:77"},
		{Actor: "user:2", Action: "round.settings", Target: fmt.Sprintf("round:%d", e.open.ID), Detail: "360, limits 1/3/0"},
		{Actor: "user:2", Action: "round.settings", Target: fmt.Sprintf("round:%d", e.open.ID), Detail: "self, limits 0/0/0"},
		{Actor: "user:2", Action: "import.raters", Target: fmt.Sprintf("round:%d", e.open.ID), Detail: "4 raters"},
		{Actor: "user:2", Action: "rater_links.issue", Target: fmt.Sprintf("round:%d", e.open.ID), Detail: "4 links"},
		{Actor: "leader:1", Action: "nomination.add", Target: fmt.Sprintf("round:%d", e.open.ID), Detail: "relation employee"},
		{Actor: "leader:1", Action: "nomination.remove", Target: fmt.Sprintf("round:%d", e.open.ID)},
	} {
		must(t, e.db.AddAudit(ctx, a))
	}
	leader := e.login(e.token)
	closedLeader := e.closedSession()
	// Two 360 raters of the leader: one answering, one who has submitted.
	raterLinks, err := e.db.ImportRaters(ctx, e.open.ID, []csvfile.RaterRow{
		{Line: 2, SubjectEmail: e.person.Email, RaterEmail: "kollega@example.dk", Relation: survey.Peer},
		{Line: 3, SubjectEmail: e.person.Email, RaterEmail: "chef@example.dk", Relation: survey.Manager},
	}, nil)
	must(t, err)
	rater, raterDone := e.login(raterLinks[0].Token), e.login(raterLinks[1].Token)
	if w := e.do(request{method: "POST", path: "/review", cookies: []*http.Cookie{raterDone}, form: url.Values{"formkey": {"rater-done"}}}); w.Code != http.StatusSeeOther {
		t.Fatalf("a rater's submit: %d", w.Code)
	}
	// Ada in a 360 round, open, and closed with a relation hidden.
	open360, _ := e.threeSixty(t, "360 åben", raters360{peers: 5, reports: 5, open: true})
	closed360, _ := e.threeSixty(t, "360 lukket", raters360{managers: 1, peers: 5, reports: 5})
	roles := map[string][]*http.Cookie{"public": nil, "leader": {leader}, "leader-closed": {closedLeader}, "rater": {rater}, "rater-done": {raterDone},
		"hr": {e.hr}, "admin": {e.admin}, "leader-360-open": {open360}, "leader-360-closed": {closed360}}
	// The open round asks others too: the leader has nominated one, so
	// the nominations page shows its list and the round page its raters.
	must(t, e.db.SetRoundSettings(ctx, e.open.ID, data.RoundSettings{Kind: survey.ThreeSixty, Limits: survey.NominationLimits{Manager: 1, Peer: 2}}))
	must(t, e.db.NominateRater(ctx, e.open.ID, e.person.ID, "kollega2@example.dk", survey.Peer))
	// HR's views and exports, first, so that the audit log has them.
	for _, path := range []string{"profiles.csv", "profiles.xlsx", "items.csv", "heatmap", "groups/organisation"} {
		e.do(request{path: fmt.Sprintf("/hr/rounds/%d/%s", e.closed.ID, path), cookies: roles["hr"]})
	}

	// 360 rounds, closed (a group shown, one suppressed) and open.
	hrClosed360 := e.raterRound(t, "360 lukket (HR)", true, raterValue, everyRater)
	hrOpen360 := e.raterRound(t, "360 åben (HR)", false, raterValue, func(r string) bool { return r == "chef-a@example.dk" })
	params := map[string][]string{
		":round":  {fmt.Sprint(e.closed.ID), fmt.Sprint(e.open.ID), fmt.Sprint(hrClosed360.ID), fmt.Sprint(hrOpen360.ID)},
		":group":  {"organisation", fmt.Sprintf("department-%d", e.deptA.ID), fmt.Sprintf("team-%d", e.team.ID)},
		":person": {fmt.Sprint(e.people[0].ID), "new"},
		":page":   {"1", "11"},
		":token":  {"abc"},
	}
	check := newEnglishCheck(t)
	walked := 0
	for _, route := range e.server.Routes() {
		method, path, _ := strings.Cut(route, " ")
		if method != http.MethodGet || strings.HasPrefix(path, "/static/") || strings.HasPrefix(path, "/api/") {
			continue
		}
		for _, p := range expand(path, params) {
			for role, cookies := range roles {
				w := e.do(request{path: p, cookies: cookies})
				if !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
					continue
				}
				walked++
				check.page(t, fmt.Sprintf("GET %s as %s (%d)", p, role, w.Code), w.Body.String())
			}
		}
	}
	if walked < 60 {
		t.Errorf("walked only %d pages; are the routes still found?", walked)
	}

	formKey := func() string { k, _ := auth.NewToken(); return k }
	admin, hr := roles["admin"], roles["hr"]
	refusals := []struct {
		name       string
		req        request
		wantStatus int
	}{
		{"round closes before it opens", request{method: "POST", path: "/admin/rounds", cookies: admin, form: url.Values{"name": {"Ny"}, "opens": {"2027-05-01"}, "closes": {"2027-04-01"}}}, 400},
		{"round name taken", request{method: "POST", path: "/admin/rounds", cookies: admin, form: url.Values{"name": {e.open.Name}}}, 400},
		{"round without a name", request{method: "POST", path: "/admin/rounds", cookies: admin, form: url.Values{"name": {" "}}}, 400},
		{"round name too long", request{method: "POST", path: "/admin/rounds", cookies: admin, form: url.Values{"name": {strings.Repeat("x", 101)}}}, 400},
		{"round date not a date", request{method: "POST", path: "/admin/rounds", cookies: admin, form: url.Values{"name": {"Ny"}, "opens": {"31/12"}}}, 400},
		{"person without a name", request{method: "POST", path: "/admin/people/new", cookies: admin, form: url.Values{"name": {""}, "email": {"ny@example.dk"}}}, 400},
		{"person with a bad e-mail", request{method: "POST", path: "/admin/people/new", cookies: admin, form: url.Values{"name": {"Ny"}, "email": {"ikke en adresse"}}}, 400},
		{"person e-mail taken", request{method: "POST", path: "/admin/people/new", cookies: admin, form: url.Values{"name": {"Ny"}, "email": {e.people[1].Email}}}, 400},
		{"department name taken", request{method: "POST", path: "/admin/groups", cookies: admin, form: url.Values{"kind": {"department"}, "name": {e.deptA.Name}}}, 400},
		{"team name taken", request{method: "POST", path: "/admin/groups", cookies: admin, form: url.Values{"kind": {"team"}, "name": {e.team.Name}}}, 400},
		{"group without a name", request{method: "POST", path: "/admin/groups", cookies: admin, form: url.Values{"kind": {"team"}, "name": {""}}}, 400},
		{"group of no kind", request{method: "POST", path: "/admin/groups", cookies: admin, form: url.Values{"kind": {"klub"}, "name": {"X"}}}, 400},
		{"rename to a taken name", request{method: "POST", path: fmt.Sprintf("/admin/groups/%d", e.deptB.ID), cookies: admin, form: url.Values{"name": {e.deptA.Name}}}, 400},
		{"import without a file", request{method: "POST", path: "/admin/import", cookies: admin, form: url.Values{}}, 400},
		{"closed round opened again", request{method: "POST", path: fmt.Sprintf("/admin/rounds/%d/open", e.closed.ID), cookies: admin}, 0},
		{"answer off the scale", request{method: "POST", path: "/survey/1", cookies: roles["leader"], form: e.pageForm(1, "9")}, 400},
		{"answer to no item", request{method: "POST", path: "/survey/2", cookies: roles["leader"], form: e.pageForm(1, "3")}, 400},
		{"answer without form key", request{method: "POST", path: "/survey/1", cookies: roles["leader"], form: url.Values{"trust.1": {"3"}}}, 400},
		{"saving in a closed round", request{method: "POST", path: "/survey/1", cookies: roles["leader-closed"], form: e.pageForm(1, "3")}, 409},
		{"submitting in a closed round", request{method: "POST", path: "/review", cookies: roles["leader-closed"], form: url.Values{"formkey": {formKey()}}}, 409},
		{"saving without a session", request{method: "POST", path: "/survey/1", form: e.pageForm(1, "3")}, 401},
		{"wrong password", request{method: "POST", path: "/login", form: url.Values{"email": {"hr@example.dk"}, "password": {"forkert forkert"}}}, 0},
		{"unknown language", request{method: "POST", path: "/language", form: url.Values{"lang": {"xx"}}}, 400},
		{"HR on an administrator's page", request{path: "/admin/rounds", cookies: hr}, 403},
		{"heatmap of an open round", request{path: fmt.Sprintf("/hr/rounds/%d/heatmap", e.open.ID), cookies: hr}, 409},
		{"no such round", request{path: "/hr/rounds/9999", cookies: hr}, 404},
		{"no such page", request{path: "/findes-ikke"}, 404},
		{"wrong method", request{method: "DELETE", path: "/"}, 405},
		{"oversized form", request{method: "POST", path: "/survey/1", cookies: roles["leader"], body: "formkey=" + strings.Repeat("a", 70<<10)}, 413},
		{"a rater's answer off the scale", request{method: "POST", path: "/survey/1", cookies: roles["rater"], form: e.pageForm(1, "9")}, 400},
		{"a rater on the result", request{path: "/result", cookies: roles["rater"]}, 404},
		{"nominating oneself", request{method: "POST", path: "/nominations", cookies: roles["leader"], form: url.Values{"email": {e.person.Email}, "relation": {"peer"}}}, 400},
		{"nominating without a relation", request{method: "POST", path: "/nominations", cookies: roles["leader"], form: url.Values{"email": {"ny@example.dk"}}}, 400},
		{"nominating the same twice", request{method: "POST", path: "/nominations", cookies: roles["leader"], form: url.Values{"email": {"kollega@example.dk"}, "relation": {"manager"}}}, 409},
		{"nominating a relation the round leaves out", request{method: "POST", path: "/nominations", cookies: roles["leader"], form: url.Values{"email": {"ny@example.dk"}, "relation": {"employee"}}}, 409},
		{"nominating in a closed round", request{method: "POST", path: "/nominations", cookies: roles["leader-closed"], form: url.Values{"email": {"ny@example.dk"}, "relation": {"peer"}}}, 409},
		{"a limit not a number", request{method: "POST", path: fmt.Sprintf("/admin/rounds/%d/settings", e.open.ID), cookies: admin, form: url.Values{"kind": {"360"}, "nominate_peer": {"x"}}}, 400},
		{"a 360 round with raters made self-only", request{method: "POST", path: fmt.Sprintf("/admin/rounds/%d/settings", e.open.ID), cookies: admin, form: url.Values{"kind": {"self"}}}, 400},
		{"raters of an unknown leader", raterUpload(e.open.ID, admin[0], "subject_email;rater_email;relation\nukendt@example.dk;a@example.dk;peer\nukendt@example.dk;b@example.dk;chef\nukendt@example.dk;ukendt@example.dk;x\n"), 400},
		{"raters without a file", request{method: "POST", path: fmt.Sprintf("/admin/rounds/%d/raters", e.open.ID), cookies: admin, form: url.Values{}}, 400},
	}
	for _, r := range refusals {
		w := e.do(r.req)
		if r.wantStatus != 0 && w.Code != r.wantStatus {
			t.Errorf("%s: status %d, want %d", r.name, w.Code, r.wantStatus)
		}
		if !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
			if w.Code >= 400 {
				t.Errorf("%s: %d without a page", r.name, w.Code)
			}
			continue
		}
		check.page(t, r.name, w.Body.String())
	}

	// A rater's link and pages once the round has closed, in a round of
	// their own.
	re := newRaterEnv(t)
	peer := re.login(re.peer)
	must(t, re.db.SetRoundStatus(ctx, re.open.ID, survey.RoundClosed))
	for _, r := range []request{{path: "/i/" + re.manager}, {path: "/survey", cookies: []*http.Cookie{peer}}, {path: "/thanks", cookies: []*http.Cookie{peer}}} {
		w := re.do(r)
		if w.Code != http.StatusForbidden {
			t.Errorf("a rater's %s after close: %d, want 403", r.path, w.Code)
		}
		check.page(t, "a rater's "+r.path+" after close", w.Body.String())
	}
}

// expand fills a route's parameters with every value given for them.
func expand(path string, params map[string][]string) []string {
	out := []string{path}
	for name, values := range params {
		var next []string
		for _, p := range out {
			if !strings.Contains(p, name) {
				next = append(next, p)
				continue
			}
			for _, v := range values {
				next = append(next, strings.Replace(p, name, v, 1))
			}
		}
		out = next
	}
	return out
}

// englishCheck finds English in a Danish page's readable text.
type englishCheck struct {
	phrases []string // fixed parts of the English catalogue's messages
}

var (
	// Words of English messages that Danish text does not use.
	englishWords = regexp.MustCompile(`\b(the|is|are|must|already|exists|required|before|cannot|could|your|please|rows|created|updated|closes|opens|invalid|failed|not found)\b`)
	// Codes: audit actions (profile.view, export.profiles_csv) and
	// references (round:2). Item ids (trust.1) have a digit and pass.
	rawCodes = regexp.MustCompile(`\b[a-z]{3,}[._][a-z_]{3,}\b|\b(user|round|group|person|token|leader):\d+`)
	// What is no sentence: e-mail addresses and host names.
	addresses = regexp.MustCompile(`[\w.+-]+@[\w.-]+|\b[\w-]+(\.[\w-]+)*\.(dk|com|org|example)\b`)
	// Elements a person does not read, or reads in English on purpose.
	unread   = regexp.MustCompile(`(?s)<script\b.*?</script>|<style\b.*?</style>|<(span|a|p|button)\b[^>]*\blang="en"[^>]*>.*?</(span|a|p|button)>`)
	tags     = regexp.MustCompile(`(?s)<[^>]*>`)
	readable = regexp.MustCompile(`\b(aria-label|title|alt|placeholder)="([^"]*)"`)
	verbs    = regexp.MustCompile(`%(\[\d+\])?[sdv]`)
)

func newEnglishCheck(t *testing.T) *englishCheck {
	t.Helper()
	read := func(path string) map[string]string {
		b, err := os.ReadFile(path)
		must(t, err)
		tree := map[string]any{}
		must(t, toml.Unmarshal(b, &tree))
		flat := map[string]string{}
		var walk func(prefix string, m map[string]any)
		walk = func(prefix string, m map[string]any) {
			for k, v := range m {
				switch v := v.(type) {
				case string:
					flat[prefix+k] = v
				case map[string]any:
					walk(prefix+k+".", v)
				}
			}
		}
		walk("", tree)
		return flat
	}
	da, en := read("locales/da.toml"), read("locales/en.toml")
	c := &englishCheck{}
	for key, msg := range en {
		if msg == da[key] {
			continue
		}
		for _, part := range verbs.Split(msg, -1) {
			part = strings.TrimSpace(part)
			if len(strings.Fields(part)) >= 2 && len(part) >= 10 {
				c.phrases = append(c.phrases, part)
			}
		}
	}
	if len(c.phrases) < 200 {
		t.Fatalf("only %d English phrases to look for", len(c.phrases))
	}
	return c
}

// page fails for English text or raw codes in body's readable text.
func (c *englishCheck) page(t *testing.T, name, body string) {
	t.Helper()
	var text strings.Builder
	for _, m := range readable.FindAllStringSubmatch(body, -1) {
		text.WriteString(html.UnescapeString(m[2]) + "\n")
	}
	visible := html.UnescapeString(tags.ReplaceAllString(unread.ReplaceAllString(body, " "), "\n"))
	text.WriteString(visible)
	s := addresses.ReplaceAllString(text.String(), " ")
	for _, p := range c.phrases {
		if strings.Contains(s, p) {
			t.Errorf("%s: English message %q", name, p)
		}
	}
	for _, m := range englishWords.FindAllStringIndex(s, 5) {
		t.Errorf("%s: English word %q in %q", name, s[m[0]:m[1]], around(s, m))
	}
	for _, m := range rawCodes.FindAllStringIndex(s, 5) {
		t.Errorf("%s: raw code %q in %q", name, s[m[0]:m[1]], around(s, m))
	}
}

// around is the line of s that holds the match m, for a readable failure.
func around(s string, m []int) string {
	start := strings.LastIndex(s[:m[0]], "\n") + 1
	end := strings.Index(s[m[1]:], "\n")
	if end < 0 {
		end = len(s) - m[1]
	}
	return strings.TrimSpace(s[start : m[1]+end])
}
