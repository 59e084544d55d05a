package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"lederradar/internal/csvfile"
)

// uploadRaters adds a 360 round's raters from an uploaded CSV, the file
// `lederradar import raters` reads: the whole file is checked first, and
// any problem lists every bad line and stores nothing. The new raters'
// links are not shown: they wait for the round page's rater-links
// download, an export of its own (downloadRaterLinks).
func (s *Server) uploadRaters(c *gin.Context) {
	round, ok := s.openForRaters(c)
	if !ok {
		return
	}
	p := s.staffPage(c, "admin.round_title")
	rows, problems, more, ok := readUpload(s, c, p.T, csvfile.ParseRaters)
	if !ok {
		return
	}
	if problems == nil {
		added, err := s.db.AddRaters(c.Request.Context(), round.ID, rows)
		var ie *csvfile.Error
		switch {
		case err == nil:
			s.audit(c, "import.raters", "round:"+itoa64(round.ID), fmt.Sprintf("%d raters", added.Links))
			c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/rounds/%d?raters=%d&leaders=%d#raters", round.ID, added.Links, added.Leaders))
			return
		case errors.As(err, &ie):
			problems, more = s.problemViews(p.T, ie), ie.More
		default:
			s.adminFail(c, err)
			return
		}
	}
	s.showRoundRefused(c, round, func(v *adminRoundView) { v.ThreeSixty.RatersProblems, v.ThreeSixty.RatersMore = problems, more })
}

// ratersStatus is the round page's status after an upload of raters or a
// download that found no link to make, from the redirect's query; else
// status as it was.
func ratersStatus(p *Printer, c *gin.Context, status string) string {
	if c.Query("raters_none") == "1" {
		return p.T("admin.rater_links_none")
	}
	raters, err1 := strconv.Atoi(c.Query("raters"))
	leaders, err2 := strconv.Atoi(c.Query("leaders"))
	if err1 != nil || err2 != nil || raters < 1 || leaders < 1 {
		return status
	}
	return p.T("admin.raters_added", raters, leaders)
}
