package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"lederradar/data"
	"lederradar/survey"
)

// limitField is one nomination limit on the round's page.
type limitField struct {
	Name  string // the form field
	Label string
	Value int
}

// round360View is the round page's part for 360: the round's settings and
// its raters. Counts only: the administrator never learns who answered.
type round360View struct {
	Kind360         bool
	ManagerShown    bool
	SeveralManagers bool
	// ManagerShownLocked is set once a rater has begun answering: they
	// were told whether the manager is shown alone, and that stays.
	ManagerShownLocked bool
	// RatersClose is the last day raters answer (dd-mm-åååå), empty: until
	// the round closes. It is locked once a leader has seen their
	// feedback, which stays as they saw it.
	RatersClose       string
	RatersCloseLocked bool
	Limits            []limitField
	Max               int
	Raters            data.RaterCounts
	// SettingsError says why the settings were not saved.
	SettingsError string
	// RatersProblems are an upload's problems; nothing was stored.
	RatersProblems []importProblemView
	RatersMore     bool
}

// limitFields are the nomination limits' form fields, by relation.
var limitFields = map[survey.Relation]string{survey.Manager: "nominate_manager", survey.Peer: "nominate_peer", survey.Employee: "nominate_employee"}

// limitLabels are the fields' labels, by relation.
var limitLabels = map[survey.Relation]string{survey.Manager: "admin.nominate_manager", survey.Peer: "admin.nominate_peer", survey.Employee: "admin.nominate_employee"}

// round360View reads the round's 360 settings and rater counts.
func (s *Server) round360View(ctx context.Context, p Page, round *survey.Round) (round360View, error) {
	limits, err := s.db.FindNominationLimits(ctx, round.ID)
	if err != nil {
		return round360View{}, err
	}
	counts, err := s.db.FindRaterCounts(ctx, round.ID)
	if err != nil {
		return round360View{}, err
	}
	v := round360View{Kind360: round.Kind == survey.ThreeSixty, ManagerShown: round.ManagerShown, SeveralManagers: round.SeveralManagers,
		ManagerShownLocked: counts.Answered, Max: survey.MaxNominations, Raters: counts,
		RatersClose: ratersLastDay(round.RatersClose), RatersCloseLocked: counts.FeedbackShown}
	for _, rel := range survey.Raters {
		v.Limits = append(v.Limits, limitField{Name: limitFields[rel], Label: p.T.T(limitLabels[rel]), Value: limits.For(rel)})
	}
	return v, nil
}

// saveRoundSettings stores the round's kind, whether the manager is shown
// alone, whether a leader may have several managers, and how many raters
// of each relation leaders may nominate. A refusal shows the page again
// (400) with why, and changes nothing.
func (s *Server) saveRoundSettings(c *gin.Context) {
	round, ok := s.openForRaters(c)
	if !ok {
		return
	}
	p := s.staffPage(c, "admin.round_title")
	set := data.RoundSettings{Kind: survey.RoundKind(c.PostForm("kind")),
		ManagerShown: c.PostForm("manager_shown") == "yes", SeveralManagers: c.PostForm("several_managers") == "yes"}
	problem := ""
	lastDay, ok := parseDate(c.PostForm("raters_close"))
	switch {
	case !ok:
		problem = p.T.T("admin.date_invalid", c.PostForm("raters_close"))
	case !lastDay.IsZero() && !round.Closes.IsZero() && lastDay.After(round.Closes):
		problem = p.T.T("admin.raters_after_close", p.T.Date(lastDay), p.T.Date(round.Closes))
	case !lastDay.IsZero():
		y, m, d := lastDay.Date()
		set.RatersClose = time.Date(y, m, d+1, 0, 0, 0, 0, copenhagen())
	}
	for _, rel := range survey.Raters {
		if problem != "" {
			break
		}
		raw := strings.TrimSpace(c.PostForm(limitFields[rel]))
		n, err := strconv.Atoi(raw)
		if raw == "" {
			n, err = 0, nil
		}
		if err != nil || n < 0 || n > survey.MaxNominations {
			problem = p.T.T("admin.nominate_invalid", p.T.T(limitLabels[rel]), survey.MaxNominations)
			break
		}
		set.Limits.Set(rel, n)
	}
	if problem == "" {
		err := s.db.SetRoundSettings(c.Request.Context(), round.ID, set)
		switch code := survey.ErrorCode(err); {
		case err == nil:
			s.audit(c, "round.settings", "round:"+itoa64(round.ID), fmt.Sprintf("%s, limits %d/%d/%d", set.Kind, set.Limits.Manager, set.Limits.Peer, set.Limits.Employee))
			c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/rounds/%d?saved=1#settings", round.ID))
			return
		case code == survey.EINVALID || code == survey.ECONFLICT:
			problem = p.T.T("admin.invalid", reasonText(p.T, err))
		default:
			s.fail(c, err)
			return
		}
	}
	s.showRoundRefused(c, round, func(v *adminRoundView) { v.ThreeSixty.SettingsError = problem })
}

// openForRaters is the round of the request, which must not be closed:
// a closed round's page offers no 360 settings or upload, and its report
// is final, so a change is refused there with a page of its own (409).
// It has answered the request when it returns false.
func (s *Server) openForRaters(c *gin.Context) (*survey.Round, bool) {
	round, ok := s.roundParam(c)
	if ok && round.Status == survey.RoundClosed {
		s.renderError(c, http.StatusConflict, "error.closed")
		return nil, false
	}
	return round, ok
}
