package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

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
	var err error
	if r.Opens, err = parseDate(f.Opens); err == nil {
		r.Closes, err = parseDate(f.Closes)
	}
	if err == nil {
		err = s.db.CreateRound(c.Request.Context(), &r)
	}
	if err != nil {
		if code := survey.ErrorCode(err); code != survey.EINVALID && code != survey.ECONFLICT {
			s.fail(c, err)
			return
		}
		v, verr := s.roundsView(c.Request.Context(), s.staffPage(c, "admin.rounds_title"))
		if verr != nil {
			s.fail(c, verr)
			return
		}
		v.Error = v.T.T("admin.round_invalid", reasonText(v.T, err))
		v.Name, v.Opens, v.Closes = f.Name, f.Opens, f.Closes
		s.render(c, http.StatusBadRequest, "admin_rounds", v)
		return
	}
	s.audit(c, "round.create", "round:"+itoa64(r.ID), "")
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/rounds/%d", r.ID))
}

// parseDate reads a date field (YYYY-MM-DD, as <input type=date> sends it);
// empty is no date.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}, survey.Errorf(survey.EINVALID, "%q is not a date (YYYY-MM-DD)", s).WithKey("date_invalid", s)
	}
	return t, nil
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
	Started     int
	Submitted   int
	Rate        string
	// CountsHidden, when set, stands instead of the started and
	// submitted counts and the rate.
	CountsHidden string
	Missing      int
	Action       string
	// Error says why the links were not re-issued.
	Error string
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
	if v.CountsHidden = countsHidden(p.T, org.Invited, org.Submitted, s.minGroup); v.CountsHidden == "" {
		v.Started, v.Submitted, v.Rate = org.Started, org.Submitted, p.T.Pct(org.Submitted, org.Invited)
	}
	return v, nil
}

// setRoundStatus opens or closes a round. Closing is final: HR's profiles
// appear, and no answer can change them.
func (s *Server) setRoundStatus(status survey.RoundStatus) gin.HandlerFunc {
	return func(c *gin.Context) {
		round, ok := s.roundParam(c)
		if !ok {
			return
		}
		var err error
		if status == survey.RoundClosed {
			// The close keeps the round's report, built with this
			// server's threshold, in its own transaction: HR never meets
			// it unbuilt, and it is final. Once begun, it finishes.
			err = s.db.CloseRound(context.WithoutCancel(c.Request.Context()), round.ID, s.minGroup)
		} else {
			err = s.db.SetRoundStatus(c.Request.Context(), round.ID, status)
		}
		if err != nil {
			s.adminFail(c, err)
			return
		}
		s.audit(c, "round."+string(status), "round:"+itoa64(round.ID), "")
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/rounds/%d?saved=1", round.ID))
	}
}
