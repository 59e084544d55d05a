package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"lederradar/survey"
)

type adminRoundRow struct {
	Name    string
	Status  string
	Period  string
	Version string
	URL     string
}

type adminRoundsView struct {
	Page
	Rounds  []adminRoundRow
	Error   string
	Name    string
	Opens   string
	Closes  string
	Version string
}

// adminRounds lists rounds and offers the form for a new one.
func (s *Server) adminRounds(c *gin.Context) {
	v, err := s.roundsView(c.Request.Context(), s.staffPage(c, "admin.rounds_title"))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "admin_rounds", v)
}

func (s *Server) roundsView(ctx context.Context, page Page) (adminRoundsView, error) {
	rounds, err := s.db.FindRounds(ctx)
	if err != nil {
		return adminRoundsView{}, err
	}
	v := adminRoundsView{Page: page, Version: s.instrument.Version}
	for i := range rounds {
		r := &rounds[i]
		v.Rounds = append(v.Rounds, adminRoundRow{Name: r.Name, Status: v.T.T("status." + string(r.Status)), Period: period(v.T, r),
			Version: r.InstrumentVersion, URL: fmt.Sprintf("/admin/rounds/%d", r.ID)})
	}
	return v, nil
}

type roundForm struct {
	Name   string `form:"name"`
	Opens  string `form:"opens"`
	Closes string `form:"closes"`
}

// createRound makes a draft round frozen to the current instrument.
func (s *Server) createRound(c *gin.Context) {
	var f roundForm
	if err := c.ShouldBind(&f); err != nil {
		s.renderError(c, http.StatusBadRequest, "error.invalid")
		return
	}
	r := survey.Round{Name: strings.TrimSpace(f.Name), Status: survey.RoundDraft, InstrumentVersion: s.instrument.Version}
	p := s.staffPage(c, "admin.rounds_title")
	var opensOK, closesOK bool
	r.Opens, opensOK = parseDate(f.Opens)
	r.Closes, closesOK = parseDate(f.Closes)
	var problem string
	switch {
	case !opensOK:
		problem = p.T.T("admin.date_invalid", f.Opens)
	case !closesOK:
		problem = p.T.T("admin.date_invalid", f.Closes)
	case !r.Opens.IsZero() && !r.Closes.IsZero() && r.Closes.Before(r.Opens):
		problem = p.T.T("admin.closes_before_opens", p.T.Date(r.Closes), p.T.Date(r.Opens))
	}
	if problem == "" {
		if err := s.db.CreateRound(c.Request.Context(), &r); err != nil {
			if code := survey.ErrorCode(err); code != survey.EINVALID && code != survey.ECONFLICT {
				s.fail(c, err)
				return
			}
			problem = p.T.T("admin.round_invalid", reasonText(p.T, err))
		}
	}
	if problem != "" {
		v, err := s.roundsView(c.Request.Context(), p)
		if err != nil {
			s.fail(c, err)
			return
		}
		v.Error = problem
		v.Name, v.Opens, v.Closes = f.Name, f.Opens, f.Closes
		s.render(c, http.StatusBadRequest, "admin_rounds", v)
		return
	}
	s.audit(c, "round.create", "round:"+itoa64(r.ID), "")
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/rounds/%d", r.ID))
}

type adminRoundView struct {
	Page
	ID          int64
	Name        string
	RoundStatus string
	Period      string
	Version     string
	Draft       bool
	Open        bool
	Closed      bool
	People      int
	Invited     int
	NotStarted  int
	InProgress  int
	Submitted   int
	Rate        string
	// CountsHidden, when set, stands instead of the started and
	// submitted counts and the rate.
	CountsHidden string
	Missing      int
	Action       string
	// Error says why the links were not re-issued.
	Error string
	// StatusError says why the round was not opened or closed.
	StatusError string
	// OpensOn is the planned opening date when it lies after today:
	// opening now then takes a tick.
	OpensOn string
	// OtherOpen names the other rounds that are open.
	OtherOpen string
	// ThreeSixty are the round's 360 settings and raters.
	ThreeSixty round360View
	// Mail is the round's mail, when mail is on; nil when it is off.
	Mail *roundMailView
}

// adminRound shows a round's state and what can be done with it: open,
// close, and hand out personal links.
func (s *Server) adminRound(c *gin.Context) {
	round, ok := s.roundParam(c)
	if !ok {
		return
	}
	v, err := s.adminRoundView(c.Request.Context(), s.staffPage(c, "admin.round_title"), round)
	if err != nil {
		s.fail(c, err)
		return
	}
	if c.Query("saved") == "1" {
		v.Status = v.T.T("admin.saved")
	}
	if c.Query("none") == "1" {
		v.Status = v.T.T("admin.links_none")
	}
	v.Status = ratersStatus(v.T, c, v.Status)
	v.Status = roundMailStatus(v.T, c, v.Status)
	s.render(c, http.StatusOK, "admin_round", v)
}

func (s *Server) adminRoundView(ctx context.Context, p Page, round *survey.Round) (adminRoundView, error) {
	// The organisation's row of the kept counts (migration 0006), rather
	// than a walk over everyone.
	rows, err := s.db.FindGroupProgress(ctx, round.ID, 0, 1)
	if err != nil {
		return adminRoundView{}, err
	}
	org := rows[0]
	p.Title = round.Name
	v := adminRoundView{Page: p, ID: round.ID, Name: round.Name, RoundStatus: p.T.T("status." + string(round.Status)), Period: period(p.T, round),
		Version: round.InstrumentVersion, Draft: round.Status == survey.RoundDraft, Open: round.Status == survey.RoundOpen,
		Closed: round.Status == survey.RoundClosed, People: org.Members, Action: fmt.Sprintf("/admin/rounds/%d", round.ID),
		Invited: org.Invited, Missing: org.Members - org.Invited}
	// Who was invited is the administrator's own doing; who answered is
	// not theirs to learn from a count of one.
	if opensLater(round, s.now()) {
		v.OpensOn = p.T.Date(round.Opens)
	}
	if v.OtherOpen, err = s.otherOpenRounds(ctx, round.ID); err != nil {
		return adminRoundView{}, err
	}
	if v.ThreeSixty, err = s.round360View(ctx, p, round); err != nil {
		return adminRoundView{}, err
	}
	if s.mail != nil {
		if v.Mail, err = s.roundMailView(ctx, p, round); err != nil {
			return adminRoundView{}, err
		}
	}
	if v.CountsHidden = countsHidden(p.T, org.Invited, org.Submitted, s.minGroup); v.CountsHidden == "" {
		v.NotStarted, v.InProgress = states(org.RoundCounts)
		v.Submitted, v.Rate = org.Submitted, p.T.Pct(org.Submitted, org.Invited)
	}
	return v, nil
}

// showRoundRefused shows the round's page again (400) with what set
// writes into it: why nothing changed.
func (s *Server) showRoundRefused(c *gin.Context, round *survey.Round, set func(*adminRoundView)) {
	v, err := s.adminRoundView(c.Request.Context(), s.staffPage(c, "admin.round_title"), round)
	if err != nil {
		s.fail(c, err)
		return
	}
	set(&v)
	s.render(c, http.StatusBadRequest, "admin_round", v)
}
