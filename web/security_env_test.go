package web_test

// The fixture of the security tests (security_test.go, fuzz_test.go,
// canary_test.go): an organisation whose names, rounds, e-mails and
// instrument are hostile text, two leaders whose data must never cross,
// HR and administrator accounts, API tokens of both roles, and spare
// rows for the routes that change or delete things.

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/internal/csvfile"
	"lederradar/survey"
	"lederradar/web"
)

// Hostile text: markup that would run if it reached a page unescaped,
// quotes, and Unicode a careless encoder mangles (Danish letters, an emoji,
// right-to-left marks and text).
const (
	xssScript  = `<script>alert(1)</script>`
	xssImg     = `</script><img src=x onerror=alert(1)>`
	xssSvg     = `"'><svg onload=alert(1)>`
	xssUnicode = "æøå ÆØÅ 🙂 \u200fשלום\u200e"
)

// secPassword is the password of the fixture's HR and administrator
// accounts.
const secPassword = "et langt kodeord til sikkerhedstest"

// Principals: who a request comes from. Leader A and leader B are two
// leaders invited to the same open round; rater is a peer rating A in it
// (360); apiHR and apiAdmin are bearer tokens of those roles.
// personA is leader A signed in with the organisation's provider: a
// person session (my_rounds.go), which lists and opens her rounds only.
var secPrincipals = []string{"anonymous", "leaderA", "leaderB", "rater", "hr", "admin", "apiHR", "apiAdmin", "personA"}

type secEnv struct {
	tb      testing.TB
	db      *data.DB
	in      *survey.Instrument
	server  *web.Server
	handler http.Handler
	logs    *syncBuffer
	logger  *slog.Logger
	css     string // a content-hashed static file, without /static/

	// open is the round leaders answer; closed is the round HR sees
	// profiles of (everyone answered); draft, toClose and invite are for
	// the administrator routes that change a round.
	open, closed, earlier, draft, toClose, invite survey.Round
	threeSixty                                    survey.Round // closed, with raters
	a, b                                          survey.Person
	invA, invB, invAClosed, invBClosed            int64
	invRater                                      int64 // a peer's of A in open
	// linkToken is a valid personal link to the open round, for /i/:token.
	linkToken               string
	hrID, adminID           int64
	hrAPI, adminAPI         string
	deptA, deptB, team      survey.Group
	emptyTeams              []survey.Group
	people                  []survey.Person // everyone but A and B
	editPerson, erasePerson survey.Person
	renameGroup, dropGroup  survey.Group
	seq                     int
}

// hostileInstrument is the default instrument file with a new version and
// hostile text in the first competence's name, chart label, description
// and first item, in both languages.
func hostileInstrument(tb testing.TB) (*survey.Instrument, []byte) {
	tb.Helper()
	raw := string(survey.DefaultInstrumentFile())
	replace := func(old, new string) {
		if !strings.Contains(raw, old) {
			tb.Fatalf("the default instrument no longer has %q", old)
		}
		raw = strings.Replace(raw, old, new, 1)
	}
	q := strconv.Quote // a TOML basic string accepts Go's escapes for these
	replace(`version = "2026.2"`, `version = "2026.2-hostile"`)
	replace(`label.da = "Tillid, relationer"`, `label.da = `+q(xssImg+" Tillid"))
	replace(`label.en = "Trust, relationships"`, `label.en = `+q(xssImg+" Trust"))
	replace(`name.da = "At være tillids- og relationsskabende"`, `name.da = `+q(xssScript+" Tillid "+xssUnicode))
	replace(`name.en = "Building trust and relationships"`, `name.en = `+q(xssScript+" Trust "+xssUnicode))
	replace(`text.da = "Jeg holder mine aftaler med andre afdelinger."`, `text.da = `+q(xssSvg+" Jeg holder aftaler "+xssUnicode))
	replace(`text.en = "I keep my agreements with other departments."`, `text.en = `+q(xssSvg+" I keep agreements"))
	replace(`other.da = "Lederen holder sine aftaler med andre afdelinger."`, `other.da = `+q(xssSvg+" Lederen holder aftaler "+xssUnicode))
	replace(`other.en = "The leader keeps their agreements with other departments."`, `other.en = `+q(xssSvg+" The leader keeps agreements"))
	in, err := survey.ParseInstrument([]byte(raw))
	if err != nil {
		tb.Fatalf("hostile instrument: %v", err)
	}
	return in, []byte(raw)
}

// newSecEnv builds the fixture. Logs go to e.logs at debug level.
// secPlanMarker is in leader A's development plan, which no route shows
// to anyone but A (TestRouteAccessMatrix).
const secPlanMarker = "PLANMARKØR-A-7f3c"

