package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"lederradar/internal/auth"
)

const (
	uaWindowsChrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
	uaIPhoneSafari  = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)

// sessionCookieOf returns the leader session cookie a response sets, or nil.
func sessionCookieOf(w interface{ Result() *http.Response }) *http.Cookie {
	for _, c := range w.Result().Cookies() {
		if strings.HasSuffix(c.Name, "lr_session") && c.Value != "" {
			return c
		}
	}
	return nil
}

// TestLinkOpenings: every opening of a link in a browser without a session
// for it is recorded once and shown on the leader's pages, the current
// browser marked; a browser that holds a session records nothing new.
func TestLinkOpenings(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	inv, err := e.db.FindInvitationByTokenHash(ctx, auth.HashToken(e.token))
	must(t, err)
	openings := func() int {
		t.Helper()
		os, err := e.db.FindLinkOpenings(ctx, inv.ID, "", 0)
		must(t, err)
		return len(os)
	}

	w := e.do(request{path: "/i/" + e.token, header: map[string]string{"User-Agent": uaWindowsChrome}})
	pc := sessionCookieOf(w)
	if w.Code != http.StatusSeeOther || pc == nil {
		t.Fatalf("first opening: %d, cookie %v; want 303 with a session", w.Code, pc)
	}
	if got := openings(); got != 1 {
		t.Fatalf("%d openings after the first, want 1", got)
	}

	t.Run("the same browser again records nothing and keeps its session", func(t *testing.T) {
		w := e.do(request{path: "/i/" + e.token, cookies: []*http.Cookie{pc}, header: map[string]string{"User-Agent": uaWindowsChrome}})
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/survey" {
			t.Errorf("GET /i/token with a session = %d to %q, want 303 to /survey", w.Code, w.Header().Get("Location"))
		}
		if c := sessionCookieOf(w); c != nil {
			t.Errorf("a browser with a session got a new one")
		}
		if got := openings(); got != 1 {
			t.Errorf("%d openings, want still 1", got)
		}
	})

	t.Run("the questionnaire shows no notice while only this browser opened it", func(t *testing.T) {
		w := e.do(request{path: "/survey/1", cookies: []*http.Cookie{pc}})
		if w.Code != 200 || strings.Contains(w.Body.String(), "anden browser") {
			t.Errorf("GET /survey/1 = %d, notice shown: %v", w.Code, strings.Contains(w.Body.String(), "anden browser"))
		}
		w = e.do(request{path: "/review", cookies: []*http.Cookie{pc}})
		if body := w.Body.String(); !strings.Contains(body, "Chrome på Windows <strong>(denne browser)</strong>") {
			t.Errorf("review does not list this browser's opening as current:\n%s", section(body))
		}
	})

	phone := sessionCookieOf(e.do(request{path: "/i/" + e.token, header: map[string]string{"User-Agent": uaIPhoneSafari}}))
	if phone == nil {
		t.Fatal("a new browser got no session")
	}

	t.Run("a new browser is recorded and shown to the first", func(t *testing.T) {
		if got := openings(); got != 2 {
			t.Errorf("%d openings, want 2", got)
		}
		body := e.do(request{path: "/survey/1", cookies: []*http.Cookie{pc}}).Body.String()
		if !strings.Contains(body, "Dit link blev åbnet i en anden browser (Safari på iPhone) den ") || !strings.Contains(body, "Var det ikke dig, så kontakt HR.") {
			t.Errorf("the first browser's questionnaire has no notice of the second:\n%s", section(body))
		}
		body = e.do(request{path: "/review", cookies: []*http.Cookie{pc}}).Body.String()
		if !strings.Contains(body, ": Safari på iPhone</li>") || !strings.Contains(body, "Chrome på Windows <strong>(denne browser)</strong>") {
			t.Errorf("the first browser's review lists:\n%s", section(body))
		}
		body = e.do(request{path: "/review", cookies: []*http.Cookie{phone, {Name: "lang", Value: "en"}}}).Body.String()
		if !strings.Contains(body, "Safari on iPhone <strong>(this browser)</strong>") || !strings.Contains(body, ": Chrome on Windows</li>") {
			t.Errorf("the second browser's review (English) lists:\n%s", section(body))
		}
		if body := e.do(request{path: "/survey/1", cookies: []*http.Cookie{phone}}).Body.String(); strings.Contains(body, "anden browser") {
			t.Errorf("the newest browser is told of an opening after its own")
		}
	})

	t.Run("the leader's data download holds them, without the User-Agent", func(t *testing.T) {
		w := e.do(request{path: "/my-data", cookies: []*http.Cookie{pc}})
		var f struct {
			Rounds []struct {
				ID           int64 `json:"id"`
				LinkOpenings []struct {
					OpenedAt string `json:"opened_at"`
					Browser  string `json:"browser"`
					OS       string `json:"os"`
					Device   string `json:"device_da"`
				} `json:"link_openings"`
			} `json:"rounds"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &f); err != nil {
			t.Fatalf("GET /my-data = %d: %v", w.Code, err)
		}
		found := false
		for _, r := range f.Rounds {
			if r.ID != e.open.ID {
				continue
			}
			found = true
			if len(r.LinkOpenings) != 2 || r.LinkOpenings[0].Device != "Safari på iPhone" || r.LinkOpenings[1].Browser != "chrome" || r.LinkOpenings[1].OS != "windows" || r.LinkOpenings[0].OpenedAt == "" {
				t.Errorf("link_openings = %+v", r.LinkOpenings)
			}
		}
		if !found {
			t.Errorf("no round %d in /my-data", e.open.ID)
		}
		if strings.Contains(w.Body.String(), "Mozilla") || strings.Contains(w.Body.String(), e.token) {
			t.Errorf("/my-data holds the User-Agent or the link")
		}
	})
}

// TestClosedRoundLink: once a round has closed, its link gives a new
// browser no session but a page that says why; a browser that holds a
// session still sees the result.
func TestClosedRoundLink(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	inv, err := e.db.FindInvitationByTokenHash(t.Context(), auth.HashToken(e.oldLink))
	must(t, err)
	before, err := e.db.FindLinkOpenings(t.Context(), inv.ID, "", 0)
	must(t, err)

	tests := []struct {
		name       string
		req        request
		wantStatus int
		want       []string
	}{
		{name: "new browser, Danish", req: request{path: "/i/" + e.oldLink}, wantStatus: http.StatusForbidden,
			want: []string{"Runden er lukket", "»Forår 2026«", "højst 24 timer", "8 timer uden brug", "HR kan ikke vise dig resultatet", "prisen for"}},
		{name: "new browser, English", req: request{path: "/i/" + e.oldLink, cookies: []*http.Cookie{{Name: "lang", Value: "en"}}}, wantStatus: http.StatusForbidden,
			want: []string{"The round has closed", "at most 24 hours", "8 hours without use", "HR cannot show you the result"}},
		{name: "a session for another link is a new browser", req: request{path: "/i/" + e.oldLink, cookies: []*http.Cookie{e.login(e.token)}}, wantStatus: http.StatusForbidden,
			want: []string{"Runden er lukket"}},
		{name: "the browser that holds the session", req: request{path: "/i/" + e.oldLink, cookies: []*http.Cookie{e.closedSession()}}, wantStatus: http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := e.do(tt.req)
			if w.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d", w.Code, tt.wantStatus)
			}
			if c := sessionCookieOf(w); c != nil {
				t.Errorf("a session cookie was set: %s", c.Name)
			}
			for _, s := range tt.want {
				if !strings.Contains(w.Body.String(), s) {
					t.Errorf("body lacks %q", s)
				}
			}
		})
	}
	t.Run("nothing is recorded", func(t *testing.T) {
		after, err := e.db.FindLinkOpenings(t.Context(), inv.ID, "", 0)
		must(t, err)
		if len(after) != len(before) {
			t.Errorf("%d openings after, %d before", len(after), len(before))
		}
	})
	t.Run("the held session still shows the result", func(t *testing.T) {
		w := e.do(request{path: "/result", cookies: []*http.Cookie{e.closedSession()}})
		if w.Code != 200 || !strings.Contains(w.Body.String(), "Forår 2026") || !strings.Contains(w.Body.String(), "(denne browser)") {
			t.Errorf("GET /result = %d:\n%s", w.Code, section(w.Body.String()))
		}
	})
}

// section is the part of a page about link openings, for messages.
func section(body string) string {
	if i := strings.Index(body, `id="openings"`); i >= 0 {
		return body[i:min(len(body), i+1200)]
	}
	if i := strings.Index(body, `<main`); i >= 0 {
		return body[i:min(len(body), i+1200)]
	}
	return body
}
