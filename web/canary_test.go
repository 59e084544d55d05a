package web_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"lederradar/internal/auth"
	"lederradar/survey"
)

// canaryToken makes a well-formed token (43 base64url characters) that is
// easy to find in a log.
func canaryToken(prefix string) string {
	return prefix + strings.Repeat("Q", 43-len(prefix))
}

// TestCanaryNothingSecretInLogs runs a whole flow over a real HTTP server
// with known secrets: a personal link, distinctive answers and form keys,
// HR and administrator passwords, an API token, imported people, issued
// links; error paths included. Everything the server, Gin and net/http log
// goes to one buffer, which must hold none of the secrets, nor their
// hashes, nor any cookie the server handed out.
func TestCanaryNothingSecretInLogs(t *testing.T) {
	e := newSecEnv(t)
	ctx := context.Background()
	defer func(out, errOut io.Writer) { gin.DefaultWriter, gin.DefaultErrorWriter = out, errOut }(gin.DefaultWriter, gin.DefaultErrorWriter)
	gin.DefaultWriter, gin.DefaultErrorWriter = e.logs, e.logs

	secrets := map[string]string{} // value → what it is
	secret := func(what, v string) string { secrets[v] = what; return v }

	// The people and accounts of the flow.
	leader := survey.Person{Email: secret("leader e-mail", "kanariefugl.leder@example.dk"), Name: secret("leader name", "Kanariefugl Ledersen"), DepartmentID: e.deptA.ID}
	must(t, e.db.CreatePerson(ctx, &leader))
	link := secret("personal link token", canaryToken("KanariefuglLink"))
	e.inviteWith(e.open.ID, leader.ID, link)
	hrPassword := secret("HR password", "Kanariefugl-Adgangskode-7431!")
	adminPassword := secret("administrator password", "Kanariefugl-Admin-Kode-9182!")
	for email, pw := range map[string]string{secret("HR e-mail", "kanariefugl.hr@example.dk"): hrPassword, secret("administrator e-mail", "kanariefugl.admin@example.dk"): adminPassword} {
		hash := cheapHash(pw)
		role := survey.RoleHR
		if strings.Contains(email, "admin") {
			role = survey.RoleAdmin
		}
		must(t, e.db.CreateUser(ctx, &survey.User{Email: email, Role: role}, hash))
	}
	apiToken := secret("API token", canaryToken("KanariefuglApi"))
	must(t, e.db.CreateAPIToken(ctx, &survey.APIToken{Role: survey.RoleHR, Name: "kanariefugl"}, auth.HashToken(apiToken)))
	secret("fixture password", secPassword)
	for _, p := range append(e.people, e.a, e.b) {
		secret("e-mail", p.Email)
	}
	secret("leader name", e.a.Name)
	secret("leader name", e.b.Name)

	srv := httptest.NewUnstartedServer(e.handler)
	srv.Config.ErrorLog = slog.NewLogLogger(e.logger.Handler(), slog.LevelWarn)
	srv.Start()
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	requests := 0
	do := func(method, path string, body string, contentType string, cookies []*http.Cookie, header map[string]string) *http.Response {
		t.Helper()
		var r io.Reader
		if body != "" {
			r = strings.NewReader(body)
		}
		req, err := http.NewRequest(method, srv.URL+path, r)
		must(t, err)
		if contentType == "" && body != "" {
			contentType = "application/x-www-form-urlencoded"
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		for k, v := range header {
			req.Header.Set(k, v)
		}
		for _, c := range cookies {
			req.AddCookie(c)
		}
		resp, err := client.Do(req)
		must(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(strings.NewReader(string(b)))
		requests++
		for _, c := range resp.Cookies() {
			if c.Value != "" && c.Name != "lang" {
				secret("cookie "+c.Name, c.Value)
			}
		}
		return resp
	}
	cookieOf := func(resp *http.Response, name string) *http.Cookie {
		t.Helper()
		for _, c := range resp.Cookies() {
			if c.Name == name {
				return c
			}
		}
		t.Fatalf("no %s cookie (status %d)", name, resp.StatusCode)
		return nil
	}
	wantStatus := func(resp *http.Response, want int, what string) {
		t.Helper()
		if resp.StatusCode != want {
			b, _ := io.ReadAll(resp.Body)
			t.Fatalf("%s = %d, want %d\n%.400s", what, resp.StatusCode, want, b)
		}
	}
	form := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v.Encode()
	}

	// The leader: link, answers, errors, submit, result, own data.
	resp := do("GET", "/i/"+link+"?ref="+link, "", "", nil, nil)
	wantStatus(resp, http.StatusSeeOther, "the personal link")
	session := []*http.Cookie{cookieOf(resp, "lr_session")}
	do("GET", "/i/"+link+"/mere", "", "", nil, nil)
	do("GET", "/i/"+link[:40], "", "", nil, nil)
	wantStatus(do("GET", "/survey/1", "", "", session, nil), 200, "page 1")
	items := e.in.Competences[0].Items
	key1 := secret("form key", "kanariefugl-formkey-side-1")
	wantStatus(do("POST", "/survey/1", form("formkey", key1, "nav", "next", items[0].ID, "5", items[1].ID, "4", items[2].ID, "0", items[3].ID, "1"), "", session, nil), 303, "save page 1")
	wantStatus(do("POST", "/survey/1", form("formkey", secret("form key", "kanariefugl-formkey-fejl"), items[0].ID, "9"), "", session, nil), 400, "an answer off the scale")
	wantStatus(do("POST", "/survey/2", form("formkey", "k", secret("posted field", "kanariefugl-felt"), "3"), "", session, nil), 400, "an unknown item")
	wantStatus(do("POST", "/survey/1", "formkey="+strings.Repeat("kanariefugl", 7000), "", session, nil), 413, "an oversized form")
	wantStatus(do("POST", "/review", form("formkey", secret("form key", "kanariefugl-formkey-indsend")), "", session, nil), 303, "submit")
	wantStatus(do("GET", "/result", "", "", session, nil), 200, "result")
	wantStatus(do("GET", "/my-data", "", "", session, nil), 200, "my data")

	// HR: a wrong password, then the right one; pages, exports, log-out.
	wantStatus(do("POST", "/login", form("email", "kanariefugl.hr@example.dk", "password", secret("wrong password", "Kanariefugl-Forkert-Kode")), "", nil, nil), 401, "a wrong password")
	wantStatus(do("POST", "/login", form("email", secret("unknown e-mail", "kanariefugl.ukendt@example.dk"), "password", hrPassword), "", nil, nil), 401, "an unknown account")
	resp = do("POST", "/login", form("email", "kanariefugl.hr@example.dk", "password", hrPassword, "next", "/hr?email=kanariefugl.leder@example.dk"), "", nil, nil)
	wantStatus(resp, 303, "HR log-in")
	hr := []*http.Cookie{cookieOf(resp, "lr_user")}
	for _, p := range []string{"/hr", fmt.Sprintf("/hr/rounds/%d", e.closed.ID), fmt.Sprintf("/hr/rounds/%d/heatmap", e.closed.ID),
		fmt.Sprintf("/hr/rounds/%d/profiles.csv", e.closed.ID), fmt.Sprintf("/hr/rounds/%d/items.csv", e.closed.ID), fmt.Sprintf("/hr/rounds/%d/profiles.xlsx", e.closed.ID)} {
		wantStatus(do("GET", p, "", "", hr, nil), 200, p)
	}
	do("POST", "/session/extend", "", "", hr, nil)
	do("GET", "/admin?email=kanariefugl.leder@example.dk", "", "", hr, nil)

	// The administrator: import (a bad file, then a good one), a person,
	// links, erasure.
	resp = do("POST", "/login", form("email", "kanariefugl.admin@example.dk", "password", adminPassword), "", nil, nil)
	wantStatus(resp, 303, "administrator log-in")
	admin := []*http.Cookie{cookieOf(resp, "lr_user")}
	bad, badType := secUpload("email;name;department;teams\n" + secret("imported e-mail", "kanariefugl.fejl@@example.dk") + ";" + secret("imported name", "Kanariefugl Fejlperson") + ";Afd;\n")(e)
	wantStatus(do("POST", "/admin/import", bad, badType, admin, nil), 400, "a bad people file")
	good, goodType := secUpload("email;name;department;teams\n" + secret("imported e-mail", "kanariefugl.import@example.dk") + ";" + secret("imported name", "Kanariefugl Importeret") + ";Afd;\n")(e)
	wantStatus(do("POST", "/admin/import", good, goodType, admin, nil), 200, "a good people file")
	wantStatus(do("POST", "/admin/people/new", form("name", secret("person name", "Kanariefugl Nyperson"), "email", secret("person e-mail", "kanariefugl.ny@example.dk"), "department", fmt.Sprint(e.deptA.ID)), "", admin, nil), 303, "a new person")
	wantStatus(do("POST", "/admin/people/new", form("name", "X", "email", secret("invalid e-mail", "kanariefugl-ugyldig"), "department", fmt.Sprint(e.deptA.ID)), "", admin, nil), 400, "an invalid person")
	resp = do("POST", fmt.Sprintf("/admin/rounds/%d/invitations", e.invite.ID), "mode=all&confirm=yes", "", admin, nil)
	wantStatus(resp, 200, "links")
	b, _ := io.ReadAll(resp.Body)
	for _, m := range regexp.MustCompile(`/i/([A-Za-z0-9_-]{43})`).FindAllStringSubmatch(string(b), -1) {
		secret("issued link token", m[1])
	}
	p, err := e.db.FindPersonByEmail(ctx, "kanariefugl.ny@example.dk")
	must(t, err)
	do("POST", fmt.Sprintf("/admin/people/%d/erase", p.ID), form("confirm", "yes", "confirm_email", "forkert@example.dk"), "", admin, nil)
	wantStatus(do("POST", fmt.Sprintf("/admin/people/%d/erase", p.ID), form("confirm", "yes", "confirm_email", "kanariefugl.ny@example.dk"), "", admin, nil), 303, "erasure")
	wantStatus(do("GET", "/admin/audit.csv", "", "", admin, nil), 200, "audit export")

	// The API: the token, a bad token, the HR session (no token).
	bearer := map[string]string{"Authorization": "Bearer " + apiToken}
	wantStatus(do("GET", "/api/v1/rounds", "", "", nil, bearer), 200, "API rounds")
	wantStatus(do("GET", fmt.Sprintf("/api/v1/rounds/%d/profiles", e.closed.ID), "", "", nil, bearer), 200, "API profiles")
	wantStatus(do("GET", "/api/v1/rounds", "", "", nil, map[string]string{"Authorization": "Bearer " + secret("bad API token", canaryToken("KanariefuglForkert"))}), 401, "an unknown API token")
	wantStatus(do("GET", "/api/v1/rounds?token="+apiToken, "", "", hr, nil), 401, "a session on the API")

	// Odd requests: secrets in unknown paths and queries, cross-origin.
	do("GET", "/ingen/"+link+"?password="+url.QueryEscape(hrPassword), "", "", nil, nil)
	do("DELETE", "/survey/1?email=kanariefugl.leder@example.dk", "", "", session, nil)
	do("POST", "/language", form("lang", "en", "return", "/"+link), "", session, map[string]string{"Sec-Fetch-Site": "cross-site"})
	do("POST", "/logout", "", "", hr, nil)
	do("POST", "/logout", "", "", admin, nil)
	do("GET", "/hr", "", "", hr, nil) // an ended session

	// Malformed requests straight to net/http, carrying secrets.
	for _, raw := range []string{
		"GET /i/" + link + " HTTP/1.1\r\nHost: x\r\nCookie: lr_session=" + session[0].Value + "\r\nContent-Length: kanariefugl\r\n\r\n",
		"GET /i/" + link + " HTTP/1.1\r\nHost: x\r\nBad Header " + hrPassword + "\r\n\r\n",
		"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 99\r\n\r\npassword=" + hrPassword,
		"\x16\x03\x01 " + link + "\r\n\r\n",
	} {
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		must(t, err)
		_, _ = conn.Write([]byte(raw))
		if cw, ok := conn.(*net.TCPConn); ok {
			_ = cw.CloseWrite()
		}
		_, _ = bufio.NewReader(conn).ReadString('\n')
		conn.Close()
		requests++
	}
	// A TLS client against the plain server.
	tc, err := tls.Dial("tcp", srv.Listener.Addr().String(), &tls.Config{ServerName: link[:20], InsecureSkipVerify: true}) // #nosec G402 -- a deliberately wrong client, to make net/http log
	if err == nil {
		tc.Close()
	}

	// The database goes away: every request below fails inside, and what
	// the server logs about the failures must hold no secret either.
	e.db.Close()
	do("GET", "/i/"+link, "", "", nil, nil)
	do("POST", "/survey/1", form("formkey", key1, items[0].ID, "5"), "", session, nil)
	do("POST", "/login", form("email", "kanariefugl.hr@example.dk", "password", hrPassword), "", nil, nil)
	do("POST", "/admin/import", good, goodType, admin, nil)
	do("GET", "/api/v1/rounds", "", "", nil, bearer)
	srv.Close()
	if n := strings.Count(e.logs.String(), "level=ERROR"); n < 3 {
		t.Errorf("only %d errors logged with the database gone: the error paths were not reached", n)
	}

	logs := e.logs.String()
	if testing.Verbose() {
		t.Log(logs)
	}
	if n := strings.Count(logs, "msg=request"); n < 40 {
		t.Fatalf("only %d request lines were logged: the capture is not working", n)
	}
	leaks := 0
	for v, what := range secrets {
		for _, form := range []string{v, url.QueryEscape(v), auth.HashToken(v)} {
			if strings.Contains(logs, form) {
				leaks++
				t.Errorf("the log holds the %s %q", what, v)
				break
			}
		}
	}
	for _, c := range e.in.Competences {
		for _, it := range c.Items {
			if strings.Contains(logs, it.ID+"=") || strings.Contains(logs, `"`+it.ID+`"`) {
				leaks++
				t.Errorf("the log holds the answer to %s", it.ID)
			}
		}
	}
	t.Logf("canary leaks: %d (%d secrets incl. %d cookies, answers to %d items; %d requests; %d log lines, %d bytes)",
		leaks, len(secrets), countPrefix(secrets, "cookie"), 44, requests, strings.Count(logs, "\n"), len(logs))
}

func countPrefix(m map[string]string, prefix string) int {
	n := 0
	for _, what := range m {
		if strings.HasPrefix(what, prefix) {
			n++
		}
	}
	return n
}
