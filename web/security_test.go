package web_test

// Security tests that walk the router's own route list (web.Server.Routes),
// so a route added later is covered the day it is added:
//
//   - TestSecurityHeadersOnEveryRoute: the full header set on every
//     response, errors and redirects included.
//   - TestRouteAccessMatrix: route × principal against an explicit allow-list;
//     a route without an entry fails the test until someone classifies it.
//   - TestLeaderDataStaysWithItsOwner: leader B never sees leader A's data.
//   - TestHostileTextRendersAsText: hostile names on every page, in every
//     chart and in every export.
//
// Each prints its figures (go test -v -run NAME ./web/); docs/assurance.md
// quotes them.

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lederradar/survey"
)

// secRoute is one row of the allow-list: who may use a route, and how to
// make a request to it that an allowed principal would succeed with.
type secRoute struct {
	// allow lists the principals (see secPrincipals) the route lets
	// through; secPublic means the route is public.
	allow []string
	// path fills the pattern's parameters; nil fills them from
	// secEnv.fill.
	path func(e *secEnv) string
	// body returns the request body and its content type; nil sends none.
	body func(e *secEnv) (string, string)
}

var (
	secPublic  = []string{"*"}
	secLeaders = []string{"leaderA", "leaderB"}
	// secRespondents are the leaders and a 360 rater: the questionnaire's
	// pages, about whom the session says.
	secRespondents = []string{"leaderA", "leaderB", "rater"}
	secHROnly      = []string{"hr"}
	secAdminOnly   = []string{"admin"}
	secStaff       = []string{"hr", "admin"}
	secHRAPI       = []string{"apiHR"}
)

func secForm(v url.Values) func(*secEnv) (string, string) {
	return func(*secEnv) (string, string) { return v.Encode(), "application/x-www-form-urlencoded" }
}

