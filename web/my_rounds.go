package web

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/internal/sso"
	"lederradar/survey"
)

// personCookie carries the session of a leader signed in with the
// organisation's provider (data.CreatePersonSession): it lists their
// rounds and opens each, nothing more.
const personCookie = "lr_person"

type myRoundsView struct {
	Page
	Name string
	Rows []myRoundRow
}

// myRoundRow is one invitation: a round, what it asks of the person and
// whether it opens.
type myRoundRow struct {
	ID     int64
	Round  string
	What   string
	Status string
	// Action is the button's text; empty when it no longer opens (a
	// rater's round has closed).
	Action string
}

// raterWhat says what a rater's invitation asks, by their relation to
// the leader.
var raterWhat = map[survey.Relation]string{
	survey.Manager:  "myrounds.rater_manager",
	survey.Peer:     "myrounds.rater_peer",
	survey.Employee: "myrounds.rater_employee",
}

// signInLeader gives a leader signed in with the provider their rounds:
// the verified e-mail address is matched to a person, who gets a person
// session. Someone who is nobody's leader or rater sees the same page
// with nothing on it, and no session.
func (s *Server) signInLeader(c *gin.Context, id *sso.Identity) {
	ctx := c.Request.Context()
	person, err := s.db.FindPersonByEmail(ctx, id.Email)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		s.render(c, http.StatusOK, "my_rounds", myRoundsView{Page: s.page(c, "myrounds.title")})
		return
	} else if err != nil {
		s.fail(c, err)
		return
	}
	token, hash := auth.NewToken()
	if err := s.db.CreatePersonSession(ctx, hash, person.ID, leaderIdle, leaderMax); err != nil {
		s.fail(c, err)
		return
	}
	s.setCookie(c.Writer, personCookie, token, 0)
	c.Redirect(http.StatusSeeOther, "/my-rounds")
}

// loadPerson returns the person signed in with the provider; without one
// it has answered 401.
func (s *Server) loadPerson(c *gin.Context) (*survey.Person, bool) {
	token := s.cookie(c.Request, personCookie)
	if auth.WellFormedToken(token) {
		p, err := s.db.FindPersonSession(c.Request.Context(), auth.HashToken(token), leaderIdle)
		if err == nil {
			return p, true
		} else if survey.ErrorCode(err) != survey.ENOTFOUND {
			s.fail(c, err)
			return nil, false
		}
	}
	s.setCookie(c.Writer, personCookie, "", -1)
	s.renderError(c, http.StatusUnauthorized, "myrounds.ended")
	return nil, false
}

// myRounds lists every round the signed-in person is invited to: their
// own self-assessment and, in 360 rounds, the leaders they give feedback
// on.
func (s *Server) myRounds(c *gin.Context) {
	person, ok := s.loadPerson(c)
	if !ok {
		return
	}
	invs, err := s.db.FindPersonInvitations(c.Request.Context(), person.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := myRoundsView{Page: s.page(c, "myrounds.title"), Name: person.Name}
	closed := 0 // a round's raters' invitations that no longer open, one line for them all
	for i, in := range invs {
		row := s.myRoundRow(v.T, in)
		if row.Action == "" && in.Invitation.Relation != survey.Self {
			closed++
			if i+1 == len(invs) || invs[i+1].Round.ID != in.Round.ID {
				row.What, closed = v.T.N("myrounds.raters_closed", closed), 0
				v.Rows = append(v.Rows, row)
			}
			continue
		}
		v.Rows = append(v.Rows, row)
	}
	s.render(c, http.StatusOK, "my_rounds", v)
}

func (s *Server) myRoundRow(p *Printer, in data.PersonInvitation) myRoundRow {
	row := myRoundRow{ID: in.Invitation.ID, Round: in.Round.Name, Status: p.T("status." + string(in.Round.Status))}
	switch {
	case in.Invitation.Relation == survey.Self && in.Round.Status == survey.RoundClosed:
		row.What, row.Action = p.T("myrounds.self"), p.T("myrounds.result")
	case in.Invitation.Relation == survey.Self:
		row.What, row.Action = p.T("myrounds.self"), p.T("myrounds.open")
	default:
		row.What = p.T(raterWhat[in.Invitation.Relation], in.Subject.Name)
		if in.Round.RatersAnswer(s.now()) {
			row.Action = p.T("myrounds.open")
		}
	}
	if !in.Round.Closes.IsZero() && in.Round.Status == survey.RoundOpen {
		row.Status = p.T("myrounds.closes", p.Date(in.Round.Closes))
	}
	return row
}

// openMyRound opens one of the signed-in person's invitations: the same
// session their personal link makes, recorded as its opening is. Another
// person's invitation is not found.
func (s *Server) openMyRound(c *gin.Context) {
	person, ok := s.loadPerson(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	id, err := strconv.ParseInt(c.Param("invitation"), 10, 64)
	if err != nil {
		s.notFound(c)
		return
	}
	inv, err := s.db.FindInvitationByID(ctx, id)
	if survey.ErrorCode(err) == survey.ENOTFOUND || (err == nil && inv.PersonID != person.ID) {
		s.notFound(c)
		return
	} else if err != nil {
		s.fail(c, err)
		return
	}
	if _, ok := s.admitInvitation(c, inv); !ok {
		return
	}
	// A closed round's self-assessment opens too: the provider has said
	// who this is, so the result goes to its owner (unlike a link, which
	// others may have seen).
	s.startLeaderSession(c, inv.ID, func(ls data.LinkSession) error { return s.db.OpenInvitationAs(ctx, person.ID, ls) })
}
