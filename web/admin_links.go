package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"lederradar/internal/auth"
	"lederradar/internal/links"
	"lederradar/survey"
)

// The personal links leave the system in one place: the mail-merge file
// this handler sends (and the command line's `invitations`, which writes
// it with links.WriteMailMerge). Whoever holds the file can answer as any
// leader in it, so re-issuing everyone's links is a confirmed, audited
// action, and the page says so. When links go out by e-mail
// (Config.Mail), the file is an export the administrator asks for with
// a tick of its own (linkExportRefused), audited as such.

// issueInvitations makes personal links and sends them as a CSV file for
// mail merge (email;name;link). Links exist only in this file: the
// database keeps their hashes. With mode=all everyone gets a new link and
// the old ones stop working, but only with confirm=yes (the tick that says
// the administrator understands that); otherwise only people without one
// get one.
func (s *Server) issueInvitations(c *gin.Context) {
	round, ok := s.roundParam(c)
	if !ok {
		return
	}
	if s.linkExportRefused(c, round) {
		return
	}
	ctx := c.Request.Context()
	all := c.PostForm("mode") == "all"
	if all && c.PostForm("confirm") != "yes" {
		v, err := s.adminRoundView(c.Request.Context(), s.staffPage(c, "admin.round_title"), round)
		if err != nil {
			s.fail(c, err)
			return
		}
		v.Error = v.T.T("admin.links_unconfirmed")
		s.render(c, http.StatusBadRequest, "admin_round", v)
		return
	}
	progress, err := s.db.FindRoundProgress(ctx, round.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	var ids []int64
	reissued := 0
	for _, pp := range progress {
		if all || !pp.Invited {
			ids = append(ids, pp.PersonID)
			if pp.Invited {
				reissued++
			}
		}
	}
	if len(ids) == 0 {
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/rounds/%d?none=1", round.ID))
		return
	}
	tokens, err := s.db.IssueInvitations(ctx, round.ID, ids, auth.NewToken)
	if err != nil {
		s.adminFail(c, err)
		return
	}
	people, err := s.db.FindPeople(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	var invited []survey.Person
	for _, p := range people {
		if _, ok := tokens[p.ID]; ok {
			invited = append(invited, p)
		}
	}
	action, detail := "invitations.issue", fmt.Sprintf("%d links", len(tokens))
	if all {
		action, detail = "invitations.reissue", fmt.Sprintf("%d links, %d re-issued (their old links stopped working)", len(tokens), reissued)
	}
	s.sendLinkFile(c, "lederradar-links-%d.csv", round.ID, s.linkExportAction(action), detail, func(w io.Writer, base string) error {
		return links.WriteMailMerge(w, invited, tokens, base)
	})
}

// sendLinkFile sends a mail-merge file of links that write makes, named
// after the round, and audits that it left: on a page, the one way links
// leave the system.
func (s *Server) sendLinkFile(c *gin.Context, name string, roundID int64, action, detail string, write func(w io.Writer, base string) error) {
	var buf bytes.Buffer
	if err := write(&buf, s.baseURL.String()); err != nil {
		s.fail(c, err)
		return
	}
	s.audit(c, action, "round:"+itoa64(roundID), detail)
	s.download(c, fmt.Sprintf(name, roundID), "text/csv; charset=utf-8", buf.Bytes())
}