// secRoutes is the allow-list: every route the server has must be here.
// Anything a principal is not listed for must be refused.
func secRoutes() map[string]secRoute {
	return map[string]secRoute{
		// Public pages and the log-in itself.
		"GET /healthz":           {allow: secPublic},
		"GET /static/*file":      {allow: secPublic},
		"GET /":                  {allow: secPublic},
		"POST /language":         {allow: secPublic, body: secForm(url.Values{"lang": {"da"}, "return": {"/"}})},
		"GET /accessibility":     {allow: secPublic},
		"GET /privacy":           {allow: secPublic},
		"GET /login":             {allow: secPublic},
		"POST /login":            {allow: secPublic, body: secForm(url.Values{"email": {"hr@example.dk"}, "password": {secPassword}})},
		"POST /logout":           {allow: secPublic},
		"GET /api/v1/instrument": {allow: secPublic},
		// The API's description holds no data.
		"GET /api/v1/openapi.json": {allow: secPublic},
		// The personal link is itself the credential: whoever holds it is
		// let in, as that leader.
		"GET /i/:token": {allow: secPublic},

		// A leader's own pages: the session says whose.
		"GET /start":        {allow: secRespondents},
		"GET /survey":       {allow: secRespondents},
		"GET /survey/:page": {allow: secRespondents},
		"POST /survey/:page": {allow: secRespondents, body: func(e *secEnv) (string, string) {
			f := url.Values{"formkey": {secFormKey()}, "nav": {"next"}}
			for _, it := range e.in.Competences[0].Items {
				f.Set(it.ID, "3")
			}
			return f.Encode(), "application/x-www-form-urlencoded"
		}},
		"GET /review": {allow: secRespondents},
		"POST /review": {allow: secRespondents, body: func(*secEnv) (string, string) {
			return url.Values{"formkey": {secFormKey()}}.Encode(), "application/x-www-form-urlencoded"
		}},
		// The leader's result: never a rater's.
		"GET /result":  {allow: secLeaders},
		"GET /thanks":  {allow: secRespondents},
		"GET /my-data": {allow: secRespondents},
		// Nominations: a leader's own, in the open 360 round.
		"GET /nominations": {allow: secLeaders},
		"POST /nominations": {allow: secLeaders, body: func(e *secEnv) (string, string) {
			return url.Values{"email": {fmt.Sprintf("=kollega.%d@example.dk", e.next())}, "relation": {"peer"}}.Encode(), "application/x-www-form-urlencoded"
		}},
		// Leader A's own nomination, made afresh: B's session finds none.
		"POST /nominations/:nomination/remove": {allow: []string{"leaderA"}, path: func(e *secEnv) string {
			return fmt.Sprintf("/nominations/%d/remove", e.nominationOfA())
		}},
		// A team's own map: its members' only; leader A is on the team,
		// leader B is not. No HR or administrator route reaches it.
		"GET /teams":        {allow: secLeaders},
		"GET /teams/:group": {allow: []string{"leaderA"}, path: func(e *secEnv) string { return fmt.Sprintf("/teams/%d", e.teamOfA()) }},
		"POST /teams/:group/consent": {allow: []string{"leaderA"}, body: secForm(url.Values{"confirm": {"yes"}}),
			path: func(e *secEnv) string { return fmt.Sprintf("/teams/%d/consent", e.teamOfA()) }},
		"POST /teams/:group/withdraw": {allow: []string{"leaderA"},
			path: func(e *secEnv) string { return fmt.Sprintf("/teams/%d/withdraw", e.teamOfA()) }},

		// The leader's development plan, its packet and shares: their own,
		// never a rater's, HR's or an administrator's.
		"GET /plan":        {allow: secLeaders},
		"POST /plan":       {allow: secLeaders, body: secForm(url.Values{"focus1": {"trust"}})},
		"GET /plan/packet": {allow: secLeaders},
		"GET /shares":      {allow: secLeaders},
		"POST /shares":     {allow: secLeaders, body: secForm(url.Values{"recipient": {"Chef " + xssImg}, "days": {"30"}})},
		"POST /shares/:share/revoke": {allow: []string{"leaderA"}, path: func(e *secEnv) string {
			return fmt.Sprintf("/shares/%d/revoke", e.shareOf(e.a.ID).ID)
		}},
		// A share: the link is the credential, as a personal link is; the
		// one here is leader B's.
		"GET /s/:token": {allow: secPublic, path: func(e *secEnv) string { return "/s/" + e.shareToken(e.b.ID) }},
		// Single sign-on starts and returns in public (the server here has
		// none: 404). A leader signed in with it lists her rounds and opens
		// her own invitation; the session reaches nothing else.
		"GET /login/sso":          {allow: secPublic},
		"GET /login/sso/callback": {allow: secPublic},
		"GET /my-rounds":          {allow: []string{"personA"}},
		"POST /my-rounds/:invitation": {allow: []string{"personA"},
			path: func(e *secEnv) string { return fmt.Sprintf("/my-rounds/%d", e.invA) }},

		"POST /session/extend": {allow: secStaff},

		// HR: aggregates only.
		"GET /hr":                             {allow: secHROnly},
		"GET /hr/rounds/:round":               {allow: secHROnly},
		"GET /hr/rounds/:round/groups/:group": {allow: secHROnly},
		"GET /hr/rounds/:round/groups/:group/others": {allow: secHROnly,
			path: func(e *secEnv) string {
				return fmt.Sprintf("/hr/rounds/%d/groups/organisation/others", e.threeSixty.ID)
			}},
		"GET /hr/rounds/:round/heatmap":               {allow: secHROnly},
		"GET /hr/rounds/:round/instrument-health":     {allow: secHROnly},
		"GET /hr/rounds/:round/profiles.csv":          {allow: secHROnly},
		"GET /hr/rounds/:round/profiles.xlsx":         {allow: secHROnly},
		"GET /hr/rounds/:round/items.csv":             {allow: secHROnly},
		"GET /api/v1/rounds":                          {allow: secHRAPI},
		"GET /api/v1/rounds/:round/profiles":          {allow: secHRAPI},
		"GET /api/v1/rounds/:round/instrument-health": {allow: secHRAPI},

		// Administrators: configuration, no answers.
		"GET /admin":                {allow: secAdminOnly},
		"GET /admin/people":         {allow: secAdminOnly},
		"GET /admin/people/:person": {allow: secAdminOnly},
		"POST /admin/people/:person": {allow: secAdminOnly, body: func(e *secEnv) (string, string) {
			return url.Values{"name": {e.editPerson.Name}, "email": {e.editPerson.Email}, "department": {fmt.Sprint(e.editPerson.DepartmentID)}}.Encode(), "application/x-www-form-urlencoded"
		}},
		"GET /admin/people/:person/erase": {allow: secAdminOnly},
		"POST /admin/people/:person/erase": {allow: secAdminOnly,
			path: func(e *secEnv) string { return fmt.Sprintf("/admin/people/%d/erase", e.erasePerson.ID) },
			body: func(e *secEnv) (string, string) {
				return url.Values{"confirm": {"yes"}, "confirm_email": {e.erasePerson.Email}}.Encode(), "application/x-www-form-urlencoded"
			}},
		"POST /admin/groups": {allow: secAdminOnly, body: func(e *secEnv) (string, string) {
			return url.Values{"kind": {"team"}, "name": {fmt.Sprintf("Nyt team %d %s", e.next(), xssSvg)}}.Encode(), "application/x-www-form-urlencoded"
		}},
		"POST /admin/groups/:group": {allow: secAdminOnly,
			path: func(e *secEnv) string { return fmt.Sprintf("/admin/groups/%d", e.renameGroup.ID) },
			body: func(e *secEnv) (string, string) {
				return url.Values{"name": {fmt.Sprintf("Omdøbt %d %s", e.next(), xssImg)}}.Encode(), "application/x-www-form-urlencoded"
			}},
		"GET /admin/groups/:group/delete": {allow: secAdminOnly,
			path: func(e *secEnv) string { return fmt.Sprintf("/admin/groups/%d/delete", e.renameGroup.ID) }},
		"POST /admin/groups/:group/delete": {allow: secAdminOnly,
			path: func(e *secEnv) string { return fmt.Sprintf("/admin/groups/%d/delete", e.dropGroup.ID) },
			body: secForm(url.Values{"confirm": {"yes"}})},
		"GET /admin/import":  {allow: secAdminOnly},
		"POST /admin/import": {allow: secAdminOnly, body: secUpload("email;name;department;teams\nny.person@example.dk;Ny Person;" + xssScript + " Import;\n")},
		"GET /admin/rounds":  {allow: secAdminOnly},
		"POST /admin/rounds": {allow: secAdminOnly, body: func(e *secEnv) (string, string) {
			return url.Values{"name": {fmt.Sprintf("Ny runde %d %s", e.next(), xssScript)}}.Encode(), "application/x-www-form-urlencoded"
		}},
		"GET /admin/rounds/:round": {allow: secAdminOnly},
		"POST /admin/rounds/:round/open": {allow: secAdminOnly,
			path: func(e *secEnv) string { return fmt.Sprintf("/admin/rounds/%d/open", e.draft.ID) }},
		"POST /admin/rounds/:round/close": {allow: secAdminOnly,
			path: func(e *secEnv) string { return fmt.Sprintf("/admin/rounds/%d/close", e.toClose.ID) },
			body: secForm(url.Values{"confirm": {"yes"}})},
		"POST /admin/rounds/:round/invitations": {allow: secAdminOnly,
			path: func(e *secEnv) string { return fmt.Sprintf("/admin/rounds/%d/invitations", e.invite.ID) },
			body: secForm(url.Values{"mode": {"all"}, "confirm": {"yes"}})},
		"POST /admin/rounds/:round/settings": {allow: secAdminOnly,
			path: func(e *secEnv) string { return fmt.Sprintf("/admin/rounds/%d/settings", e.draft.ID) },
			body: secForm(url.Values{"kind": {"360"}, "manager_shown": {"yes"}, "nominate_peer": {"3"}})},
		"POST /admin/rounds/:round/raters": {allow: secAdminOnly,
			path: func(e *secEnv) string { return fmt.Sprintf("/admin/rounds/%d/raters", e.invite.ID) },
			body: func(e *secEnv) (string, string) {
				return secUpload(fmt.Sprintf("subject_email;rater_email;relation\n%s;=bedømmer.%d@example.dk;peer\n", e.a.Email, e.next()))(e)
			}},
		"POST /admin/rounds/:round/rater-links": {allow: secAdminOnly,
			path: func(e *secEnv) string { return fmt.Sprintf("/admin/rounds/%d/rater-links", e.invite.ID) }},
		// Mail is off here: the page says so (303); web/admin_round_mail_test.go
		// sends with mail on.
		"POST /admin/rounds/:round/mail": {allow: secAdminOnly,
			path: func(e *secEnv) string { return fmt.Sprintf("/admin/rounds/%d/mail", e.invite.ID) },
			body: secForm(url.Values{"confirm": {"yes"}})},
		"POST /admin/rounds/:round/reminders": {allow: secAdminOnly,
			path: func(e *secEnv) string { return fmt.Sprintf("/admin/rounds/%d/reminders", e.invite.ID) },
			body: secForm(url.Values{"reminder_days": {"7,2"}})},
		"GET /admin/audit":     {allow: secAdminOnly},
		"GET /admin/audit.csv": {allow: secAdminOnly},
	}
}

