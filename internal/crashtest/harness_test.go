package crashtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/survey"
)

// The real binary, built once per test process.
var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
	buildTook time.Duration
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// binary builds cmd/lederradar with the go command on PATH and returns its
// path.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		start := time.Now()
		goCmd, err := exec.LookPath("go")
		if err != nil {
			buildErr = fmt.Errorf("the go command is needed to build the binary: %w", err)
			return
		}
		if binDir, err = os.MkdirTemp("", "lederradar-crashtest-"); err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(binDir, "lederradar")
		// Built as it ships, never with -race: the race detector slows
		// the transpiled SQLite so much that the load would be too light
		// to prove anything. The server's code is race-tested in web.
		args := []string{"build", "-o", binPath, "lederradar/cmd/lederradar"}
		out, err := exec.Command(goCmd, args...).CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		buildTook = time.Since(start)
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// childEnv is the environment without LEDERRADAR_ variables, so that only
// the flags the test gives configure the binary.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LEDERRADAR_") {
			env = append(env, kv)
		}
	}
	return env
}

// lockedBuffer collects a child's output from several goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// freeAddr returns a loopback address with a port nobody listens on now.
// The server is restarted on the same address after every kill.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// server is `lederradar serve` as a child process.
type server struct {
	t      *testing.T
	bin    string
	db     string
	addr   string
	logs   *lockedBuffer
	cmd    *exec.Cmd
	starts int
}

func newServer(t *testing.T, bin, db string) *server {
	s := &server{t: t, bin: bin, db: db, addr: freeAddr(t), logs: &lockedBuffer{}}
	t.Cleanup(func() {
		if s.cmd != nil {
			s.kill()
		}
	})
	return s
}

func (s *server) url(path string) string { return "http://" + s.addr + path }

