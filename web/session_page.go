package web

// The session time-out warning for HR and administrators (WCAG 2.2.1,
// timing adjustable): every staff page carries how long its session has
// left, idle and in all, and static/js/session.js warns StaffWarning before
// either end, in a dialog whose texts the page carries (no inline script).
// "Continue" posts to /session/extend, which records the user as active;
// the hard end cannot be moved, and the dialog says so. Without
// JavaScript nothing changes: the server ends sessions as before.

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/survey"
)

// sessionKey holds the *data.Session loadUser found.
const sessionKey = "session"

// sessionClock is what a staff page tells session.js, in whole seconds,
// and the warning texts in the page's language.
type sessionClock struct {
	Idle, Max, Warn int
	// WarnIdle says the session ends soon for inactivity; WarnMax that it
	// reaches its hard end, which cannot be moved.
	WarnIdle, WarnMax string
	// Login is where the "logged out" message links to: the log-in page,
	// returning to this page.
	Login string
}

// staffSessionTimes returns the idle time, the maximum lifetime and the
// warning time of HR and administrator sessions from cfg.
func staffSessionTimes(cfg Config) (idle, maxAge, warning time.Duration, err error) {
	idle, maxAge, warning = cfg.StaffIdle, cfg.StaffMax, cfg.StaffWarning
	if idle == 0 {
		idle = defaultUserIdle
	}
	if maxAge == 0 {
		maxAge = defaultUserMax
	}
	if warning == 0 {
		warning = defaultSessionWarning
	}
	switch {
	case idle < time.Second || maxAge < time.Second:
		return 0, 0, 0, fmt.Errorf("web: staff session idle time %v and maximum %v must be at least a second", idle, maxAge)
	case warning < time.Second || warning >= idle:
		return 0, 0, 0, fmt.Errorf("web: the session warning %v must be at least a second and shorter than the idle time %v", warning, idle)
	}
	return idle, maxAge, warning, nil
}

// sessionClock returns the clock of the session loadUser found for this
// request, or nil when there is none.
func (s *Server) sessionClock(c *gin.Context, p *Printer) *sessionClock {
	v, ok := c.Get(sessionKey)
	if !ok {
		return nil
	}
	sess := v.(*data.Session)
	now := s.now()
	idle, maxAge := remaining(sess, now)
	return &sessionClock{
		Idle:     idle,
		Max:      maxAge,
		Warn:     int(s.sessionWarning / time.Second),
		WarnIdle: p.T("session.warn_idle", durationWords(p, s.sessionWarning)),
		WarnMax:  p.T("session.warn_max", durationWords(p, s.sessionWarning), durationWords(p, s.userMax)),
		Login:    "/login?next=" + c.Request.URL.Path,
	}
}

// remaining returns the seconds a session has left before its idle end
// and before its hard end, rounded up: the page may say "logged out" a
// moment after the server has ended the session, never before.
func remaining(sess *data.Session, now time.Time) (idle, maxAge int) {
	secs := func(d time.Duration) int { return max(0, int((d+time.Second-1)/time.Second)) }
	return secs(sess.LastSeenAt.Add(sess.Idle).Sub(now)), secs(sess.ExpiresAt.Sub(now))
}

// durationWords writes d in the largest unit that states it exactly:
// "12 timer", "2 minutter", "5 sekunder".
func durationWords(p *Printer, d time.Duration) string {
	switch {
	case d >= time.Hour && d%time.Hour == 0:
		return p.N("session.hours", int(d/time.Hour))
	case d >= time.Minute && d%time.Minute == 0:
		return p.N("session.minutes", int(d/time.Minute))
	}
	return p.N("session.seconds", int(d/time.Second))
}

// sessionTimes is the answer of POST /session/extend: the seconds left
// before the idle end and before the hard end.
type sessionTimes struct {
	Idle int `json:"idle"`
	Max  int `json:"max"`
}

// extendSession records that the signed-in HR or administrator user is
// still active: session.js posts here when they choose to continue. Only a
// live session of an enabled HR or administrator account is extended
// (ExtendUserSession finds no other); a leader's session or none gets 401.
// Cross-origin posts never arrive (http.CrossOriginProtection).
func (s *Server) extendSession(c *gin.Context) {
	refuse := func() {
		c.JSON(http.StatusUnauthorized, gin.H{"error": "no session"})
	}
	token := s.cookie(c.Request, userCookie)
	if !auth.WellFormedToken(token) {
		refuse()
		return
	}
	ctx := c.Request.Context()
	sess, err := s.db.ExtendUserSession(ctx, auth.HashToken(token), s.userIdle)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		refuse()
		return
	} else if err != nil {
		s.logger.Error("extend session", "error", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal"})
		return
	}
	idle, maxAge := remaining(sess, s.now())
	c.JSON(http.StatusOK, sessionTimes{Idle: idle, Max: maxAge})
}