// nominationOfA nominates a new rater for leader A in the open round and
// returns the nomination's id.
func (e *secEnv) nominationOfA() int64 {
	e.tb.Helper()
	ctx := context.Background()
	must(e.tb, e.db.NominateRater(ctx, e.open.ID, e.a.ID, fmt.Sprintf("medarbejder.%d@example.dk", e.next()), survey.Employee))
	list, err := e.db.FindNominations(ctx, e.open.ID, e.a.ID)
	must(e.tb, err)
	return list[len(list)-1].InvitationID
}

// shareOf makes a share of the person's result in the closed round.
func (e *secEnv) shareOf(personID int64) survey.Share {
	e.tb.Helper()
	sh, _, err := e.db.AddShare(context.Background(), e.closed.ID, personID, "Chef "+xssSvg, 30)
	must(e.tb, err)
	return sh
}

// shareToken makes a share of the person's result in the closed round
// and returns its link's token.
func (e *secEnv) shareToken(personID int64) string {
	e.tb.Helper()
	_, token, err := e.db.AddShare(context.Background(), e.closed.ID, personID, "Chef "+xssSvg, 30)
	must(e.tb, err)
	return token
}

// teamOfA returns the id of a team of leader A and two others in the
// open round, one of whom shares their radar with it: made on first use.
func (e *secEnv) teamOfA() int64 {
	e.tb.Helper()
	ctx := context.Background()
	name := "Tværgående " + xssSvg
	if g, err := e.db.FindGroupByName(ctx, survey.Team, name); err == nil {
		return g.ID
	}
	g := survey.Group{Kind: survey.Team, Name: name}
	must(e.tb, e.db.CreateGroup(ctx, &g))
	for _, id := range []int64{e.a.ID, e.people[1].ID, e.people[2].ID} {
		must(e.tb, e.db.AddTeamMember(ctx, g.ID, id))
	}
	must(e.tb, e.db.GiveTeamMapConsent(ctx, e.open.ID, g.ID, e.people[1].ID))
	return g.ID
}

// secUpload is a multipart people file.
func secUpload(content string) func(*secEnv) (string, string) {
	return func(*secEnv) (string, string) {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", "people.csv")
		_, _ = fw.Write([]byte(content))
		_ = mw.Close()
		return body.String(), mw.FormDataContentType()
	}
}

// fill puts plausible values into a route pattern's parameters: the
// closed round, the organisation's group key, a person, the first page, a
// valid personal link, a real static file.
func (e *secEnv) fill(pattern string) string {
	segs := strings.Split(pattern, "/")
	for i, s := range segs {
		switch {
		case strings.HasPrefix(s, "*"):
			segs[i] = e.css
		case s == ":round":
			segs[i] = fmt.Sprint(e.closed.ID)
		case s == ":group":
			segs[i] = "organisation"
		case s == ":person":
			segs[i] = fmt.Sprint(e.editPerson.ID)
		case s == ":page":
			segs[i] = "1"
		case s == ":token":
			segs[i] = e.linkToken
		case strings.HasPrefix(s, ":"):
			segs[i] = "1"
		}
	}
	return strings.Join(segs, "/")
}

// request returns the request a route's row makes, without credentials.
func (e *secEnv) routeRequest(route string, rt secRoute) secRequest {
	method, pattern, _ := strings.Cut(route, " ")
	r := secRequest{method: method, path: e.fill(pattern)}
	if rt.path != nil {
		r.path = rt.path(e)
	}
	if rt.body != nil {
		r.body, r.contentType = rt.body(e)
	}
	return r
}

func (e *secEnv) sendAs(principal string, r secRequest) *httptest.ResponseRecorder {
	r.cookies, r.header = e.as(principal)
	return e.send(r)
}

func secIsPublic(rt secRoute) bool { return slices.Equal(rt.allow, secPublic) }

// secRefused says whether a response turns the request away: 401, 403, 404,
// or a redirect to the log-in page.
func secRefused(w *httptest.ResponseRecorder) bool {
	switch w.Code {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
		return true
	case http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect:
		return strings.HasPrefix(w.Header().Get("Location"), "/login")
	}
	return false
}