// start starts the server and waits until /healthz answers.
func (s *server) start() {
	s.t.Helper()
	cmd := exec.Command(s.bin, "serve", "--db", s.db, "--addr", s.addr, "--log-level", "warn")
	cmd.Env = childEnv()
	cmd.Stdout = s.logs
	cmd.Stderr = s.logs
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("start server: %v", err)
	}
	s.cmd = cmd
	s.starts++
	deadline := time.Now().Add(30 * time.Second)
	for !s.ready() {
		if time.Now().After(deadline) {
			s.t.Fatalf("server (start %d) not ready after 30s; output:\n%s", s.starts, s.logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (s *server) ready() bool {
	c := &http.Client{Timeout: time.Second}
	resp, err := c.Get(s.url("/healthz"))
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// kill sends SIGKILL: no shutdown, no deferred Close, no final checkpoint.
func (s *server) kill() {
	s.t.Helper()
	if err := s.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		s.t.Errorf("kill: %v", err)
	}
	_ = s.cmd.Wait() // "signal: killed"
	s.cmd = nil
}

// stop shuts the server down as an operator would (SIGINT).
func (s *server) stop() {
	s.t.Helper()
	if err := s.cmd.Process.Signal(os.Interrupt); err != nil {
		s.t.Errorf("interrupt: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			s.t.Errorf("server exit: %v; output:\n%s", err, s.logs.String())
		}
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		<-done
		s.t.Errorf("server did not stop on SIGINT within 15s")
	}
	s.cmd = nil
}

// checkLogs fails the test on a data race, a panic or a server error in
// the child's output.
func (s *server) checkLogs() {
	s.t.Helper()
	out := s.logs.String()
	for _, bad := range []string{"WARNING: DATA RACE", "panic", "level=ERROR"} {
		if strings.Contains(out, bad) {
			s.t.Errorf("server output contains %q:\n%s", bad, out)
			return
		}
	}
}

// The organisation the tests seed: leaders self-assessing in one open
// round of the built-in instrument.
type seeded struct {
	in      *survey.Instrument
	roundID int64
	leaders []seededLeader
}

type seededLeader struct {
	personID int64
	token    string
}

func seed(t *testing.T, path string, leaders int) seeded {
	t.Helper()
	ctx := context.Background()
	db, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	in, err := survey.DefaultInstrument()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.EnsureInstrument(ctx, in, survey.DefaultInstrumentFile()); err != nil {
		t.Fatal(err)
	}
	dept := survey.Group{Kind: survey.Department, Name: "Teknik og Miljø"}
	if err := db.CreateGroup(ctx, &dept); err != nil {
		t.Fatal(err)
	}
	round := survey.Round{Name: "Efterår 2026", Status: survey.RoundOpen, InstrumentVersion: in.Version}
	if err := db.CreateRound(ctx, &round); err != nil {
		t.Fatal(err)
	}
	s := seeded{in: in, roundID: round.ID}
	for i := range leaders {
		p := survey.Person{Email: fmt.Sprintf("leder%02d@example.dk", i), Name: fmt.Sprintf("Leder %02d", i), DepartmentID: dept.ID}
		if err := db.CreatePerson(ctx, &p); err != nil {
			t.Fatal(err)
		}
		token, hash := auth.NewToken()
		inv := survey.Invitation{RoundID: round.ID, PersonID: p.ID, SubjectID: p.ID, Relation: survey.Self}
		if err := db.CreateInvitation(ctx, &inv, p.ID, hash); err != nil {
			t.Fatal(err)
		}
		s.leaders = append(s.leaders, seededLeader{personID: p.ID, token: token})
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return s
}

// attempt is one posted form: a page of answers, or the submission (page
// 0). A failed post is retried with the same form key, so an attempt is
// acknowledged when any of its tries got the 303 that follows the commit.
type attempt struct {
	key     string
	page    int
	answers map[string]int
	acked   bool
	ackedAt time.Time
	tries   int
}

// leaderRun is one leader's browser: a session and the forms it posted,
// in order. Posts of one leader are sequential, so the order of attempts
// is the order of their commits.
type leaderRun struct {
	idx    int
	seeded seededLeader
	in     *survey.Instrument
	srv    *server
	client *http.Client
	rng    *rand.Rand
	cookie *http.Cookie

	mu         sync.Mutex
	attempts   []*attempt
	last       map[string]int // last value posted per item
	replays    int            // old acknowledged forms posted again
	retries    int            // tries after a failed one
	unexpected []string       // answers that were neither 303 nor a broken connection
}

func newLeaderRun(idx int, l seededLeader, in *survey.Instrument, srv *server, seed uint64) *leaderRun {
	return &leaderRun{
		idx: idx, seeded: l, in: in, srv: srv,
		client: &http.Client{
			Timeout:       10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			Transport:     &http.Transport{MaxIdleConnsPerHost: 1},
		},
		rng:  rand.New(rand.NewPCG(seed, uint64(idx))),
		last: map[string]int{},
	}
}

func (l *leaderRun) noteUnexpected(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.unexpected) < 20 {
		l.unexpected = append(l.unexpected, fmt.Sprintf("leader %d: ", l.idx)+fmt.Sprintf(format, args...))
	}
}

// pause waits a little between tries, or until ctx ends.
func pause(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// login opens the leader's personal link until the server answers with a
// session cookie.
func (l *leaderRun) login(ctx context.Context) bool {
	for ctx.Err() == nil {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, l.srv.url("/i/"+l.seeded.token), nil)
		resp, err := l.client.Do(req)
		if err != nil {
			pause(ctx, 15*time.Millisecond)
			continue
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		for _, c := range resp.Cookies() {
			if c.Name == "lr_session" && c.Value != "" && resp.StatusCode == http.StatusSeeOther {
				l.cookie = c
				return true
			}
		}
		l.noteUnexpected("GET /i/token answered %d", resp.StatusCode)
		pause(ctx, 15*time.Millisecond)
	}
	return false
}

// post sends a form and returns the status and Location, or the
// transport error (a killed server).
func (l *leaderRun) post(ctx context.Context, path string, form url.Values) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.srv.url(path), strings.NewReader(form.Encode()))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(l.cookie)
	resp, err := l.client.Do(req)
	if err != nil {
		return 0, "", err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location"), nil
}

// send posts form until a try is acknowledged (303 to want…) or ctx ends;
// every try carries the same form key.
func (l *leaderRun) send(ctx context.Context, path string, form url.Values, want string, a *attempt) bool {
	for try := 0; ctx.Err() == nil; try++ {
		if a != nil {
			l.mu.Lock()
			a.tries++
			if try > 0 {
				l.retries++
			}
			l.mu.Unlock()
		}
		status, loc, err := l.post(ctx, path, form)
		switch {
		case err != nil:
			// The server died under the request, or is down: the post may
			// or may not have been stored; the same key is sent again.
		case status == http.StatusSeeOther && strings.HasPrefix(loc, want):
			return true
		default:
			l.noteUnexpected("POST %s answered %d (Location %q)", path, status, loc)
		}
		pause(ctx, 10*time.Millisecond+time.Duration(l.rng.IntN(10))*time.Millisecond)
	}
	return false
}

// work posts pages of answers, now and then a submission or a repeat of an
// old form, until stop is closed (the post under way is finished) or ctx
// ends (the post under way is abandoned).
func (l *leaderRun) work(ctx context.Context, stop <-chan struct{}) {
	if !l.login(ctx) {
		return
	}
	for ctx.Err() == nil {
		select {
		case <-stop:
			return
		default:
		}
		r := l.rng.Float64()
		switch {
		case r < 0.04:
			l.submit(ctx)
		case r < 0.12:
			l.replay(ctx)
		default:
			l.save(ctx)
		}
	}
}

func (l *leaderRun) newKey(kind string, n int) string {
	return fmt.Sprintf("ct-%s-%02d-%06d-%08x", kind, l.idx, n, l.rng.Uint32())
}

// save posts one page with new values for its items (each differs from the
// value posted before, so a lost save shows).
func (l *leaderRun) save(ctx context.Context) {
	page := 1 + l.rng.IntN(len(l.in.Competences))
	l.mu.Lock()
	a := &attempt{key: l.newKey("page", len(l.attempts)), page: page, answers: map[string]int{}}
	for _, it := range l.in.Competences[page-1].Items {
		if l.rng.IntN(8) == 0 {
			continue // left unanswered on this post: keeps what it had
		}
		v := l.rng.IntN(6)
		if prev, ok := l.last[it.ID]; ok {
			v = (prev + 1 + l.rng.IntN(5)) % 6
		}
		a.answers[it.ID] = v
		l.last[it.ID] = v
	}
	l.attempts = append(l.attempts, a)
	l.mu.Unlock()

	form := url.Values{"formkey": {a.key}, "nav": {"next"}}
	for id, v := range a.answers {
		form.Set(id, strconv.Itoa(v))
	}
	if l.send(ctx, fmt.Sprintf("/survey/%d", page), form, "/", a) {
		l.mu.Lock()
		a.acked, a.ackedAt = true, time.Now()
		l.mu.Unlock()
	}
}

// submit posts the review form with a new key; submitting again later
// must change nothing.
func (l *leaderRun) submit(ctx context.Context) {
	l.mu.Lock()
	a := &attempt{key: l.newKey("submit", len(l.attempts))}
	l.attempts = append(l.attempts, a)
	l.mu.Unlock()
	if l.send(ctx, "/review", url.Values{"formkey": {a.key}}, "/result", a) {
		l.mu.Lock()
		a.acked, a.ackedAt = true, time.Now()
		l.mu.Unlock()
	}
}

// replay posts an old acknowledged page again, key and values as they
// were, the way a browser's back button and "resend" do. It must be
// acknowledged and must change nothing.
func (l *leaderRun) replay(ctx context.Context) {
	l.mu.Lock()
	var old []*attempt
	for _, a := range l.attempts {
		if a.acked && a.page > 0 {
			old = append(old, a)
		}
	}
	if len(old) == 0 {
		l.mu.Unlock()
		l.save(ctx)
		return
	}
	a := old[l.rng.IntN(len(old))]
	l.replays++
	l.mu.Unlock()
	form := url.Values{"formkey": {a.key}, "nav": {"next"}}
	for id, v := range a.answers {
		form.Set(id, strconv.Itoa(v))
	}
	l.send(ctx, fmt.Sprintf("/survey/%d", a.page), form, "/", nil)
}

// snapshot is what the leaders had been told at one moment: how many
// attempts there were, and which of them were acknowledged then.
type snapshot [][]bool

func takeSnapshot(leaders []*leaderRun) snapshot {
	s := make(snapshot, len(leaders))
	for i, l := range leaders {
		l.mu.Lock()
		for _, a := range l.attempts {
			s[i] = append(s[i], a.acked)
		}
		l.mu.Unlock()
	}
	return s
}

// tally is what a check found.
type tally struct {
	ackedSaves    int // acknowledged page posts
	ackedAnswers  int // answers in them
	ackedSubmits  int // acknowledged submissions (the first and any later)
	unacked       int // posts never acknowledged: in flight at the end
	itemsChecked  int // stored items compared
	lost          int // acknowledged answers, form keys or submissions not found
	wrong         int // stored values that no post explains
	duplicates    int // forms applied twice, extra response rows or submissions
	submitted     int // leaders whose response is submitted
	replays       int
	retries       int
	problems      []string
	unexpectedRes []string
}

func (t *tally) problem(format string, args ...any) {
	if len(t.problems) < 30 {
		t.problems = append(t.problems, fmt.Sprintf(format, args...))
	}
}

// stored is one leader's response as read back.
type stored struct {
	found      bool
	responseID int64
	answers    map[string]int
	submitted  bool
	submitTime time.Time
}

// expectations compares a leader's stored answers with their attempts as
// snap saw them. For every item, the stored value must be that of the last
// attempt acknowledged in snap that posted the item, or of any attempt
// after it (acknowledged later or never: an unacknowledged post may have
// committed before the server died). An item no acknowledged attempt
// posted may be missing.
func checkAnswers(tl *tally, who string, attempts []*attempt, acked []bool, got map[string]int) {
	items := map[string]bool{}
	for _, a := range attempts {
		for id := range a.answers {
			items[id] = true
		}
	}
	for id := range got {
		if !items[id] {
			tl.wrong++
			tl.problem("%s: item %s stored as %d but never posted", who, id, got[id])
		}
	}
	ids := make([]string, 0, len(items))
	for id := range items {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		lastAck := -1
		for i, a := range attempts {
			if _, ok := a.answers[id]; ok && i < len(acked) && acked[i] {
				lastAck = i
			}
		}
		allowed := map[int]bool{}
		for i, a := range attempts {
			if v, ok := a.answers[id]; ok && i >= lastAck {
				allowed[v] = true
			}
		}
		v, ok := got[id]
		tl.itemsChecked++
		switch {
		case !ok && lastAck >= 0:
			tl.lost++
			tl.problem("%s: item %s missing; acknowledged value %d", who, id, attempts[lastAck].answers[id])
		case ok && !allowed[v]:
			if lastAck >= 0 {
				tl.lost++
				tl.problem("%s: item %s is %d; acknowledged value %d (allowed %v)", who, id, v, attempts[lastAck].answers[id], keys(allowed))
			} else {
				tl.wrong++
				tl.problem("%s: item %s is %d, which no post sent", who, id, v)
			}
		}
	}
}

func keys(m map[int]bool) []int {
	var out []int
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}

// checkDB reads every leader's response from db and checks it against
// snap: answers, form keys, the submission, one response row each.
func checkDB(t *testing.T, db *data.DB, s seeded, leaders []*leaderRun, snap snapshot) tally {
	t.Helper()
	ctx := context.Background()
	var tl tally
	submitted, err := db.FindSubmittedResponses(ctx, s.roundID)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[int64]int{}
	for _, r := range submitted {
		rows[r.SubjectID]++
	}
	for i, l := range leaders {
		who := fmt.Sprintf("leader %d", l.idx)
		l.mu.Lock()
		attempts := append([]*attempt(nil), l.attempts...)
		tl.replays += l.replays
		tl.retries += l.retries
		tl.unexpectedRes = append(tl.unexpectedRes, l.unexpected...)
		l.mu.Unlock()
		acked := snap[i]

		var st stored
		resp, err := db.FindResponse(ctx, s.roundID, l.seeded.personID, l.seeded.personID)
		switch {
		case err == nil:
			st = stored{found: true, responseID: resp.ID, answers: map[string]int{}, submitted: resp.Submitted(), submitTime: resp.SubmittedAt}
			for id, v := range resp.Answers {
				st.answers[id] = int(v)
			}
		case survey.ErrorCode(err) == survey.ENOTFOUND:
		default:
			t.Fatal(err)
		}
		if st.submitted {
			tl.submitted++
		}
		if n := rows[l.seeded.personID]; n > 1 || (n == 1) != st.submitted {
			tl.duplicates++
			tl.problem("%s: %d submitted response rows, response submitted = %v", who, n, st.submitted)
		}

		var firstAck time.Time
		submitKeys := 0
		for j, a := range attempts {
			isAcked := j < len(acked) && acked[j]
			switch {
			case isAcked && a.page > 0:
				tl.ackedSaves++
				tl.ackedAnswers += len(a.answers)
			case isAcked:
				tl.ackedSubmits++
				if firstAck.IsZero() {
					firstAck = a.ackedAt
				}
			default:
				tl.unacked++
			}
			id, err := db.FindFormKey(ctx, a.key)
			found := err == nil
			if err != nil && survey.ErrorCode(err) != survey.ENOTFOUND {
				t.Fatal(err)
			}
			switch {
			case found && (!st.found || id != st.responseID):
				tl.wrong++
				tl.problem("%s: form key %s stored for response %d, not %d", who, a.key, id, st.responseID)
			case !found && isAcked && a.page > 0:
				tl.lost++
				tl.problem("%s: acknowledged page form %s not stored", who, a.key)
			}
			if found && a.page == 0 {
				submitKeys++
			}
		}
		// Only the submission that submitted records its key.
		switch {
		case submitKeys > 1:
			tl.duplicates++
			tl.problem("%s: %d submissions applied", who, submitKeys)
		case !firstAck.IsZero() && (!st.submitted || submitKeys != 1):
			tl.lost++
			tl.problem("%s: acknowledged submission not stored (submitted %v, %d keys)", who, st.submitted, submitKeys)
		case st.submitted && submitKeys != 1:
			tl.wrong++
			tl.problem("%s: submitted without a stored submission form", who)
		case !firstAck.IsZero() && st.submitTime.After(firstAck):
			tl.duplicates++
			tl.problem("%s: submission time %v is after the first acknowledgement %v: submitted again", who, st.submitTime, firstAck)
		}
		checkAnswers(&tl, who, attempts, acked, st.answers)
	}
	return tl
}

// integrity opens path with data.Open and runs PRAGMA integrity_check.
func integrity(t *testing.T, path string) string {
	t.Helper()
	db, err := data.Open(path)
	if err != nil {
		t.Fatalf("data.Open(%s): %v", path, err)
	}
	defer db.Close()
	res, err := db.IntegrityCheck(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// The checked options of a questionnaire page: radio inputs with the
// checked attribute, their attributes in any order.
var (
	inputTag   = regexp.MustCompile(`<input\b[^>]*>`)
	radioType  = regexp.MustCompile(`\stype="radio"`)
	checkedAtt = regexp.MustCompile(`\schecked(\s|=|/?>)`)
	nameAtt    = regexp.MustCompile(`\sname="([^"]+)"`)
	valueAtt   = regexp.MustCompile(`\svalue="(\d)"`)
)

// checkedAnswers returns item → value for the checked radio buttons in
// page.
func checkedAnswers(page []byte, into map[string]int) {
	for _, tag := range inputTag.FindAll(page, -1) {
		if !radioType.Match(tag) || !checkedAtt.Match(tag) {
			continue
		}
		name, value := nameAtt.FindSubmatch(tag), valueAtt.FindSubmatch(tag)
		if name == nil || value == nil {
			continue
		}
		v, _ := strconv.Atoi(string(value[1]))
		into[html.UnescapeString(string(name[1]))] = v
	}
}

// answersOverHTTP opens the leader's link on srv and reads the checked
// options of every page, as the leader would see them.
func answersOverHTTP(ctx context.Context, l *leaderRun, srv *server, pages int) (map[string]int, error) {
	c := &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.url("/i/"+l.seeded.token), nil)
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	var cookie *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "lr_session" {
			cookie = ck
		}
	}
	if resp.StatusCode != http.StatusSeeOther || cookie == nil {
		return nil, fmt.Errorf("GET /i/token = %d without a session", resp.StatusCode)
	}
	got := map[string]int{}
	for n := 1; n <= pages; n++ {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.url(fmt.Sprintf("/survey/%d", n)), nil)
		req.AddCookie(cookie)
		resp, err := c.Do(req)
		if err != nil {
			return nil, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("GET /survey/%d = %d", n, resp.StatusCode)
		}
		checkedAnswers(body, got)
	}
	return got, nil
}

// openDB opens path with data.Open and closes it when the test ends.
func openDB(t *testing.T, path string) *data.DB {
	t.Helper()
	db, err := data.Open(path)
	if err != nil {
		t.Fatalf("data.Open(%s): %v", path, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
