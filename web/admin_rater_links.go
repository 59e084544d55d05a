package web

import (
	"fmt"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"lederradar/internal/auth"
	"lederradar/internal/links"
)

// downloadRaterLinks makes the links of the round's raters who have none
// yet — added on this page or nominated by their leader — and sends them
// as a CSV file for mail merge (email;leader;relation;link), as the
// command line's `import raters` writes it. The links exist only in this
// file; the page never shows one. Audited with the count.
func (s *Server) downloadRaterLinks(c *gin.Context) {
	round, ok := s.roundParam(c)
	if !ok || s.linkExportRefused(c, round) {
		return
	}
	made, err := s.db.IssueRaterLinks(c.Request.Context(), round.ID, auth.NewToken)
	if err != nil {
		s.adminFail(c, err)
		return
	}
	if len(made) == 0 {
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/rounds/%d?raters_none=1#raters", round.ID))
		return
	}
	merge := make([]links.RaterLink, len(made))
	for i, l := range made {
		merge[i] = links.RaterLink{Email: l.RaterEmail, Leader: l.SubjectName, Relation: l.Relation, Token: l.Token}
	}
	s.sendLinkFile(c, "lederradar-rater-links-%d.csv", round.ID, s.linkExportAction("rater_links.issue"), fmt.Sprintf("%d links", len(made)), func(w io.Writer, base string) error {
		return links.WriteRaterMailMerge(w, merge, base)
	})
}