func newSecEnv(tb testing.TB) *secEnv {
	tb.Helper()
	ctx := context.Background()
	e := &secEnv{tb: tb, db: mustOpenDB(tb), logs: &syncBuffer{}}
	var raw []byte
	e.in, raw = hostileInstrument(tb)
	def, err := survey.DefaultInstrument()
	must(tb, err)
	must(tb, e.db.EnsureInstrument(ctx, def, survey.DefaultInstrumentFile()))
	must(tb, e.db.EnsureInstrument(ctx, e.in, raw))

	// Department A (10: A, B and 8 more) holds the team (5 of the 8);
	// department B (6) is named like a spreadsheet formula. Empty teams
	// named like formulas appear, suppressed, in every export.
	e.deptA = survey.Group{Kind: survey.Department, Name: xssScript + " Børn & Unge " + xssUnicode}
	e.deptB = survey.Group{Kind: survey.Department, Name: `=HYPERLINK("http://x")`}
	e.team = survey.Group{Kind: survey.Team, Name: xssSvg + " Tidlig indsats"}
	for _, g := range []*survey.Group{&e.deptA, &e.deptB, &e.team} {
		must(tb, e.db.CreateGroup(ctx, g))
	}
	for _, name := range []string{"-2+3", "+SUM(1)", "@cmd", xssImg + " team", "\tTab", "\rCR"} {
		g := survey.Group{Kind: survey.Team, Name: name}
		must(tb, e.db.CreateGroup(ctx, &g))
		e.emptyTeams = append(e.emptyTeams, g)
	}
	e.renameGroup = survey.Group{Kind: survey.Team, Name: "Omdøbes " + xssSvg}
	e.dropGroup = survey.Group{Kind: survey.Team, Name: "Slettes " + xssImg}
	must(tb, e.db.CreateGroup(ctx, &e.renameGroup))
	must(tb, e.db.CreateGroup(ctx, &e.dropGroup))

	e.a = survey.Person{Email: "astrid.a@example.dk", Name: "Astrid Ejer-A", DepartmentID: e.deptA.ID}
	e.b = survey.Person{Email: "bent.b@example.dk", Name: "Bent Anden-B", DepartmentID: e.deptA.ID}
	must(tb, e.db.CreatePerson(ctx, &e.a))
	must(tb, e.db.CreatePerson(ctx, &e.b))
	names := []string{"@SUM(1)", "=1+2", xssImg + " Leder", `Åse "Q" O'Brien 🙂` + "\u200f", xssScript, "+45 Leder", "-Minus", xssSvg}
	emails := []string{"=1+1.%d@example.dk", "+plus.%d@example.dk", "-minus.%d@example.dk", "o'brien+%d@example.dk", "@%d@example.dk"}
	for i := range 14 {
		email := fmt.Sprintf(emails[i%len(emails)], i)
		if survey.ValidateEmail(email) != nil {
			email = fmt.Sprintf("leder.%d@example.dk", i)
		}
		p := survey.Person{Email: email, Name: fmt.Sprintf("%s %d", names[i%len(names)], i), DepartmentID: e.deptA.ID}
		if i >= 8 {
			p.DepartmentID = e.deptB.ID
		}
		must(tb, e.db.CreatePerson(ctx, &p))
		if i < 5 {
			must(tb, e.db.AddTeamMember(ctx, e.team.ID, p.ID))
		}
		e.people = append(e.people, p)
	}
	e.editPerson = survey.Person{Email: "=rettes@example.dk", Name: "=Rettes " + xssScript, DepartmentID: e.deptB.ID}
	e.erasePerson = survey.Person{Email: "slettes@example.dk", Name: "Slettes " + xssImg, DepartmentID: e.deptB.ID}
	must(tb, e.db.CreatePerson(ctx, &e.editPerson))
	must(tb, e.db.CreatePerson(ctx, &e.erasePerson))

	// Two closed rounds, so results and HR profiles have a round to be
	// compared with: everyone answered and submitted both; in the later
	// one A answered all 5, B all 2.
	e.earlier = survey.Round{Name: `+` + xssSvg + ` Efterår "2024"`, Status: survey.RoundOpen, InstrumentVersion: e.in.Version}
	e.closed = survey.Round{Name: `=1+1 ` + xssScript + ` Forår "2025" ` + xssUnicode, Status: survey.RoundOpen, InstrumentVersion: e.in.Version}
	everyone := append([]survey.Person{e.a, e.b}, e.people...)
	for k, round := range []*survey.Round{&e.earlier, &e.closed} {
		must(tb, e.db.CreateRound(ctx, round))
		for i, p := range everyone {
			inv := e.inviteWith(round.ID, p.ID, "")
			switch {
			case round == &e.closed && p.ID == e.a.ID:
				e.invAClosed = inv
			case round == &e.closed && p.ID == e.b.ID:
				e.invBClosed = inv
			}
			answers := survey.Answers{}
			for _, c := range e.in.Competences {
				for j, it := range c.Items {
					switch {
					case round == &e.closed && p.ID == e.a.ID:
						answers[it.ID] = 5
					case round == &e.closed && p.ID == e.b.ID:
						answers[it.ID] = 2
					default:
						answers[it.ID] = survey.Answer(1 + (i+j+k)%4)
					}
				}
			}
			_, err := e.db.SaveAnswers(ctx, data.AnswerSave{RoundID: round.ID, SubjectID: p.ID, RaterID: p.ID, Relation: survey.Self, FormKey: fmt.Sprintf("closed-%d-%d", k, i), Answers: answers})
			must(tb, err)
			_, err = e.db.SubmitResponse(ctx, round.ID, p.ID, p.ID, survey.Self, fmt.Sprintf("closed-submit-%d-%d", k, i))
			must(tb, err)
		}
		must(tb, e.db.SetRoundStatus(ctx, round.ID, survey.RoundClosed))
	}

	e.threeSixty = e.raterRound(ctx)

	// The open round: A has answered the first page with 4, B nothing.
	e.open = survey.Round{Name: "@" + xssImg + " Efterår 2026", Status: survey.RoundOpen, InstrumentVersion: e.in.Version}
	must(tb, e.db.CreateRound(ctx, &e.open))
	e.invA = e.inviteWith(e.open.ID, e.a.ID, "")
	e.invB = e.inviteWith(e.open.ID, e.b.ID, "")
	raters, err := e.db.ImportRaters(ctx, e.open.ID, []csvfile.RaterRow{{Line: 2, SubjectEmail: e.a.Email, RaterEmail: "kollega@example.dk", Relation: survey.Peer}}, nil)
	must(tb, err)
	raterInv, err := e.db.FindInvitationByTokenHash(ctx, auth.HashToken(raters[0].Token))
	must(tb, err)
	e.invRater = raterInv.ID
	// Its leaders may ask others for feedback (360).
	must(tb, e.db.SetRoundSettings(ctx, e.open.ID, data.RoundSettings{Kind: survey.ThreeSixty,
		Limits: survey.NominationLimits{Peer: survey.MaxNominations, Employee: survey.MaxNominations}}))
	first := survey.Answers{}
	for _, it := range e.in.Competences[0].Items {
		first[it.ID] = 4
	}
	_, err = e.db.SaveAnswers(ctx, data.AnswerSave{RoundID: e.open.ID, SubjectID: e.a.ID, RaterID: e.a.ID, Relation: survey.Self, FormKey: "open-a-1", Answers: first})
	must(tb, err)
	// A's development plan of the closed round: only A's own pages and
	// a share A makes may show it (secPlanMarker).
	must(tb, e.db.SavePlan(ctx, survey.Plan{RoundID: e.closed.ID, PersonID: e.a.ID, Focuses: []survey.Focus{
		{CompetenceID: e.in.Competences[0].ID, Actions: secPlanMarker + " " + xssScript, Involve: secPlanMarker}}}, e.in))
	e.linkToken, _ = auth.NewToken()
	e.inviteWith(e.open.ID, e.people[0].ID, e.linkToken)
	for _, p := range e.people[1:6] {
		e.inviteWith(e.open.ID, p.ID, "")
	}

	e.draft = survey.Round{Name: "-" + xssSvg + " Kladde", Status: survey.RoundDraft, InstrumentVersion: e.in.Version}
	e.toClose = survey.Round{Name: "+" + xssScript + " Lukkes", Status: survey.RoundOpen, InstrumentVersion: e.in.Version}
	e.invite = survey.Round{Name: "=" + xssImg + " Invitationer", Status: survey.RoundDraft, InstrumentVersion: e.in.Version}
	for _, r := range []*survey.Round{&e.draft, &e.toClose, &e.invite} {
		must(tb, e.db.CreateRound(ctx, r))
	}

	hash := cheapHash(secPassword)
	for _, role := range []survey.Role{survey.RoleHR, survey.RoleAdmin} {
		u := survey.User{Email: string(role) + "@example.dk", Role: role}
		must(tb, e.db.CreateUser(ctx, &u, hash))
		token, th := auth.NewToken()
		must(tb, e.db.CreateAPIToken(ctx, &survey.APIToken{Role: role, Name: "sikkerhedstest"}, th))
		if role == survey.RoleHR {
			e.hrID, e.hrAPI = u.ID, token
		} else {
			e.adminID, e.adminAPI = u.ID, token
		}
	}

	e.logger = slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e.server, err = web.New(web.Config{DB: e.db, Instrument: e.in, Logger: e.logger, BaseURL: "http://127.0.0.1:8080", DummyPasswordCheck: cheapDummyCheck, Assets: testAssets(tb)})
	must(tb, err)
	e.handler = e.server.Handler()
	assets, err := web.LoadAssets()
	must(tb, err)
	css, err := assets.URL("css/app.css")
	must(tb, err)
	e.css = strings.TrimPrefix(css, "/static/")
	return e
}

