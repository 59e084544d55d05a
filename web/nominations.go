package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"lederradar/survey"
)

// A leader in an open 360 round asks others for feedback: they nominate
// raters by address and relation, within the round's limits, and see
// whom they nominated — never whether or when anyone answered, and never
// the raters the administrator added. A nominated rater's link reaches
// them through the administrator's rater-links download (mail comes
// later). A nomination can be removed until that download: before it the
// rater has no link and cannot have answered, so removing one tells the
// leader nothing about answers; after it, the page says that it stays.

// nominationRelationKeys name the relations a leader nominates, by relation.
var nominationRelationKeys = map[survey.Relation]string{survey.Manager: "nominations.relation_manager", survey.Peer: "nominations.relation_peer",
	survey.Employee: "nominations.relation_employee"}

type relationChoice struct {
	Value   string
	Label   string
	Checked bool
}

type nominationRow struct {
	Email    string
	Relation string
	State    string
	// Remove is the form's action while the nomination can be removed.
	Remove string
}

type nominationsView struct {
	Page
	RoundName string
	// Off says why this round takes no nominations; empty when it does.
	Off      string
	Limits   string
	MinGroup int
	Choices  []relationChoice
	List     []nominationRow
	Error    string
	Email    string
}

// nominationsOffered reports whether the leader may nominate raters now:
// their own session in an open 360 round whose limits let leaders
// nominate someone. Only a 360 round costs a lookup.
func (s *Server) nominationsOffered(ctx context.Context, l *leader) (bool, error) {
	if l.Invitation.Relation != survey.Self || l.Round.Kind != survey.ThreeSixty || l.Round.Status != survey.RoundOpen {
		return false, nil
	}
	limits, err := s.db.FindNominationLimits(ctx, l.Round.ID)
	return limits.Any(), err
}

// nominationsPage shows the leader's nominations and the form to add one.
func (s *Server) nominationsPage(c *gin.Context) {
	l, ok := s.nominatingLeader(c)
	if !ok {
		return
	}
	v, err := s.nominationsView(c, l, "")
	if err != nil {
		s.fail(c, err)
		return
	}
	switch {
	case c.Query("added") == "1":
		v.Status = v.T.T("nominations.added")
	case c.Query("removed") == "1":
		v.Status = v.T.T("nominations.removed")
	}
	s.render(c, http.StatusOK, "nominations", v)
}

// nominate adds a rater the leader names. A refusal shows the page again
// with why, and the address as typed: 400 for what was typed, 409 for
// what the round allows.
func (s *Server) nominate(c *gin.Context) {
	l, ok := s.nominatingLeader(c)
	if !ok {
		return
	}
	rel := survey.Relation(c.PostForm("relation"))
	var err error = survey.Errorf(survey.EINVALID, "choose a relation").WithKey("nomination_relation")
	if rel == survey.Manager || rel == survey.Peer || rel == survey.Employee {
		err = s.db.NominateRater(c.Request.Context(), l.Round.ID, l.Invitation.SubjectID, c.PostForm("email"), rel)
	}
	if err == nil {
		s.auditLeader(c, l, "nomination.add", "relation "+string(rel))
		c.Redirect(http.StatusSeeOther, "/nominations?added=1")
		return
	}
	s.refuseNomination(c, l, err)
}

// removeNomination takes back one of the leader's nominations while its
// link has not gone out.
func (s *Server) removeNomination(c *gin.Context) {
	l, ok := s.nominatingLeader(c)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(c.Param("nomination"), 10, 64)
	if err != nil || id <= 0 {
		s.renderError(c, http.StatusNotFound, "error.notfound")
		return
	}
	if err := s.db.RemoveNomination(c.Request.Context(), l.Round.ID, l.Invitation.SubjectID, id); err != nil {
		if survey.ErrorCode(err) == survey.ENOTFOUND {
			s.renderError(c, http.StatusNotFound, "error.notfound")
			return
		}
		s.refuseNomination(c, l, err)
		return
	}
	s.auditLeader(c, l, "nomination.remove", "")
	c.Redirect(http.StatusSeeOther, "/nominations?removed=1")
}

