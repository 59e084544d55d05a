package mail_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/internal/mail"
	"lederradar/internal/mailtest"
	"lederradar/internal/testdb"
	"lederradar/survey"
)

// The organisation every test starts from: an open round closing
// 20-03-2026 and three leaders, one with Danish letters in her name and
// one who reads English.
var seeded testdb.Template[struct{}]

const baseURL = "https://lederradar.example.dk"

type fixture struct {
	db    *data.DB
	clock *clock
	round *survey.Round
}

// clock is the tests' time: the database's and the worker's. Sleep moves
// it on at once and records how long was slept.
type clock struct {
	mu    sync.Mutex
	t     time.Time
	slept []time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (c *clock) Sleep(_ context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept = append(c.slept, d)
	c.t = c.t.Add(d)
	return nil
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	path, _ := seeded.Copy(t, "mail.db", func(path string) (struct{}, error) {
		db, err := data.Open(path)
		if err != nil {
			return struct{}{}, err
		}
		defer db.Close()
		ctx := context.Background()
		in, err := survey.DefaultInstrument()
		if err != nil {
			return struct{}{}, err
		}
		if err := db.EnsureInstrument(ctx, in, survey.DefaultInstrumentFile()); err != nil {
			return struct{}{}, err
		}
		r := survey.Round{Name: "Forår 2026", Status: survey.RoundOpen, InstrumentVersion: in.Version,
			Closes: time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC)}
		if err := db.CreateRound(ctx, &r); err != nil {
			return struct{}{}, err
		}
		for _, p := range []survey.Person{{Email: "ase@example.dk", Name: "Åse Ærø-Østergård"}, {Email: "bo@example.dk", Name: "Bo Berg"}, {Email: "cai@example.dk", Name: "Cai Holm"}} {
			if err := db.CreatePerson(ctx, &p); err != nil {
				return struct{}{}, err
			}
			if p.Email == "cai@example.dk" {
				if err := db.SetPersonLanguage(ctx, p.ID, survey.English); err != nil {
					return struct{}{}, err
				}
			}
		}
		return struct{}{}, db.Close()
	})
	db, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{db: db, clock: &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}}
	db.Now = f.clock.Now
	if f.round, err = db.FindRoundByName(context.Background(), "Forår 2026"); err != nil {
		t.Fatal(err)
	}
	return f
}

