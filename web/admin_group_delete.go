package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"lederradar/survey"
)

type adminGroupDeleteView struct {
	Page
	Name   string
	Effect string
	Action string
}

// adminGroupDeletePage asks before a department or team is deleted and
// says what happens: how many members lose it. Deleting cannot be undone,
// so it takes this page and a tick, also without JavaScript.
func (s *Server) adminGroupDeletePage(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("group"), 10, 64)
	if err != nil {
		s.renderError(c, http.StatusNotFound, "error.notfound")
		return
	}
	ctx := c.Request.Context()
	g, err := s.db.FindGroupByID(ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	members, err := s.db.CountGroupMembers(ctx, g)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := s.staffPage(c, "admin.people_title")
	p.Title = p.T.T("admin.delete_title", g.Name)
	effect := "admin.delete_team"
	if g.Kind == survey.Department {
		effect = "admin.delete_department"
	}
	v := adminGroupDeleteView{Page: p, Name: g.Name, Effect: p.T.N(effect, members, g.Name),
		Action: fmt.Sprintf("/admin/groups/%d/delete", g.ID)}
	s.render(c, http.StatusOK, "admin_group_delete", v)
}
