package web

import (
	"context"
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/survey"
)

// sessionCookie carries a leader's session token; only its hash is stored.
const sessionCookie = "lr_session"

// leader is what the questionnaire's pages know about who is asking: a
// leader answering about themselves, or a rater in a 360 round answering
// about the leader their invitation names (Subject). The same pages serve
// both; what differs is read from here (rater, itemText).
type leader struct {
	Invitation *survey.Invitation
	Round      *survey.Round
	Person     *survey.Person
	Instrument *survey.Instrument
	// Subject is the leader a rater answers about; nil for a leader's
	// own session.
	Subject *survey.Person
}

// rater reports whether the session is a rater's: their invitation is
// about someone else.
func (l *leader) rater() bool { return l.Invitation.Relation != survey.Self }

// subjectName is the name of the leader a rater answers about; empty for
// a leader's own session, or a session taken from the cache.
func (l *leader) subjectName() string {
	if l.Subject == nil {
		return ""
	}
	return l.Subject.Name
}

// itemText is an item as the session's respondent reads it: in the first
// person for the leader, in the third person for a rater.
func (l *leader) itemText(p *Printer, it survey.Item) string {
	if l.rater() {
		return p.Text(it.Other)
	}
	return p.Text(it.Text)
}

const leaderKey = "leader"

// ownResult reads the leader's own submitted result in the session's
// round, with their previous round's: what the result, the plan, the
// packet and the shares pages start from.
func (s *Server) ownResult(ctx context.Context, l *leader) (data.OwnResult, error) {
	return s.db.FindOwnResult(ctx, l.Round, l.Invitation.SubjectID, l.Invitation.PersonID, l.Instrument)
}

// requireLeader loads the leader's session or answers 401 with a page that
// tells them to open their personal link again.
func (s *Server) requireLeader(c *gin.Context) {
	token := s.cookie(c.Request, sessionCookie)
	if !auth.WellFormedToken(token) {
		s.abortSession(c)
		return
	}
	hash := auth.HashToken(token)
	l, ok := s.findLeader(c, hash)
	if !ok {
		return
	}
	c.Set(leaderKey, l)
	c.Next()
}

// findLeader reads the session with the given token hash, with its
// invitation, round and person, in one lookup — every page of the
// questionnaire starts here — and keeps them for the pages it posts. It
// has answered the request when it returns false.
func (s *Server) findLeader(c *gin.Context, hash string) (*leader, bool) {
	ctx := c.Request.Context()
	l := &leader{}
	var err error
	_, l.Invitation, l.Round, l.Person, err = s.db.FindLeaderSession(ctx, hash, leaderIdle)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		s.leaders.drop(hash)
		s.abortSession(c)
		return nil, false
	}
	if err == nil {
		l.Instrument, err = s.db.CachedInstrument(ctx, l.Round.InstrumentVersion)
	}
	if err == nil && l.rater() {
		l.Subject, err = s.db.FindPersonByID(ctx, l.Invitation.SubjectID)
	}
	if err != nil {
		s.fail(c, err)
		c.Abort()
		return nil, false
	}
	// Kept without the person: nothing posted needs their name or
	// address, and an erased person's must not linger here.
	s.leaders.put(hash, &leader{Invitation: l.Invitation, Round: l.Round, Instrument: l.Instrument})
	return l, true
}

// requirePostingLeader is requireLeader for the posted questionnaire pages
// and the submit, the leader's writes. When the session was read for an
// earlier page it is not read again: the form's own transaction checks it
// (data.SessionCheck), which also closes the gap between a lookup and the
// write. Handlers that answer without storing the form first call
// confirmLeader.
func (s *Server) requirePostingLeader(c *gin.Context) {
	token := s.cookie(c.Request, sessionCookie)
	if !auth.WellFormedToken(token) {
		s.abortSession(c)
		return
	}
	hash := auth.HashToken(token)
	l := s.leaders.get(hash)
	if l == nil {
		var ok bool
		if l, ok = s.findLeader(c, hash); !ok {
			return
		}
	} else {
		c.Set(unconfirmedKey, true)
	}
	c.Set(leaderKey, l)
	c.Set(sessionCheckKey, &data.SessionCheck{TokenHash: hash, InvitationID: l.Invitation.ID, Idle: leaderIdle})
	c.Next()
}

const (
	sessionCheckKey = "session-check"
	unconfirmedKey  = "leader-unconfirmed"
)

// sessionCheck is the check requirePostingLeader asks the form's
// transaction to make.
func sessionCheck(c *gin.Context) *data.SessionCheck {
	return c.MustGet(sessionCheckKey).(*data.SessionCheck)
}

// confirmLeader reads the session again when requirePostingLeader took it
// from what an earlier page found, for a handler about to answer without
// storing the form (and so without its transaction's check). It has
// answered the request when it returns false.
func (s *Server) confirmLeader(c *gin.Context) (*leader, bool) {
	if !c.GetBool(unconfirmedKey) {
		return currentLeader(c), true
	}
	l, ok := s.findLeader(c, sessionCheck(c).TokenHash)
	if ok {
		c.Set(leaderKey, l)
		c.Set(unconfirmedKey, false)
	}
	return l, ok
}

// sessionEnded answers a form its transaction refused because the session
// had ended (ENOTFOUND), as requireLeader answers a page.
func (s *Server) sessionEnded(c *gin.Context) {
	s.leaders.drop(sessionCheck(c).TokenHash)
	s.abortSession(c)
}

// leaderCache keeps, by session token hash, what findLeader found, for
// requirePostingLeader: the invitation, the round and its instrument, not
// the person. Posting uses only what cannot change while the session
// lives — the invitation, the round's id and instrument — and the form's
// transaction checks the session and the round's status. It holds at most
// leaderCacheMax sessions, starts again empty when full, and is emptied by
// an erasure.
type leaderCache struct {
	mu sync.Mutex
	m  map[string]*leader
}

const leaderCacheMax = 4096

func (lc *leaderCache) get(hash string) *leader {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return lc.m[hash]
}

func (lc *leaderCache) put(hash string, l *leader) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if lc.m == nil || len(lc.m) >= leaderCacheMax {
		lc.m = make(map[string]*leader)
	}
	lc.m[hash] = l
}

// clear forgets every session.
func (lc *leaderCache) clear() {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	lc.m = nil
}

func (lc *leaderCache) drop(hash string) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	delete(lc.m, hash)
}

func (s *Server) abortSession(c *gin.Context) {
	s.setCookie(c.Writer, sessionCookie, "", -1)
	msg := "error.session"
	if c.Request.Method == http.MethodPost {
		msg = "error.session_post"
	}
	s.renderError(c, http.StatusUnauthorized, msg)
	c.Abort()
}

// currentLeader returns the leader requireLeader loaded.
func currentLeader(c *gin.Context) *leader {
	return c.MustGet(leaderKey).(*leader)
}

// answerRefused answers a save or a submit that failed: the session gone,
// the round closed meanwhile, or an error. It reports whether it did.
func (s *Server) answerRefused(c *gin.Context, err error) bool {
	switch {
	case err == nil:
		return false
	case survey.ErrorCode(err) == survey.ENOTFOUND:
		s.sessionEnded(c)
	case survey.ErrorCode(err) == survey.ECLOSED:
		s.renderError(c, http.StatusConflict, "error.closed_save")
	default:
		s.fail(c, err)
	}
	return true
}