// secGranted says whether a response served the request: a 2xx, or a
// redirect that is not to the log-in page.
func secGranted(w *httptest.ResponseRecorder) bool {
	if w.Code >= 200 && w.Code < 300 {
		return true
	}
	return w.Code >= 300 && w.Code < 400 && !strings.HasPrefix(w.Header().Get("Location"), "/login")
}

// secHeaderProblems lists what is wrong with a response's security headers.
func secHeaderProblems(path string, w *httptest.ResponseRecorder) []string {
	h := w.Header()
	var out []string
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"} {
		if !strings.Contains(csp, want) {
			out = append(out, fmt.Sprintf("Content-Security-Policy %q lacks %q", csp, want))
		}
	}
	for _, bad := range []string{"unsafe-inline", "unsafe-eval", "unsafe-hashes", "'strict-dynamic'", "data: 'self'"} {
		if strings.Contains(csp, bad) {
			out = append(out, fmt.Sprintf("Content-Security-Policy allows %s: %q", bad, csp))
		}
	}
	for _, d := range strings.Split(csp, ";") {
		if f := strings.Fields(d); len(f) > 0 && f[0] == "script-src" && !slices.Equal(f[1:], []string{"'self'"}) {
			out = append(out, fmt.Sprintf("script-src is %q, want only 'self'", d))
		}
	}
	for k, v := range map[string]string{"Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"} {
		if got := h.Get(k); got != v {
			out = append(out, fmt.Sprintf("%s = %q, want %q", k, got, v))
		}
	}
	cc := h.Get("Cache-Control")
	if strings.HasPrefix(path, "/static/") && w.Code == http.StatusOK {
		if !strings.Contains(cc, "immutable") {
			out = append(out, fmt.Sprintf("static file Cache-Control = %q, want immutable", cc))
		}
	} else if cc != "no-store" {
		out = append(out, fmt.Sprintf("Cache-Control = %q, want no-store", cc))
	}
	if w.Body.Len() > 0 && h.Get("Content-Type") == "" {
		out = append(out, "a body without Content-Type")
	}
	return out
}

// TestSecurityHeadersOnEveryRoute requests every route as anonymous, a
// leader, HR and an administrator, and each also cross-origin, with a
// method it does not take, under a path that does not exist and (for
// posts) with an oversized body, and checks the full header set on every
// response.
func TestSecurityHeadersOnEveryRoute(t *testing.T) {
	t.Parallel()
	e := newSecEnv(t)
	table := secRoutes()
	routes := e.server.Routes()
	methods := map[string][]string{} // pattern → methods it takes
	for _, rt := range routes {
		m, p, _ := strings.Cut(rt, " ")
		methods[p] = append(methods[p], m)
	}
	responses, failing := 0, 0
	statuses := map[int]int{}
	crossOrigin403 := 0
	failingRoutes := map[string]bool{}
	check := func(route, what string, r secRequest, w *httptest.ResponseRecorder) {
		t.Helper()
		responses++
		statuses[w.Code]++
		if p := secHeaderProblems(r.path, w); len(p) > 0 {
			failing++
			failingRoutes[route] = true
			t.Errorf("%s (%s %s → %d): %s", route, what, r.method, w.Code, strings.Join(p, "; "))
		}
	}
	for _, route := range routes {
		rt := table[route] // unclassified routes still get their headers checked
		base := e.routeRequest(route, rt)
		for _, who := range []string{"anonymous", "leaderA", "hr", "admin"} {
			check(route, who, base, e.sendAs(who, base))
			cross := base
			cross.header = map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}
			cookies, _ := e.as(who)
			cross.cookies = cookies
			w := e.send(cross)
			if base.method == http.MethodPost {
				if w.Code != http.StatusForbidden {
					t.Errorf("%s cross-origin as %s = %d, want 403", route, who, w.Code)
				} else {
					crossOrigin403++
				}
			}
			check(route, who+" cross-origin", cross, w)
		}
		_, pattern, _ := strings.Cut(route, " ")
		for _, m := range []string{http.MethodDelete, http.MethodPut, http.MethodPatch} {
			if !slices.Contains(methods[pattern], m) {
				wrong := base
				wrong.method = m
				w := e.sendAs("hr", wrong)
				if w.Code != http.StatusMethodNotAllowed {
					t.Errorf("%s with %s = %d, want 405", route, m, w.Code)
				}
				check(route, "wrong method", wrong, w)
				break
			}
		}
		missing := base
		missing.path = strings.TrimSuffix(base.path, "/") + "/ingen-side-her"
		w := e.sendAs("admin", missing)
		check(route, "no such page", missing, w)
		if base.method == http.MethodGet {
			head := base
			head.method = http.MethodHead
			check(route, "HEAD", head, e.sendAs("leaderA", head))
		}
		if base.method == http.MethodPost {
			big := base
			big.body, big.contentType = "formkey="+strings.Repeat("a", 9<<20), "application/x-www-form-urlencoded"
			for _, who := range []string{"anonymous", "leaderA", "admin"} {
				check(route, who+" oversized", big, e.sendAs(who, big))
			}
		}
	}
	for _, code := range []int{200, 303, 401, 403, 404, 405, 413} {
		if statuses[code] == 0 {
			t.Errorf("no response had status %d: the walk did not reach that kind of response", code)
		}
	}
	codes := make([]int, 0, len(statuses))
	for c := range statuses {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	t.Logf("security headers: %d routes, %d with the full header set on every response; %d responses checked (statuses %v, %d cross-origin 403s); %d responses lacking a header",
		len(routes), len(routes)-len(failingRoutes), responses, codes, crossOrigin403, failing)
}