// queue queues the round's invitations: one to each of the three.
func (f *fixture) queue(t *testing.T) {
	t.Helper()
	q, err := f.db.QueueInvitationMail(context.Background(), f.round.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if q.Queued != 3 {
		t.Fatalf("queued %d invitations, want 3", q.Queued)
	}
}

// worker is a worker for relay r on f's clock; change adjusts its
// configuration.
func (f *fixture) worker(t *testing.T, r *mailtest.Relay, tlsMode mail.TLSMode, change ...func(*mail.Config)) *mail.Worker {
	t.Helper()
	cfg := mail.Config{Addr: r.Addr, From: "Lederradar <lederradar@kommune.example.dk>", TLS: tlsMode, RootCAs: r.CA,
		BaseURL: baseURL, MinGroup: 5, Timeout: 5 * time.Second}
	for _, c := range change {
		c(&cfg)
	}
	w, err := mail.New(f.db, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	w.Now, w.Sleep = f.clock.Now, f.clock.Sleep
	return w
}

// outbox counts the round's messages by "kind/status".
func (f *fixture) outbox(t *testing.T) map[string]int {
	t.Helper()
	counts, err := f.db.FindOutboxCounts(context.Background(), f.round.ID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, c := range counts {
		out[string(c.Kind)+"/"+string(c.Status)] = c.N
	}
	return out
}

func sendDue(t *testing.T, w *mail.Worker) mail.Tally {
	t.Helper()
	tally, err := w.SendDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return tally
}

func TestSendsOverSTARTTLSWithAuth(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	relay := mailtest.Start(t, mailtest.Options{TLS: mailtest.STARTTLS, User: "lederradar", Password: "hemmeligt kodeord"})
	f.queue(t)

	// A wrong password: nothing goes, and the messages wait for another
	// try (the configuration is at fault, not the messages).
	wrong := f.worker(t, relay, mail.STARTTLS, func(c *mail.Config) { c.User, c.Password = "lederradar", "forkert" })
	if got := sendDue(t, wrong); got != (mail.Tally{Retrying: 3}) {
		t.Errorf("wrong password: %+v, want 3 retrying", got)
	}
	if n := len(relay.Messages()); n != 0 {
		t.Fatalf("the relay took %d messages without authentication", n)
	}

	f.clock.Add(time.Minute)
	w := f.worker(t, relay, mail.STARTTLS, func(c *mail.Config) { c.User, c.Password = "lederradar", "hemmeligt kodeord" })
	if got := sendDue(t, w); got != (mail.Tally{Sent: 3}) {
		t.Fatalf("right password: %+v, want 3 sent", got)
	}
	if got := f.outbox(t); got["invitation/sent"] != 3 {
		t.Errorf("outbox = %v, want 3 invitations sent", got)
	}
	byTo := map[string]*mailtest.Decoded{}
	for _, m := range relay.Messages() {
		d, err := m.Decode()
		if err != nil {
			t.Fatalf("message to %v: %v\n%s", m.To, err, m.Data)
		}
		byTo[m.To[0]] = d
		if m.From != "lederradar@kommune.example.dk" {
			t.Errorf("envelope sender %q", m.From)
		}
	}
	ase := byTo["ase@example.dk"]
	if ase == nil {
		t.Fatal("no message to Åse")
	}
	t.Run("Danish letters arrive encoded", func(t *testing.T) {
		if ase.Subject != "Din invitation til Lederradar »Forår 2026«" {
			t.Errorf("subject = %q", ase.Subject)
		}
		if len(ase.To) != 1 || ase.To[0].Name != "Åse Ærø-Østergård" {
			t.Errorf("To = %v", ase.To)
		}
		raw := string(relay.Messages()[0].Data)
		head, _, _ := strings.Cut(raw, "\r\n\r\n")
		for _, line := range strings.Split(head, "\r\n") {
			for _, r := range line {
				if r > 127 {
					t.Errorf("header line %q is not 7-bit: encoded words expected", line)
					break
				}
			}
		}
		if !strings.Contains(ase.Text, "Kære Åse Ærø-Østergård") || !strings.Contains(ase.HTML, "Kære Åse Ærø-Østergård") {
			t.Errorf("text or HTML lacks the greeting:\n%s\n%s", ase.Text, ase.HTML)
		}
	})
	t.Run("the personal link works and the headers are complete", func(t *testing.T) {
		token := linkToken(t, ase.Text)
		inv, err := f.db.FindInvitationByTokenHash(context.Background(), auth.HashToken(token))
		if err != nil {
			t.Fatalf("the mailed link opens nothing: %v", err)
		}
		p, err := f.db.FindPersonByID(context.Background(), inv.PersonID)
		if err != nil || p.Email != "ase@example.dk" {
			t.Errorf("the link is %v's (%v)", p, err)
		}
		if !strings.Contains(ase.HTML, `href="`+baseURL+"/i/"+token+`"`) {
			t.Errorf("the HTML part lacks the link")
		}
		if id := ase.Header.Get("Message-Id"); !strings.HasSuffix(id, "@kommune.example.dk>") {
			t.Errorf("Message-ID = %q, want one at the sender's domain", id)
		}
		for _, want := range []string{"20-03-2026", "mindst 5 besvarelser", "kun du ser det"} {
			if !strings.Contains(ase.Text, want) {
				t.Errorf("the invitation lacks %q:\n%s", want, ase.Text)
			}
		}
	})
	t.Run("in the person's language", func(t *testing.T) {
		cai := byTo["cai@example.dk"]
		if cai == nil || !strings.HasPrefix(cai.Subject, "Your invitation") || !strings.Contains(cai.Text, "20 March 2026") {
			t.Errorf("Cai's (English) message: %+v", cai)
		}
	})
	t.Run("sent once", func(t *testing.T) {
		if got := sendDue(t, w); got != (mail.Tally{}) {
			t.Errorf("a second run sent %+v", got)
		}
	})
}

// linkToken finds the personal link's token in a text.
func linkToken(t *testing.T, text string) string {
	t.Helper()
	_, after, ok := strings.Cut(text, baseURL+"/i/")
	if !ok {
		t.Fatalf("no personal link in:\n%s", text)
	}
	return strings.Fields(after)[0]
}

func TestSendsOverImplicitTLS(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	relay := mailtest.Start(t, mailtest.Options{TLS: mailtest.TLS})
	f.queue(t)
	if got := sendDue(t, f.worker(t, relay, mail.TLS)); got.Sent != 3 {
		t.Errorf("sent %+v, want 3", got)
	}
}

func TestRefusesAnUntrustedCertificate(t *testing.T) {
	t.Parallel()
	for _, mode := range []mail.TLSMode{mail.STARTTLS, mail.TLS} {
		t.Run(string(mode), func(t *testing.T) {
			f := newFixture(t)
			relay := mailtest.Start(t, mailtest.Options{TLS: string(mode)})
			f.queue(t)
			// The system's authorities do not know the test's.
			w := f.worker(t, relay, mode, func(c *mail.Config) { c.RootCAs = nil })
			if got := sendDue(t, w); got != (mail.Tally{Retrying: 3}) {
				t.Errorf("untrusted certificate: %+v, want 3 retrying", got)
			}
			if n := len(relay.Messages()); n != 0 {
				t.Errorf("%d messages went to a relay with an untrusted certificate", n)
			}
		})
	}
}

func TestRefusesPlainTextToAnotherMachine(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, tt := range []struct {
		addr string
		ok   bool
	}{{"127.0.0.1:25", true}, {"localhost:25", true}, {"[::1]:25", true}, {"smtp.kommune.dk:25", false}, {"10.0.0.5:25", false}} {
		_, err := mail.New(f.db, mail.Config{Addr: tt.addr, From: "lr@kommune.dk", TLS: mail.None, BaseURL: baseURL},
			slog.New(slog.NewTextHandler(io.Discard, nil)))
		if (err == nil) != tt.ok {
			t.Errorf("--smtp-tls none to %s: error %v, want ok %v", tt.addr, err, tt.ok)
		}
	}
}

func TestRetriesATemporaryFailure(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	relay := mailtest.Start(t, mailtest.Options{TLS: mailtest.STARTTLS, Reply: func(rcpt string, n int) error {
		if rcpt == "bo@example.dk" && n < 3 {
			return mailtest.Temporary
		}
		return nil
	}})
	f.queue(t)
	// A rate so high that its pauses do not move the clock past a retry.
	w := f.worker(t, relay, mail.STARTTLS, func(c *mail.Config) { c.Rate = 6000 })
	if got := sendDue(t, w); got != (mail.Tally{Sent: 2, Retrying: 1}) {
		t.Fatalf("first run: %+v", got)
	}
	// Not before its time: a minute after the first try, then two.
	f.clock.Add(59 * time.Second)
	if got := sendDue(t, w); got != (mail.Tally{}) {
		t.Errorf("retried early: %+v", got)
	}
	f.clock.Add(time.Second)
	if got := sendDue(t, w); got != (mail.Tally{Retrying: 1}) {
		t.Errorf("second try: %+v", got)
	}
	f.clock.Add(2 * time.Minute)
	if got := sendDue(t, w); got != (mail.Tally{Sent: 1}) {
		t.Errorf("third try: %+v", got)
	}
	if n := relay.Delivered("bo@example.dk"); n != 1 {
		t.Errorf("Bo got %d messages, want 1", n)
	}
	if got := f.outbox(t); got["invitation/sent"] != 3 {
		t.Errorf("outbox = %v", got)
	}
}

func TestGivesUpOnAPermanentFailure(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	relay := mailtest.Start(t, mailtest.Options{TLS: mailtest.STARTTLS, Reply: func(rcpt string, n int) error {
		if rcpt == "bo@example.dk" {
			return mailtest.Permanent
		}
		return nil
	}})
	f.queue(t)
	w := f.worker(t, relay, mail.STARTTLS)
	if got := sendDue(t, w); got != (mail.Tally{Sent: 2, Failed: 1}) {
		t.Fatalf("sent %+v, want 2 sent and 1 failed", got)
	}
	f.clock.Add(24 * time.Hour)
	if got := sendDue(t, w); got != (mail.Tally{}) {
		t.Errorf("a failed message was tried again: %+v", got)
	}
	failed, err := f.db.FindFailedInvitations(context.Background(), f.round.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(failed) != 1 || failed[0].Email != "bo@example.dk" || !strings.Contains(failed[0].Reason, "550") || strings.Contains(failed[0].Reason, "bo@example.dk") {
		t.Errorf("failed = %+v, want Bo with the 550 reply and no address in it", failed)
	}
}

func TestKeepsTheRate(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	relay := mailtest.Start(t, mailtest.Options{TLS: mailtest.STARTTLS})
	f.queue(t)
	w := f.worker(t, relay, mail.STARTTLS, func(c *mail.Config) { c.Rate = 2 })
	if got := sendDue(t, w); got.Sent != 3 {
		t.Fatalf("sent %+v", got)
	}
	f.clock.mu.Lock()
	slept := append([]time.Duration(nil), f.clock.slept...)
	f.clock.mu.Unlock()
	if fmt.Sprint(slept) != "[30s 30s]" {
		t.Errorf("slept %v between three messages at 2 a minute, want [30s 30s]", slept)
	}
}

func TestNeverTwiceAfterACrash(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	relay := mailtest.Start(t, mailtest.Options{TLS: mailtest.STARTTLS})
	f.queue(t)
	// A sender claimed a message and died before it knew whether the
	// relay took it.
	claimed, err := f.db.ClaimOutbox(context.Background(), 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	w := f.worker(t, relay, mail.STARTTLS)
	if got := sendDue(t, w); got != (mail.Tally{Sent: 2}) {
		t.Errorf("after the crash: %+v, want the 2 others sent", got)
	}
	f.clock.Add(10 * time.Minute)
	if got := sendDue(t, w); got != (mail.Tally{}) {
		t.Errorf("the message cut off mid-send was sent again: %+v", got)
	}
	if n := relay.Delivered(claimed.Email); n != 0 {
		t.Errorf("%d deliveries of the message cut off mid-send", n)
	}
	if got := f.outbox(t); got["invitation/unknown"] != 1 || got["invitation/sent"] != 2 {
		t.Errorf("outbox = %v, want 1 unknown and 2 sent", got)
	}
}

func TestRemindersAndThanks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	relay := mailtest.Start(t, mailtest.Options{TLS: mailtest.STARTTLS})
	f.queue(t)
	w := f.worker(t, relay, mail.STARTTLS)
	sendDue(t, w)
	ase, err := f.db.FindPersonByEmail(ctx, "ase@example.dk")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.SubmitResponse(ctx, f.round.ID, ase.ID, ase.ID, survey.Self, "ase-submit"); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(time.Date(2026, 3, 18, 8, 0, 0, 0, time.UTC).Sub(f.clock.Now()))
	cph, _ := time.LoadLocation("Europe/Copenhagen")
	if q, err := f.db.QueueReminders(ctx, cph); err != nil || len(q) != 1 || q[0].N != 2 || q[0].Day != 2 {
		t.Fatalf("reminders %+v (%v), want 2 on day 2", q, err)
	}
	if got := sendDue(t, w); got.Sent != 2 {
		t.Fatalf("reminders sent %+v", got)
	}
	if err := f.db.CloseRound(ctx, f.round.ID, 5); err != nil {
		t.Fatal(err)
	}
	if got := sendDue(t, w); got.Sent != 1 {
		t.Fatalf("thanks sent %+v", got)
	}
	var invitation, reminder, thanks *mailtest.Decoded
	for _, m := range relay.Messages() {
		d, err := m.Decode()
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case m.To[0] == "bo@example.dk" && strings.HasPrefix(d.Subject, "Din invitation"):
			invitation = d
		case m.To[0] == "bo@example.dk" && strings.HasPrefix(d.Subject, "Påmindelse"):
			reminder = d
		case strings.HasPrefix(d.Subject, "Tak"):
			thanks = d
			if m.To[0] != "ase@example.dk" {
				t.Errorf("thanks went to %v, want Åse alone", m.To)
			}
		}
	}
	if invitation == nil || reminder == nil || thanks == nil {
		t.Fatalf("missing a message: invitation %v, reminder %v, thanks %v", invitation != nil, reminder != nil, thanks != nil)
	}
	if linkToken(t, reminder.Text) != linkToken(t, invitation.Text) {
		t.Error("the reminder carries another link than the invitation")
	}
	if strings.Contains(thanks.Text, "/i/") || !strings.Contains(thanks.Text, baseURL+"/result") {
		t.Errorf("the thank-you should link to the result, without a personal link:\n%s", thanks.Text)
	}
}