// refuseNomination shows the page again with why err refused the change.
func (s *Server) refuseNomination(c *gin.Context, l *leader, err error) {
	status := http.StatusConflict
	switch survey.ErrorCode(err) {
	case survey.EINVALID:
		status = http.StatusBadRequest
	case survey.ECONFLICT, survey.ECLOSED:
	default:
		s.fail(c, err)
		return
	}
	v, verr := s.nominationsView(c, l, c.PostForm("relation"))
	if verr != nil {
		s.fail(c, verr)
		return
	}
	v.Error = v.T.T("nominations.refused", reasonText(v.T, err))
	v.Email = strings.TrimSpace(c.PostForm("email"))
	s.render(c, status, "nominations", v)
}

// nominatingLeader is the leader of the session, who must be a leader
// rating themself: a rater's session nominates nobody (403).
func (s *Server) nominatingLeader(c *gin.Context) (*leader, bool) {
	l := currentLeader(c)
	if l.Invitation.Relation != survey.Self {
		s.renderError(c, http.StatusForbidden, "error.forbidden")
		return nil, false
	}
	return l, true
}

// nominationsView builds the page: the round's limits, the relations the
// leader may still add (checked: the one chosen before), and the list.
func (s *Server) nominationsView(c *gin.Context, l *leader, checked string) (nominationsView, error) {
	ctx := c.Request.Context()
	p := s.page(c, "nominations.title")
	p.Leader = true
	var err error
	if p.Nominate, err = s.nominationsOffered(ctx, l); err != nil {
		return nominationsView{}, err
	}
	v := nominationsView{Page: p, RoundName: l.Round.Name, MinGroup: s.minGroup}
	list, err := s.db.FindNominations(ctx, l.Round.ID, l.Invitation.SubjectID)
	if err != nil {
		return v, err
	}
	made := map[survey.Relation]int{}
	for _, n := range list {
		made[n.Relation]++
		row := nominationRow{Email: n.Email, Relation: p.T.T(nominationRelationKeys[n.Relation]), State: p.T.T("nominations.link_waiting")}
		if n.LinkSent {
			row.State = p.T.T("nominations.link_sent")
		} else if p.Nominate {
			row.Remove = fmt.Sprintf("/nominations/%d/remove", n.InvitationID)
		}
		v.List = append(v.List, row)
	}
	switch {
	case l.Round.Status == survey.RoundClosed:
		v.Off = p.T.T("nominations.closed")
	case !p.Nominate:
		v.Off = p.T.T("nominations.off")
	}
	if v.Off != "" {
		return v, nil
	}
	limits, err := s.db.FindNominationLimits(ctx, l.Round.ID)
	if err != nil {
		return v, err
	}
	v.Limits = p.T.T("nominations.limits", limits.Manager, limits.Peer, limits.Employee)
	for _, rel := range survey.Raters {
		if left := limits.For(rel) - made[rel]; left > 0 {
			v.Choices = append(v.Choices, relationChoice{Value: string(rel), Checked: string(rel) == checked,
				Label: p.T.T("nominations.choice", p.T.T(nominationRelationKeys[rel]), left)})
		}
	}
	return v, nil
}

// auditLeader writes an audit entry for the leader of the session, about
// their round: who nominated, never whom.
func (s *Server) auditLeader(c *gin.Context, l *leader, action, detail string) {
	e := survey.AuditEntry{Actor: "leader:" + itoa64(l.Invitation.SubjectID), Action: action, Target: "round:" + itoa64(l.Round.ID), Detail: detail}
	if err := s.db.AddAudit(c.Request.Context(), e); err != nil {
		s.logger.Error("audit", "action", action, "error", err)
	}
}