// TestRouteAccessMatrix requests every route as every principal and compares
// the answer with the allow-list: allowed principals are served, everyone
// else is refused (401, 403, 404 or a redirect to log in, never a 2xx).
func TestRouteAccessMatrix(t *testing.T) {
	t.Parallel()
	e := newSecEnv(t)
	table := secRoutes()
	routes := e.server.Routes()
	var unclassified []string
	combinations, unexpected, wronglyRefused, serverErrors := 0, 0, 0, 0
	seen := map[string]bool{}
	markersOfA := []string{e.a.Name, e.a.Email}
	planSeenByA := 0 // A's own data download shows it: the marker is there to find
	for _, route := range routes {
		seen[route] = true
		rt, ok := table[route]
		if !ok {
			unclassified = append(unclassified, route)
			continue
		}
		for _, who := range secPrincipals {
			r := e.routeRequest(route, rt)
			w := e.sendAs(who, r)
			combinations++
			allowed := secIsPublic(rt) || slices.Contains(rt.allow, who)
			switch {
			case w.Code >= 500:
				serverErrors++
				t.Errorf("%s as %s: %d", route, who, w.Code)
			case secIsPublic(rt):
			case allowed && !secGranted(w):
				wronglyRefused++
				t.Errorf("%s as %s was refused: %d %s", route, who, w.Code, w.Header().Get("Location"))
			case !allowed && !secRefused(w):
				unexpected++
				t.Errorf("%s as %s got through: %d %s\n%.300s", route, who, w.Code, w.Header().Get("Location"), w.Body.String())
			}
			// A's plan reaches nobody else: not B, a rater, HR, an
			// administrator or the API, whatever the route.
			if who == "leaderA" && strings.Contains(w.Body.String(), secJSONText(secPlanMarker)) {
				planSeenByA++
			}
			if who != "leaderA" && (strings.Contains(w.Body.String(), secPlanMarker) || strings.Contains(w.Body.String(), secJSONText(secPlanMarker))) {
				unexpected++
				t.Errorf("%s as %s shows leader A's development plan", route, who)
			}
			if who == "leaderB" {
				for _, m := range markersOfA {
					if strings.Contains(w.Body.String(), m) || strings.Contains(w.Body.String(), secJSONText(m)) {
						unexpected++
						t.Errorf("%s as leader B shows leader A's %q", route, m)
					}
				}
			}
			if who == "apiAdmin" && strings.HasPrefix(route, "GET /api/v1/") && !secIsPublic(rt) && w.Code != http.StatusForbidden {
				t.Errorf("%s with an administrator's API token = %d, want 403", route, w.Code)
			}
		}
	}
	if len(unclassified) > 0 {
		t.Errorf("routes without an allow-list entry in secRoutes (security_test.go); classify them:\n  %s", strings.Join(unclassified, "\n  "))
	}
	if planSeenByA == 0 {
		t.Error("no route shows leader A their own development plan: the check for it reaching others proves nothing")
	}
	var stale []string
	for route := range table {
		if !seen[route] {
			stale = append(stale, route)
		}
	}
	if len(stale) > 0 {
		sort.Strings(stale)
		t.Logf("allow-list entries for routes the server no longer has: %v", stale)
	}
	t.Logf("access matrix: %d routes × %d principals (%s) = %d combinations; %d unexpected successes, %d allowed requests refused, %d server errors, %d unclassified routes",
		len(routes)-len(unclassified), len(secPrincipals), strings.Join(secPrincipals, ", "), combinations, unexpected, wronglyRefused, serverErrors, len(unclassified))
}

// secJSONText is s as it appears inside a JSON string.
func secJSONText(s string) string {
	b, _ := json.Marshal(s)
	return strings.Trim(string(b), `"`)
}

// TestLeaderDataStaysWithItsOwner: two leaders in the same rounds; each
// sees their own answers, result and data, never the other's, and
// posting never writes into the other's response.
func TestLeaderDataStaysWithItsOwner(t *testing.T) {
	t.Parallel()
	e := newSecEnv(t)
	get := func(who, path string) string {
		t.Helper()
		w := e.sendAs(who, secRequest{method: "GET", path: path})
		if w.Code != http.StatusOK {
			t.Fatalf("%s GET %s = %d", who, path, w.Code)
		}
		return w.Body.String()
	}
	checks := 0
	expect := func(cond bool, format string, args ...any) {
		t.Helper()
		checks++
		if !cond {
			t.Errorf(format, args...)
		}
	}

	// The open round: A answered page 1 with 4, B nothing.
	a, b := get("leaderA", "/survey/1"), get("leaderB", "/survey/1")
	expect(strings.Count(a, " checked") == 4, "A's page 1 shows %d checked answers, want her 4", strings.Count(a, " checked"))
	expect(!strings.Contains(b, " checked"), "B's page 1 shows answers; they are A's")
	a, b = get("leaderA", "/review"), get("leaderB", "/review")
	expect(strings.Contains(a, "4 af 44"), "A's review does not count her 4 answers")
	expect(strings.Contains(b, "0 af 44"), "B's review does not show 0 answers")

	// The closed round: A answered all 5, B all 2.
	a, b = get("leaderAClosed", "/result"), get("leaderBClosed", "/result")
	expect(strings.Contains(a, "5,0"), "A's result lacks her 5,0")
	expect(strings.Contains(b, "2,0") && !strings.Contains(b, "5,0"), "B's result shows A's 5,0 or lacks B's 2,0")

	// The data download holds the owner and no one else.
	for _, who := range []string{"leaderA", "leaderB", "leaderAClosed", "leaderBClosed"} {
		own, other := e.a, e.b
		if strings.HasPrefix(who, "leaderB") {
			own, other = e.b, e.a
		}
		body := get(who, "/my-data")
		expect(json.Valid([]byte(body)), "%s /my-data is not JSON", who)
		expect(strings.Contains(body, own.Email), "%s /my-data lacks their own e-mail", who)
		expect(!strings.Contains(body, other.Email) && !strings.Contains(body, secJSONText(other.Name)), "%s /my-data holds the other leader", who)
		for _, p := range e.people {
			expect(!strings.Contains(body, secJSONText(p.Email)), "%s /my-data holds %s", who, p.Email)
		}
	}

	// B posting page 1 writes B's answers, not A's.
	f := url.Values{"formkey": {secFormKey()}, "nav": {"next"}}
	for _, it := range e.in.Competences[0].Items {
		f.Set(it.ID, "1")
	}
	w := e.sendAs("leaderB", secRequest{method: "POST", path: "/survey/1", body: f.Encode()})
	expect(w.Code == http.StatusSeeOther, "B's save = %d", w.Code)
	ra, err := e.db.FindResponse(t.Context(), e.open.ID, e.a.ID, e.a.ID)
	must(t, err)
	rb, err := e.db.FindResponse(t.Context(), e.open.ID, e.b.ID, e.b.ID)
	must(t, err)
	for _, it := range e.in.Competences[0].Items {
		expect(ra.Answers[it.ID] == 4, "A's %s = %d after B saved, want 4", it.ID, ra.Answers[it.ID])
		expect(rb.Answers[it.ID] == 1, "B's %s = %d after B saved, want 1", it.ID, rb.Answers[it.ID])
	}
	t.Logf("ownership: %d checks that leader B never sees or changes leader A's answers, result or data", checks)
}