// inviteWith invites a person to a round under token (a fresh one if
// empty) and returns the invitation's id.
func (e *secEnv) inviteWith(roundID, personID int64, token string) int64 {
	e.tb.Helper()
	if token == "" {
		token, _ = auth.NewToken()
	}
	inv := survey.Invitation{RoundID: roundID, PersonID: personID, SubjectID: personID, Relation: survey.Self}
	must(e.tb, e.db.CreateInvitation(context.Background(), &inv, personID, auth.HashToken(token)))
	return inv.ID
}

// leaderSession starts a fresh leader session for an invitation, as
// opening the personal link would, and returns its cookie.
func (e *secEnv) leaderSession(invitationID int64) *http.Cookie {
	e.tb.Helper()
	token, hash := auth.NewToken()
	must(e.tb, e.db.CreateSession(context.Background(), hash, invitationID, 8*time.Hour, 24*time.Hour))
	return &http.Cookie{Name: "lr_session", Value: token}
}

// userSession starts a fresh HR or administrator session, as logging in
// would, and returns its cookie. A fresh one per request keeps a log-out
// in one cell of the matrix from ending the session of the next.
func (e *secEnv) userSession(userID int64) *http.Cookie {
	e.tb.Helper()
	token, hash := auth.NewToken()
	must(e.tb, e.db.CreateUserSession(context.Background(), hash, userID, 30*time.Minute, 12*time.Hour))
	return &http.Cookie{Name: "lr_user", Value: token}
}

