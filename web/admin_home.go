package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"lederradar/survey"
)

// Administrator pages: people, departments and teams, import, rounds and
// invitations. Administrators set things up; they see no answers.

type adminHomeView struct {
	Page
	People, Departments, Teams, Rounds int
	// Expiring warns of rounds the retention period deletes soon.
	Expiring []string
}

func (s *Server) adminHome(c *gin.Context) {
	ctx := c.Request.Context()
	people, err := s.db.FindPeople(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	groups, err := s.db.FindGroups(ctx, "")
	if err != nil {
		s.fail(c, err)
		return
	}
	rounds, err := s.db.FindRounds(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := adminHomeView{Page: s.staffPage(c, "admin.title"), People: len(people), Rounds: len(rounds)}
	for _, g := range groups {
		if g.Kind == survey.Department {
			v.Departments++
		} else {
			v.Teams++
		}
	}
	if v.Expiring, err = s.expiringNotices(ctx, v.T); err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "admin_home", v)
}

// adminFail shows a validation or conflict error with its message, and
// anything else as fail does.
func (s *Server) adminFail(c *gin.Context, err error) {
	switch survey.ErrorCode(err) {
	case survey.EINVALID, survey.ECONFLICT, survey.ECLOSED:
		s.renderError(c, http.StatusBadRequest, "admin.invalid", reasonText(s.catalogues.Printer(s.lang(c.Request)), err))
	default:
		s.fail(c, err)
	}
}

// maxImportUpload bounds an uploaded people file.
const maxImportUpload = 8 << 20