// Markup that must never reach a page as markup.
var secRawHostile = regexp.MustCompile(`(?i)<script>alert|<img src=x|<svg onload|javascript:`)

// Tags and attributes, for pages html/template wrote: there every < in
// text and attribute values is escaped, so each raw < starts a tag.
var (
	secTagPattern  = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>=` + "`" + `]+))?)*)\s*/?>`)
	secAttrPattern = regexp.MustCompile(`\s+([^\s"'<>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'<>=` + "`" + `]+))?`)
	secJSONBlock   = regexp.MustCompile(`(?s)<script type="application/json"[^>]*>(.*?)</script>`)
)

// secHTMLProblems lists the ways a page lets hostile text act as markup.
func secHTMLProblems(body string) []string {
	var out []string
	if m := secRawHostile.FindString(body); m != "" {
		out = append(out, fmt.Sprintf("raw %q", m))
	}
	if o, c := strings.Count(strings.ToLower(body), "<script"), strings.Count(strings.ToLower(body), "</script>"); o != c {
		out = append(out, fmt.Sprintf("%d <script against %d </script>", o, c))
	}
	// Every < starts a tag, a comment or the doctype.
	rest := body
	for i := strings.IndexByte(rest, '<'); i >= 0; i = strings.IndexByte(rest, '<') {
		rest = rest[i:]
		switch {
		case strings.HasPrefix(rest, "<!--"):
			end := strings.Index(rest, "-->")
			if end < 0 {
				return append(out, "an unclosed comment")
			}
			rest = rest[end+3:]
			continue
		case strings.HasPrefix(strings.ToLower(rest), "<!doctype html>"):
			rest = rest[len("<!doctype html>"):]
			continue
		}
		loc := secTagPattern.FindStringSubmatchIndex(rest)
		if loc == nil || loc[0] != 0 {
			out = append(out, fmt.Sprintf("a stray < at %.60q", rest))
			rest = rest[1:]
			continue
		}
		closing, name, attrs := rest[loc[2]:loc[3]], strings.ToLower(rest[loc[4]:loc[5]]), rest[loc[6]:loc[7]]
		hasSrc, jsonType := false, false
		for _, a := range secAttrPattern.FindAllStringSubmatch(attrs, -1) {
			an, av := strings.ToLower(a[1]), strings.Trim(a[2], `"'`)
			if strings.HasPrefix(an, "on") {
				out = append(out, fmt.Sprintf("event handler %s on <%s>", an, name))
			}
			if an == "style" {
				out = append(out, fmt.Sprintf("inline style on <%s>", name))
			}
			if (an == "href" || an == "src" || an == "action" || an == "formaction") && strings.HasPrefix(strings.ToLower(strings.TrimSpace(av)), "javascript:") {
				out = append(out, fmt.Sprintf("javascript: URL on <%s>", name))
			}
			hasSrc = hasSrc || an == "src"
			jsonType = jsonType || (an == "type" && av == "application/json")
		}
		if name == "script" && closing == "" && !hasSrc && !jsonType {
			out = append(out, "an inline script")
		}
		rest = rest[loc[1]:]
		if name == "script" && closing == "" && jsonType {
			end := strings.Index(rest, "</script>")
			if end < 0 {
				return append(out, "an unclosed data block")
			}
			if strings.ContainsAny(rest[:end], "<>") {
				out = append(out, "a raw < or > inside a JSON data block")
			}
			rest = rest[end:]
		}
	}
	for _, m := range secJSONBlock.FindAllStringSubmatch(body, -1) {
		if !json.Valid([]byte(m[1])) {
			out = append(out, fmt.Sprintf("a chart data block is not JSON: %.120s", m[1]))
		}
	}
	return out
}

// A cell a spreadsheet would run: it starts with =, +, -, @, a tab or a
// carriage return and is not simply a number.
func secFormulaCell(s string) bool {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return false
	}
	_, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	return err != nil
}

// secCSVProblems lists the cells of a CSV export that a spreadsheet would
// run as formulas.
func secCSVProblems(body []byte) ([]string, int) {
	text := strings.TrimPrefix(string(body), "\ufeff")
	r := csv.NewReader(strings.NewReader(text))
	first, _, _ := strings.Cut(text, "\n")
	if strings.Count(first, ";") >= strings.Count(first, ",") {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	records, err := r.ReadAll()
	if err != nil {
		return []string{fmt.Sprintf("not CSV: %v", err)}, 0
	}
	var out []string
	cells := 0
	for i, rec := range records {
		for _, cell := range rec {
			cells++
			if secFormulaCell(cell) {
				out = append(out, fmt.Sprintf("line %d: %q", i+1, cell))
			}
		}
	}
	return out, cells
}

// secXLSXProblems lists the cells of a workbook that a spreadsheet would run
// as formulas, and any formula it holds.
func secXLSXProblems(body []byte) ([]string, int) {
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		return []string{fmt.Sprintf("not a workbook: %v", err)}, 0
	}
	defer f.Close()
	var out []string
	cells := 0
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			return append(out, err.Error()), cells
		}
		for i, row := range rows {
			for j, cell := range row {
				cells++
				name, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if formula, _ := f.GetCellFormula(sheet, name); formula != "" {
					out = append(out, fmt.Sprintf("%s!%s holds the formula %q", sheet, name, formula))
				}
				if secFormulaCell(cell) {
					out = append(out, fmt.Sprintf("%s!%s: %q", sheet, name, cell))
				}
			}
		}
	}
	return out, cells
}

