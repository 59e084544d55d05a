package web_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/survey"
	"lederradar/web"
)

// TestMain runs more tests at once than there are processors, unless
// -parallel says how many: the browser tests spend most of their time
// waiting for Chromium, Java or a timer, and a slot each held left the
// processors idle. It closes the Chromium the browser tests share once
// they have all run.
func TestMain(m *testing.M) {
	flag.Parse()
	if !flagSet("test.parallel") {
		_ = flag.Set("test.parallel", strconv.Itoa(max(4, 2*runtime.GOMAXPROCS(0))))
	}
	code := m.Run()
	closeChromium()
	os.Exit(code)
}

// flagSet reports whether the command line set the flag name.
func flagSet(name string) (set bool) {
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// env is a server on a temp-file database with one department, one leader
// (Ada) invited to an open round, and a closed round she answered.
type env struct {
	t       *testing.T
	db      *data.DB
	dbPath  string
	in      *survey.Instrument
	server  *web.Server
	handler http.Handler
	logs    *syncBuffer
	cfg     web.Config
	sleeps  *loginSleeps // the log-in delays asked for; none is waited
	person  survey.Person
	open    survey.Round
	closed  survey.Round
	token   string // Ada's link to the open round
	oldLink string // Ada's link to the closed round
	// oldSession is the token of the session Ada's browser got from
	// oldLink while the round was open: after the close, a new browser
	// gets none (closedSession).
	oldSession string
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// mustOpenDB opens a new, empty database of the test's own.
func mustOpenDB(tb testing.TB) *data.DB {
	tb.Helper()
	return mustOpenDBAt(tb, web.EmptyDBPath(tb))
}

// mustOpenDBAt opens the database at path and closes it when the test
// ends.
func mustOpenDBAt(tb testing.TB, path string) *data.DB {
	tb.Helper()
	db, err := data.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// sharedAssets are the static files of every server the tests start:
// loaded, and compressed, once.
var sharedAssets = sync.OnceValues(web.LoadAssets)

func testAssets(tb testing.TB) *web.Assets {
	tb.Helper()
	a, err := sharedAssets()
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

func newEnv(t *testing.T, opts ...func(*web.Config)) *env {
	t.Helper()
	ctx := context.Background()
	path := web.EmptyDBPath(t)
	e := &env{t: t, db: mustOpenDBAt(t, path), dbPath: path, logs: &syncBuffer{}, sleeps: &loginSleeps{}}
	in, err := survey.DefaultInstrument()
	if err != nil {
		t.Fatal(err)
	}
	e.in = in
	must(t, e.db.EnsureInstrument(ctx, in, survey.DefaultInstrumentFile()))
	dept := survey.Group{Kind: survey.Department, Name: "Teknik og Miljø"}
	must(t, e.db.CreateGroup(ctx, &dept))
	e.person = survey.Person{Email: "ada@example.dk", Name: "Ada Jensen", DepartmentID: dept.ID}
	must(t, e.db.CreatePerson(ctx, &e.person))

	e.closed = survey.Round{Name: "Forår 2026", Status: survey.RoundOpen, InstrumentVersion: in.Version}
	must(t, e.db.CreateRound(ctx, &e.closed))
	e.oldLink = e.invite(e.closed.ID)
	all := survey.Answers{}
	for _, c := range in.Competences {
		for _, it := range c.Items {
			all[it.ID] = 3
		}
	}
	_, err = e.db.SaveAnswers(ctx, data.AnswerSave{RoundID: e.closed.ID, SubjectID: e.person.ID, RaterID: e.person.ID, Relation: survey.Self, FormKey: "closed-page", Answers: all})
	must(t, err)
	_, err = e.db.SubmitResponse(ctx, e.closed.ID, e.person.ID, e.person.ID, survey.Self, "closed-submit")
	must(t, err)
	oldInv, err := e.db.FindInvitationByTokenHash(ctx, auth.HashToken(e.oldLink))
	must(t, err)
	var oldHash string
	e.oldSession, oldHash = auth.NewToken()
	must(t, e.db.OpenLink(ctx, data.LinkSession{TokenHash: oldHash, InvitationID: oldInv.ID, Idle: 8 * time.Hour, MaxAge: 24 * time.Hour, Browser: "firefox", OS: "linux"}))
	must(t, e.db.SetRoundStatus(ctx, e.closed.ID, survey.RoundClosed))
	e.open = survey.Round{Name: "Efterår 2026", Status: survey.RoundOpen, InstrumentVersion: in.Version}
	must(t, e.db.CreateRound(ctx, &e.open))
	e.token = e.invite(e.open.ID)

	cfg := web.Config{
		DB:         e.db,
		Instrument: in,
		Logger:     slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		BaseURL:    "http://127.0.0.1:8080",
		LoginSleep: e.sleeps.sleep,
		// Log-ins sent at once wait their turn, however slow the race
		// detector makes each check.
		PasswordCheckWait: 5 * time.Minute,
		// Its accounts have cheap hashes (cheapHash).
		DummyPasswordCheck: cheapDummyCheck,
		Assets:             testAssets(t),
	}
	for _, o := range opts {
		o(&cfg)
	}
	e.cfg = cfg
	e.server, err = web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.handler = e.server.Handler()
	return e
}

// restart replaces the server with a new one on the same database file
// and configuration, as a restart of the program does: nothing it or the
// database handle kept in memory is left. The database keeps its clock.
func (e *env) restart(t *testing.T) {
	t.Helper()
	db := mustOpenDBAt(t, e.dbPath)
	db.Now = e.db.Now
	e.db, e.cfg.DB = db, db
	s, err := web.New(e.cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.server, e.handler = s, s.Handler()
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (e *env) invite(roundID int64) string {
	token, hash := auth.NewToken()
	inv := survey.Invitation{RoundID: roundID, PersonID: e.person.ID, SubjectID: e.person.ID, Relation: survey.Self}
	must(e.t, e.db.CreateInvitation(context.Background(), &inv, e.person.ID, hash))
	return token
}

// request is one HTTP request to the server.
type request struct {
	method  string
	path    string
	form    url.Values
	body    string // raw body, when form is nil
	cookies []*http.Cookie
	header  map[string]string
	remote  string // the client's address and port; 192.0.2.1:1234 if empty
}

func (e *env) do(r request) *httptest.ResponseRecorder {
	e.t.Helper()
	var body io.Reader
	if r.form != nil {
		body = strings.NewReader(r.form.Encode())
	} else if r.body != "" {
		body = strings.NewReader(r.body)
	}
	method := r.method
	if method == "" {
		method = http.MethodGet
	}
	req := httptest.NewRequest(method, r.path, body)
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	for _, c := range r.cookies {
		req.AddCookie(c)
	}
	if r.remote != "" {
		req.RemoteAddr = r.remote
	}
	w := httptest.NewRecorder()
	e.handler.ServeHTTP(w, req)
	return w
}

// closedSession returns the cookie of the session Ada's browser got from
// her link to the closed round while it was open.
func (e *env) closedSession() *http.Cookie {
	name := "lr_session"
	if strings.HasPrefix(e.cfg.BaseURL, "https://") {
		name = "__Host-" + name
	}
	return &http.Cookie{Name: name, Value: e.oldSession}
}

// loginSleeps stands in for the wait before a log-in's password is
// checked: it records the delay and returns at once, so throttling tests
// take no time.
type loginSleeps struct {
	mu     sync.Mutex
	delays []time.Duration
	// hold, when set, keeps each log-in waiting until that many delays
	// have been recorded: log-ins sent at once then all reach their wait
	// before any password is checked, however fast the check.
	hold    int
	arrived chan struct{}
}

func (l *loginSleeps) sleep(ctx context.Context, d time.Duration) error {
	l.mu.Lock()
	l.delays = append(l.delays, d)
	held := l.arrived
	if held != nil && len(l.delays) == l.hold {
		close(held)
		l.arrived = nil
	}
	l.mu.Unlock()
	if held == nil {
		return nil
	}
	select {
	case <-held:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// holdUntil makes log-ins wait in their delay until n delays have been
// recorded since the last take.
func (l *loginSleeps) holdUntil(n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.hold, l.arrived = n, make(chan struct{})
}

// take returns the delays recorded since the last take, in the order
// asked for.
func (l *loginSleeps) take() []time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	d := l.delays
	l.delays = nil
	return d
}

// login opens a personal link and returns the session cookie.
func (e *env) login(token string) *http.Cookie {
	e.t.Helper()
	w := e.do(request{path: "/i/" + token})
	if w.Code != http.StatusSeeOther {
		e.t.Fatalf("GET /i/token = %d, want 303; body %s", w.Code, w.Body.String())
	}
	for _, c := range w.Result().Cookies() {
		if strings.HasSuffix(c.Name, "lr_session") {
			return c
		}
	}
	e.t.Fatal("no session cookie")
	return nil
}

// pageForm answers every item of competence n (1-based) with value v.
func (e *env) pageForm(n int, v string) url.Values {
	f := url.Values{"nav": {"next"}}
	key, _ := auth.NewToken()
	f.Set("formkey", key)
	for _, it := range e.in.Competences[n-1].Items {
		f.Set(it.ID, v)
	}
	return f
}

func (e *env) answers(roundID int64) survey.Answers {
	e.t.Helper()
	r, err := e.db.FindResponse(context.Background(), roundID, e.person.ID, e.person.ID)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		return survey.Answers{}
	}
	must(e.t, err)
	return r.Answers
}

// cheapHash returns an argon2id hash of password in the format
// auth.HashPassword writes, with the least memory and time argon2
// allows. Under the race detector one check at the real parameters takes
// about a second, and these tests log in hundreds of times; the check
// reads its parameters from the hash, so a log-in goes the same way.
// survey's tests and TestLoginFloodKeepsTheServerAnswering keep the real
// parameters tested.
func cheapHash(password string) string {
	const memory, passes, threads = 8, 1, 1 // KiB, passes, lanes
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, passes, memory, threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, memory, passes, threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// cheapDummyCheck spends on a log-in with an unknown e-mail address the
// time a wrong password against a cheapHash takes, as
// auth.DummyPasswordCheck does for the real parameters.
func cheapDummyCheck(password string) {
	_ = argon2.IDKey([]byte(password), make([]byte, 16), 1, 8, 1, 32)
}

// scenario is one row of a scenario table: a request and what it must
// answer.
type scenario struct {
	name       string
	req        request
	wantStatus int
	want       []string // substrings of the body
	notWant    []string
	wantHeader map[string]string
	after      func(t *testing.T, w *httptest.ResponseRecorder) // more checks, or nil
}

// check fails t unless w answers as the scenario says.
func (tt scenario) check(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	body := w.Body.String()
	if w.Code != tt.wantStatus {
		t.Fatalf("status = %d, want %d; body:\n%s", w.Code, tt.wantStatus, body)
	}
	for _, s := range tt.want {
		if !strings.Contains(body, s) {
			t.Errorf("body lacks %q:\n%s", s, body)
		}
	}
	for _, s := range tt.notWant {
		if strings.Contains(body, s) {
			t.Errorf("body has %q", s)
		}
	}
	for k, v := range tt.wantHeader {
		if got := w.Header().Get(k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	if tt.after != nil {
		tt.after(t, w)
	}
}
