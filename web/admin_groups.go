package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"lederradar/survey"
)

type groupForm struct {
	Kind string `form:"kind"`
	Name string `form:"name"`
}

// createGroup adds a department or team.
func (s *Server) createGroup(c *gin.Context) {
	var f groupForm
	if err := c.ShouldBind(&f); err != nil {
		s.renderError(c, http.StatusBadRequest, "error.invalid")
		return
	}
	g := survey.Group{Kind: survey.GroupKind(f.Kind), Name: strings.TrimSpace(f.Name)}
	if err := s.db.CreateGroup(c.Request.Context(), &g); err != nil {
		s.adminFail(c, err)
		return
	}
	s.audit(c, "group.create", "group:"+itoa64(g.ID), "")
	c.Redirect(http.StatusSeeOther, "/admin/people?saved=1#groups")
}

// renameGroup renames a department or team.
func (s *Server) renameGroup(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("group"), 10, 64)
	if err != nil {
		s.renderError(c, http.StatusNotFound, "error.notfound")
		return
	}
	if err := s.db.RenameGroup(c.Request.Context(), id, strings.TrimSpace(c.PostForm("name"))); err != nil {
		s.adminFail(c, err)
		return
	}
	s.audit(c, "group.rename", "group:"+itoa64(id), "")
	c.Redirect(http.StatusSeeOther, "/admin/people?saved=1#groups")
}

// deleteGroup removes a department or team; its people stay. It happens
// only with the tick of the confirmation page (admin_group_delete.go);
// without it the browser is sent there and nothing changes.
func (s *Server) deleteGroup(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("group"), 10, 64)
	if err != nil {
		s.renderError(c, http.StatusNotFound, "error.notfound")
		return
	}
	if c.PostForm("confirm") != "yes" {
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/groups/%d/delete", id))
		return
	}
	if err := s.db.DeleteGroup(c.Request.Context(), id); err != nil {
		s.adminFail(c, err)
		return
	}
	s.audit(c, "group.delete", "group:"+itoa64(id), "")
	c.Redirect(http.StatusSeeOther, "/admin/people?saved=1#groups")
}