var secGroupLink = regexp.MustCompile(`/hr/rounds/\d+/groups/([a-z]+-?\d*)`)

// TestHostileTextRendersAsText renders every GET route, in Danish and
// English, as every principal it allows, on an organisation whose names,
// rounds, e-mails and instrument are hostile text; plus every group page
// of a closed round with and without a comparison round, and results with
// every overlay. No page may carry the text as markup, and every export
// must neutralise cells a spreadsheet would run.
func TestHostileTextRendersAsText(t *testing.T) {
	t.Parallel()
	e := newSecEnv(t)
	table := secRoutes()
	type page struct {
		who, path string
	}
	var pages []page
	for _, route := range e.server.Routes() {
		rt, ok := table[route]
		if !ok || !strings.HasPrefix(route, "GET ") {
			continue
		}
		r := e.routeRequest(route, rt)
		who := rt.allow
		switch {
		case secIsPublic(rt):
			who = []string{"anonymous", "leaderAClosed", "hr", "admin"}
		case slices.Contains(rt.allow, "leaderA"):
			who = append(slices.Clone(rt.allow), "leaderAClosed", "leaderBClosed")
		}
		for _, w := range who {
			pages = append(pages, page{w, r.path})
		}
	}
	// Every group page of the closed round, alone and compared with the
	// earlier round; the result with every group as overlay.
	w := e.sendAs("hr", secRequest{method: "GET", path: fmt.Sprintf("/hr/rounds/%d", e.closed.ID)})
	keys := map[string]bool{}
	for _, m := range secGroupLink.FindAllStringSubmatch(w.Body.String(), -1) {
		keys[m[1]] = true
	}
	if len(keys) < 3 {
		t.Fatalf("the closed round shows %d groups, want the organisation, both departments and the team", len(keys))
	}
	for k := range keys {
		base := fmt.Sprintf("/hr/rounds/%d/groups/%s", e.closed.ID, k)
		pages = append(pages, page{"hr", base}, page{"hr", fmt.Sprintf("%s?compare=%d", base, e.earlier.ID)})
		pages = append(pages, page{"leaderAClosed", "/result?compare=" + k})
	}
	pages = append(pages, page{"hr", fmt.Sprintf("/hr/rounds/%d", e.open.ID)}, page{"admin", fmt.Sprintf("/admin/rounds/%d", e.open.ID)},
		page{"admin", fmt.Sprintf("/admin/people/%d", e.people[2].ID)}, page{"admin", "/admin/people/new"})

	htmlPages, jsonResponses, charts, escapedSeen := 0, 0, 0, 0
	var exports []string
	exportCells, exportFindings := 0, 0
	for _, lang := range []string{"da", "en"} {
		for _, p := range pages {
			r := secRequest{method: "GET", path: p.path}
			r.cookies, r.header = e.as(p.who)
			r.cookies = append(r.cookies, &http.Cookie{Name: "lang", Value: lang})
			w := e.send(r)
			if w.Code >= 500 {
				t.Errorf("%s as %s: %d", p.path, p.who, w.Code)
				continue
			}
			body := w.Body.Bytes()
			ct := w.Header().Get("Content-Type")
			switch {
			case strings.HasPrefix(ct, "text/html"):
				htmlPages++
				for _, problem := range secHTMLProblems(string(body)) {
					t.Errorf("%s as %s (%s): %s", p.path, p.who, lang, problem)
				}
				if bytes.Contains(body, []byte("&lt;script&gt;alert(1)&lt;/script&gt;")) || bytes.Contains(body, []byte("&lt;/script&gt;&lt;img src=x")) {
					escapedSeen++
				}
				charts += len(secJSONBlock.FindAll(body, -1))
			case strings.HasPrefix(ct, "application/json"):
				jsonResponses++
				if !json.Valid(body) {
					t.Errorf("%s as %s: not JSON", p.path, p.who)
				}
				if secRawHostile.Match(body) {
					t.Errorf("%s as %s: JSON carries raw markup (not \\u003c-escaped)", p.path, p.who)
				}
			case strings.HasPrefix(ct, "text/csv"):
				problems, cells := secCSVProblems(body)
				exports, exportCells, exportFindings = append(exports, p.path), exportCells+cells, exportFindings+len(problems)
				for _, problem := range problems {
					t.Errorf("%s: a cell a spreadsheet would run: %s", p.path, problem)
				}
			case strings.Contains(ct, "spreadsheetml"):
				problems, cells := secXLSXProblems(body)
				exports, exportCells, exportFindings = append(exports, p.path), exportCells+cells, exportFindings+len(problems)
				for _, problem := range problems {
					t.Errorf("%s: %s", p.path, problem)
				}
			}
		}
	}

	// The invitation links, as the mail-merge CSV.
	inv := e.sendAs("admin", secRequest{method: "POST", path: fmt.Sprintf("/admin/rounds/%d/invitations", e.invite.ID), body: "mode=all&confirm=yes"})
	if inv.Code != http.StatusOK {
		t.Fatalf("invitations = %d", inv.Code)
	}
	problems, cells := secCSVProblems(inv.Body.Bytes())
	exports, exportCells, exportFindings = append(exports, "POST /admin/rounds/:round/invitations"), exportCells+cells, exportFindings+len(problems)
	for _, problem := range problems {
		t.Errorf("invitations CSV: a cell a spreadsheet would run: %s", problem)
	}
	// The raters' links, as their mail-merge CSV: a hostile address a
	// leader nominated, a hostile round name.
	must(t, e.db.NominateRater(context.Background(), e.open.ID, e.a.ID, "=cmd|calc@example.dk", survey.Peer))
	raters := e.sendAs("admin", secRequest{method: "POST", path: fmt.Sprintf("/admin/rounds/%d/rater-links", e.open.ID)})
	if raters.Code != http.StatusOK || !strings.Contains(raters.Body.String(), "'=cmd|calc@example.dk") {
		t.Fatalf("rater links = %d:\n%s", raters.Code, raters.Body.String())
	}
	problems, cells = secCSVProblems(raters.Body.Bytes())
	exports, exportCells, exportFindings = append(exports, "POST /admin/rounds/:round/rater-links"), exportCells+cells, exportFindings+len(problems)
	for _, problem := range problems {
		t.Errorf("rater links CSV: a cell a spreadsheet would run: %s", problem)
	}
	for _, want := range []string{"'=HYPERLINK", "'@SUM(1)", "'=1+1."} {
		all := inv.Body.String()
		for _, ex := range []string{"/profiles.csv"} {
			w := e.sendAs("hr", secRequest{method: "GET", path: fmt.Sprintf("/hr/rounds/%d%s", e.closed.ID, ex)})
			all += w.Body.String()
		}
		if !strings.Contains(all, want) {
			t.Errorf("no export carries %q: the hostile cells did not reach the exports", want)
		}
	}
	if escapedSeen == 0 || charts == 0 {
		t.Errorf("hostile text reached %d pages and %d charts: the test did not exercise it", escapedSeen, charts)
	}
	t.Logf("hostile text: %d HTML pages (%d showing the hostile text escaped, %d chart data blocks) and %d JSON responses checked, none with hostile text as markup; exports %d checked (%d cells: %s), %d unneutralised cells",
		htmlPages, escapedSeen, charts, jsonResponses, len(exports), exportCells, strings.Join(secUniq(exports), ", "), exportFindings)
}

