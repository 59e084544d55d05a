package web_test

// Fuzz tests of what comes from outside: answer forms, and the tokens and
// cookies that say who is asking. Seed corpora are in
// testdata/fuzz/<FuzzName>/; .ci/run fuzzes each for a bounded time:
//
//	go test -run '^$' -fuzz '^FuzzAnswerSubmission$' -fuzztime 15s ./web/

import (
	"bytes"
	"context"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"lederradar/internal/auth"
	"lederradar/survey"
)

// fuzzSend sends a request built by hand, so that any bytes can be in the
// path and headers.
func fuzzSend(h http.Handler, method, path string, body []byte, header http.Header) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "http://127.0.0.1:8080/", bytes.NewReader(body))
	req.URL = &url.URL{Path: path}
	req.RequestURI = path
	for k, v := range header {
		req.Header[k] = v
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// localRedirect reports whether a Location stays on this site as a
// browser reads it: browsers drop tabs and newlines anywhere in a URL,
// trim control characters and spaces at its ends, and take a backslash
// for a slash, so "/\t/evil.example" goes to evil.example.
func localRedirect(loc string) bool {
	if loc == "" {
		return true
	}
	loc = strings.Map(func(r rune) rune {
		switch r {
		case '\t', '\n', '\r':
			return -1
		case '\\':
			return '/'
		}
		return r
	}, loc)
	loc = strings.TrimLeft(loc, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	u, err := url.Parse(loc)
	if err != nil {
		return strings.HasPrefix(loc, "/") && !strings.HasPrefix(loc, "//")
	}
	return u.Scheme == "" && u.Host == "" && strings.HasPrefix(loc, "/") && !strings.HasPrefix(loc, "//")
}

// FuzzRedirectTarget sends arbitrary return paths to the language switch,
// which redirects through the same check (safeReturn) as the log-in's
// "next": the redirect must stay on this site as a browser reads it.
func FuzzRedirectTarget(f *testing.F) {
	e := newSecEnv(f)
	f.Add("/survey/1")
	form := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	f.Fuzz(func(t *testing.T, target string) {
		body := url.Values{"lang": {"en"}, "return": {target}}.Encode()
		w := fuzzSend(e.handler, http.MethodPost, "/language", []byte(body), form)
		if w.Code >= 500 {
			t.Fatalf("POST /language = %d", w.Code)
		}
		if loc := w.Header().Get("Location"); !localRedirect(loc) {
			t.Fatalf("return %q redirects off the site: %q", target, loc)
		}
	})
}

// FuzzAnswerSubmission posts arbitrary bodies, in arbitrary encodings, to
// arbitrary questionnaire pages as a signed-in leader. Whatever comes in:
// no server error, no redirect off the site, and the stored response holds
// only known items with values on the scale; a refused form changes
// nothing.
func FuzzAnswerSubmission(f *testing.F) {
	e := newSecEnv(f)
	session := e.leaderSession(e.invB)
	items := map[string]bool{}
	for _, c := range e.in.Competences {
		for _, it := range c.Items {
			items[it.ID] = true
		}
	}
	contentTypes := []string{"application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain", "", "application/x-www-form-urlencoded; charset=windows-1252"}
	f.Add("1", []byte("formkey=seed&nav=next&trust.1=3&trust.2=0"), uint8(0))
	ctx := context.Background()
	stored := func(t *testing.T) survey.Answers {
		r, err := e.db.FindResponse(ctx, e.open.ID, e.b.ID, e.b.ID)
		if survey.ErrorCode(err) == survey.ENOTFOUND {
			return survey.Answers{}
		} else if err != nil {
			t.Fatal(err)
		}
		return r.Answers
	}
	f.Fuzz(func(t *testing.T, page string, body []byte, encoding uint8) {
		before := stored(t)
		header := http.Header{"Cookie": {"lr_session=" + session.Value}}
		if ct := contentTypes[int(encoding)%len(contentTypes)]; ct != "" {
			header.Set("Content-Type", ct)
		}
		w := fuzzSend(e.handler, http.MethodPost, "/survey/"+page, body, header)
		if w.Code >= 500 {
			t.Fatalf("POST /survey/%q = %d:\n%s", page, w.Code, w.Body.String())
		}
		if loc := w.Header().Get("Location"); !localRedirect(loc) {
			t.Fatalf("redirect off the site: %q", loc)
		}
		after := stored(t)
		for id, a := range after {
			if !items[id] || !a.Valid() {
				t.Fatalf("stored %q = %d: not an item on the scale", id, a)
			}
		}
		if w.Code != http.StatusSeeOther && !maps.Equal(before, after) {
			t.Fatalf("a refused form (%d) changed the stored answers", w.Code)
		}
	})
}

// FuzzTokenAndCookie sends arbitrary personal links, session cookies and
// Authorization headers. None may cause a server error, and none may let
// anyone in: no leader page, no staff page, no API.
func FuzzTokenAndCookie(f *testing.F) {
	e := newSecEnv(f)
	unknown, _ := auth.NewToken()
	f.Add(unknown, unknown, "Bearer "+unknown)
	f.Fuzz(func(t *testing.T, token, cookie, auth string) {
		check := func(what string, w *httptest.ResponseRecorder, ok func(*httptest.ResponseRecorder) bool) {
			t.Helper()
			if w.Code >= 500 {
				t.Fatalf("%s: %d", what, w.Code)
			}
			if loc := w.Header().Get("Location"); !localRedirect(loc) {
				t.Fatalf("%s: redirect off the site: %q", what, loc)
			}
			for _, c := range w.Result().Cookies() {
				if (c.Name == "lr_session" || c.Name == "lr_user") && c.Value != "" {
					t.Fatalf("%s: a session cookie was set", what)
				}
			}
			if !ok(w) {
				t.Fatalf("%s = %d %q: let in", what, w.Code, w.Header().Get("Location"))
			}
		}
		unauthorized := func(w *httptest.ResponseRecorder) bool { return w.Code == http.StatusUnauthorized }
		toLogin := func(w *httptest.ResponseRecorder) bool {
			return w.Code == http.StatusSeeOther && strings.HasPrefix(w.Header().Get("Location"), "/login")
		}
		notFound := func(w *httptest.ResponseRecorder) bool {
			return w.Code == http.StatusNotFound || w.Code == http.StatusBadRequest
		}

		check("GET /i/token", fuzzSend(e.handler, "GET", "/i/"+token, nil, nil), notFound)
		form := func(cookie string) http.Header {
			return http.Header{"Cookie": {cookie}, "Content-Type": {"application/x-www-form-urlencoded"}}
		}
		// A leader's pages, with the value as the session cookie and as the
		// whole Cookie header.
		check("GET /survey/1", fuzzSend(e.handler, "GET", "/survey/1", nil, http.Header{"Cookie": {"lr_session=" + cookie}}), unauthorized)
		check("GET /my-data", fuzzSend(e.handler, "GET", "/my-data", nil, http.Header{"Cookie": {cookie}}), unauthorized)
		check("POST /survey/1", fuzzSend(e.handler, "POST", "/survey/1", []byte("formkey=x&trust.1=3"), form("lr_session="+token)), unauthorized)
		// HR's and administrators' pages.
		check("GET /hr", fuzzSend(e.handler, "GET", "/hr", nil, http.Header{"Cookie": {"lr_user=" + cookie}}), toLogin)
		check("GET /admin/audit.csv", fuzzSend(e.handler, "GET", "/admin/audit.csv", nil, http.Header{"Cookie": {cookie}}), toLogin)
		check("POST /admin/groups", fuzzSend(e.handler, "POST", "/admin/groups", []byte("kind=team&name=x"), form("lr_user="+token)), unauthorized)
		check("POST /session/extend", fuzzSend(e.handler, "POST", "/session/extend", nil, http.Header{"Cookie": {"lr_user=" + cookie}}), unauthorized)
		// The API, with the value as the whole header and as a bearer token.
		check("GET /api/v1/rounds", fuzzSend(e.handler, "GET", "/api/v1/rounds", nil, http.Header{"Authorization": {auth}}), unauthorized)
		check("GET /api/v1/rounds/1/profiles", fuzzSend(e.handler, "GET", "/api/v1/rounds/1/profiles", nil, http.Header{"Authorization": {"Bearer " + token}}), unauthorized)
	})
}