// as returns the cookies and headers a principal sends.
func (e *secEnv) as(principal string) ([]*http.Cookie, map[string]string) {
	switch principal {
	case "anonymous":
		return nil, nil
	case "leaderA":
		return []*http.Cookie{e.leaderSession(e.invA)}, nil
	case "leaderB":
		return []*http.Cookie{e.leaderSession(e.invB)}, nil
	case "rater":
		return []*http.Cookie{e.leaderSession(e.invRater)}, nil
	case "leaderAClosed":
		return []*http.Cookie{e.leaderSession(e.invAClosed)}, nil
	case "leaderBClosed":
		return []*http.Cookie{e.leaderSession(e.invBClosed)}, nil
	case "hr":
		return []*http.Cookie{e.userSession(e.hrID)}, nil
	case "admin":
		return []*http.Cookie{e.userSession(e.adminID)}, nil
	case "apiHR":
		return nil, map[string]string{"Authorization": "Bearer " + e.hrAPI}
	case "apiAdmin":
		return nil, map[string]string{"Authorization": "Bearer " + e.adminAPI}
	case "personA":
		return []*http.Cookie{e.personSession(e.a.ID)}, nil
	}
	e.tb.Fatalf("unknown principal %q", principal)
	return nil, nil
}

// secRequest is one request of the security tests.
type secRequest struct {
	method, path string
	body         string
	contentType  string
	cookies      []*http.Cookie
	header       map[string]string
}

func (e *secEnv) send(r secRequest) *httptest.ResponseRecorder {
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	req := httptest.NewRequest(r.method, "http://127.0.0.1:8080/", body)
	req.URL = &url.URL{Path: r.path}
	if i := strings.IndexByte(r.path, '?'); i >= 0 {
		req.URL = &url.URL{Path: r.path[:i], RawQuery: r.path[i+1:]}
	}
	req.RequestURI = req.URL.RequestURI()
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	} else if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	for _, c := range r.cookies {
		req.AddCookie(c)
	}
	w := httptest.NewRecorder()
	e.handler.ServeHTTP(w, req)
	return w
}

// next returns a number unique within the fixture, for names that must
// not repeat.
func (e *secEnv) next() int {
	e.seq++
	return e.seq
}

// secFormKey returns a fresh idempotency key for a posted form.
func secFormKey() string {
	k, _ := auth.NewToken()
	return k
}