// TestHostileTextCheckersCatch proves the checkers above find what they
// look for, so that a clean walk means something.
func TestHostileTextCheckersCatch(t *testing.T) {
	t.Parallel()
	bad := []string{
		`<p>` + xssScript + `</p>`,
		`<p>` + xssImg + `</p>`,
		`<div title="x" onclick="go()">`,
		`<a href="javascript:alert(1)">`,
		`<script>var x = 1;</script>`,
		`<script type="application/json">{"a":"</script><b>"}</script>`,
		`<script type="application/json">{"a":</script>`,
		`<p>1 < 2</p>`,
		`<p style="color:red">`,
	}
	for _, b := range bad {
		if len(secHTMLProblems("<!DOCTYPE html>"+b)) == 0 {
			t.Errorf("not caught: %s", b)
		}
	}
	good := `<!DOCTYPE html><p title="&#34;&#39;&gt;&lt;svg onload=alert(1)&gt;">&lt;script&gt;alert(1)&lt;/script&gt;</p>` +
		`<script src="/static/js/chart.js" defer></script><script type="application/json" data-chart="x">{"a":"\u003c/script\u003e"}</script>`
	if p := secHTMLProblems(good); len(p) > 0 {
		t.Errorf("escaped text flagged: %v", p)
	}
	for cell, want := range map[string]bool{"=1+1": true, "+SUM(1)": true, "-2+3": true, "@cmd": true, "\tx": true, "\rx": true, "'=1": false, "-0,5": false, "3,25": false, "Leder": false} {
		if got := secFormulaCell(cell); got != want {
			t.Errorf("secFormulaCell(%q) = %v, want %v", cell, got, want)
		}
	}
}

func secUniq(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// TestRedirectsStayOnSite: the language switch's return path and the
// log-in's "next" never send the browser to another site, however the
// path is dressed up. Browsers drop tabs and newlines inside a URL, so
// "/\t/evil.example" is //evil.example (found by FuzzRedirectTarget), and
// http.Redirect cleans "/x/../\evil.example" into /\evil.example.
func TestRedirectsStayOnSite(t *testing.T) {
	t.Parallel()
	e := newSecEnv(t)
	for _, target := range []string{"//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example",
		"https://evil.example", "javascript:alert(1)", " //evil.example", "/\x00/evil.example", "/\u0085/evil.example",
		// Cleaned by http.Redirect into /\evil.example or //evil.example.
		"/x/../\\evil.example", "/a/b/../../\\evil.example", "/./\\evil.example", "/x#/../\\evil.example", "/x/../\\evil.example?a=b"} {
		for _, r := range []secRequest{
			{method: "POST", path: "/language", body: url.Values{"lang": {"da"}, "return": {target}}.Encode()},
			{method: "POST", path: "/login", body: url.Values{"email": {"hr@example.dk"}, "password": {secPassword}, "next": {target}}.Encode()},
		} {
			w := e.send(r)
			if loc := w.Header().Get("Location"); w.Code != http.StatusSeeOther || (loc != "/" && loc != "/hr") {
				t.Errorf("%s with %q = %d → %q, want a redirect home", r.path, target, w.Code, loc)
			}
		}
	}
	// A local path is still followed, cleaned as it is sent.
	w := e.send(secRequest{method: "POST", path: "/language", body: url.Values{"lang": {"da"}, "return": {"/privacy/../accessibility?x=1"}}.Encode()})
	if got, want := w.Header().Get("Location"), "/accessibility?x=1"; got != want {
		t.Errorf("local return: Location = %q, want %q", got, want)
	}
}
