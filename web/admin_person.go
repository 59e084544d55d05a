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

type teamChoice struct {
	ID      int64
	Name    string
	Checked bool
}

type deptChoice struct {
	ID       int64
	Name     string
	Selected bool
}

type adminPersonView struct {
	Page
	Action      string
	New         bool
	Name, Email string
	Departments []deptChoice
	Teams       []teamChoice
	// Language is the language of the person's mail (da or en).
	Language string
	Error    string
}

type personForm struct {
	Name       string  `form:"name"`
	Email      string  `form:"email"`
	Department int64   `form:"department"`
	Teams      []int64 `form:"team"`
	Language   string  `form:"language"`
}

func (s *Server) personView(ctx context.Context, page Page, p *survey.Person, teams map[int64]bool) (adminPersonView, error) {
	groups, err := s.db.FindGroups(ctx, "")
	if err != nil {
		return adminPersonView{}, err
	}
	v := adminPersonView{Page: page, Name: p.Name, Email: p.Email, New: p.ID == 0, Language: string(survey.Danish)}
	if !v.New {
		lang, err := s.db.FindPersonLanguage(ctx, p.ID)
		if err != nil {
			return adminPersonView{}, err
		}
		v.Language = string(lang)
	}
	v.Action = "/admin/people/new"
	if !v.New {
		v.Action = fmt.Sprintf("/admin/people/%d", p.ID)
	}
	for _, g := range groups {
		if g.Kind == survey.Department {
			v.Departments = append(v.Departments, deptChoice{ID: g.ID, Name: g.Name, Selected: g.ID == p.DepartmentID})
		} else {
			v.Teams = append(v.Teams, teamChoice{ID: g.ID, Name: g.Name, Checked: teams[g.ID]})
		}
	}
	return v, nil
}

// adminPerson shows the form to correct one person, or to add one.
func (s *Server) adminPerson(c *gin.Context) {
	p := &survey.Person{}
	teams := map[int64]bool{}
	if c.Param("person") != "new" {
		var ok bool
		if p, ok = s.personParam(c); !ok {
			return
		}
		ts, err := s.db.FindTeamsOfPerson(c.Request.Context(), p.ID)
		if err != nil {
			s.fail(c, err)
			return
		}
		for _, t := range ts {
			teams[t.ID] = true
		}
	}
	v, err := s.personView(c.Request.Context(), s.staffPage(c, "admin.person_title"), p, teams)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "admin_person", v)
}

func (s *Server) personParam(c *gin.Context) (*survey.Person, bool) {
	id, err := strconv.ParseInt(c.Param("person"), 10, 64)
	if err != nil || id <= 0 {
		s.renderError(c, http.StatusNotFound, "error.notfound")
		return nil, false
	}
	p, err := s.db.FindPersonByID(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	return p, true
}

// savePerson creates or updates a person with department and teams; a
// validation error re-shows the form with the message and changes nothing.
func (s *Server) savePerson(c *gin.Context) {
	ctx := c.Request.Context()
	var f personForm
	if err := c.ShouldBind(&f); err != nil {
		s.renderError(c, http.StatusBadRequest, "error.invalid")
		return
	}
	p := &survey.Person{}
	if c.Param("person") != "new" {
		var ok bool
		if p, ok = s.personParam(c); !ok {
			return
		}
	}
	p.Name = strings.TrimSpace(f.Name)
	p.Email = strings.ToLower(strings.TrimSpace(f.Email))
	p.DepartmentID = f.Department
	teams := map[int64]bool{}
	for _, t := range f.Teams {
		teams[t] = true
	}
	var err error
	if p.ID == 0 {
		err = s.db.CreatePerson(ctx, p)
	} else {
		err = s.db.UpdatePerson(ctx, p)
	}
	if err == nil {
		err = s.db.SetPersonTeams(ctx, p.ID, f.Teams)
	}
	if lang, ok := survey.ParseLang(f.Language); err == nil && ok {
		err = s.db.SetPersonLanguage(ctx, p.ID, lang)
	}
	if code := survey.ErrorCode(err); code == survey.EINVALID || code == survey.ECONFLICT || code == survey.ENOTFOUND {
		v, verr := s.personView(c.Request.Context(), s.staffPage(c, "admin.person_title"), p, teams)
		if verr != nil {
			s.fail(c, verr)
			return
		}
		v.Error = v.T.T("admin.person_invalid", reasonText(v.T, err))
		s.render(c, http.StatusBadRequest, "admin_person", v)
		return
	} else if err != nil {
		s.fail(c, err)
		return
	}
	s.audit(c, "person.save", "person:"+itoa64(p.ID), "")
	c.Redirect(http.StatusSeeOther, "/admin/people?saved=1")
}
