package web

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"lederradar/internal/csvfile"
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

type personRow struct {
	ID         int64
	Name       string
	Email      string
	Department string
	Teams      string
	URL        string
}

type adminPeopleView struct {
	Page
	People []personRow
	Groups []groupRow
}

type groupRow struct {
	ID      int64
	Kind    string
	Name    string
	Members int
	Action  string
	Delete  string
}

// adminPeople lists people and groups.
func (s *Server) adminPeople(c *gin.Context) {
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
	members, err := s.db.FindGroupMembers(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	byID := map[int64]survey.Group{}
	teamsOf := map[int64][]string{}
	for _, g := range groups {
		byID[g.ID] = g
		if g.Kind == survey.Team {
			for _, pid := range members[g.ID] {
				teamsOf[pid] = append(teamsOf[pid], g.Name)
			}
		}
	}
	v := adminPeopleView{Page: s.staffPage(c, "admin.people_title")}
	if c.Query("saved") == "1" {
		v.Status = v.T.T("admin.saved")
	}
	if c.Query("erased") == "1" {
		v.Status = v.T.T("erase.done")
	}
	for _, p := range people {
		teams := teamsOf[p.ID]
		sort.Strings(teams)
		v.People = append(v.People, personRow{ID: p.ID, Name: p.Name, Email: p.Email, Department: byID[p.DepartmentID].Name,
			Teams: strings.Join(teams, ", "), URL: fmt.Sprintf("/admin/people/%d", p.ID)})
	}
	for _, g := range groups {
		v.Groups = append(v.Groups, groupRow{ID: g.ID, Kind: v.T.T("kind." + string(g.Kind)), Name: g.Name, Members: len(members[g.ID]),
			Action: fmt.Sprintf("/admin/groups/%d", g.ID), Delete: fmt.Sprintf("/admin/groups/%d/delete", g.ID)})
	}
	s.render(c, http.StatusOK, "admin_people", v)
}

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
	Error       string
}

type personForm struct {
	Name       string  `form:"name"`
	Email      string  `form:"email"`
	Department int64   `form:"department"`
	Teams      []int64 `form:"team"`
}

func (s *Server) personView(c *gin.Context, p *survey.Person, teams map[int64]bool) (adminPersonView, error) {
	ctx := c.Request.Context()
	groups, err := s.db.FindGroups(ctx, "")
	if err != nil {
		return adminPersonView{}, err
	}
	v := adminPersonView{Page: s.staffPage(c, "admin.person_title"), Name: p.Name, Email: p.Email, New: p.ID == 0}
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
	v, err := s.personView(c, p, teams)
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
	if code := survey.ErrorCode(err); code == survey.EINVALID || code == survey.ECONFLICT || code == survey.ENOTFOUND {
		v, verr := s.personView(c, p, teams)
		if verr != nil {
			s.fail(c, verr)
			return
		}
		v.Error = v.T.T("admin.person_invalid", survey.ErrorMessage(err))
		s.render(c, http.StatusBadRequest, "admin_person", v)
		return
	} else if err != nil {
		s.fail(c, err)
		return
	}
	s.audit(c, "person.save", "person:"+itoa64(p.ID), "")
	c.Redirect(http.StatusSeeOther, "/admin/people?saved=1")
}

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

// deleteGroup removes a department or team; its people stay.
func (s *Server) deleteGroup(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("group"), 10, 64)
	if err != nil {
		s.renderError(c, http.StatusNotFound, "error.notfound")
		return
	}
	if err := s.db.DeleteGroup(c.Request.Context(), id); err != nil {
		s.adminFail(c, err)
		return
	}
	s.audit(c, "group.delete", "group:"+itoa64(id), "")
	c.Redirect(http.StatusSeeOther, "/admin/people?saved=1#groups")
}

// adminFail shows a validation or conflict error with its message, and
// anything else as fail does.
func (s *Server) adminFail(c *gin.Context, err error) {
	switch survey.ErrorCode(err) {
	case survey.EINVALID, survey.ECONFLICT, survey.ECLOSED:
		s.renderError(c, http.StatusBadRequest, "admin.invalid", survey.ErrorMessage(err))
	default:
		s.fail(c, err)
	}
}

type importProblemView struct {
	Line    int
	Message string
}

type adminImportView struct {
	Page
	Problems []importProblemView
	More     bool
	Result   string
}

func (s *Server) adminImportPage(c *gin.Context) {
	s.render(c, http.StatusOK, "admin_import", adminImportView{Page: s.staffPage(c, "admin.import_title")})
}

// maxImportUpload bounds an uploaded people file.
const maxImportUpload = 8 << 20

// adminImport imports people from an uploaded CSV: the whole file is
// checked first; any problem lists every bad line and stores nothing.
func (s *Server) adminImport(c *gin.Context) {
	v := adminImportView{Page: s.staffPage(c, "admin.import_title")}
	fh, err := c.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.renderError(c, http.StatusRequestEntityTooLarge, "error.toolarge")
			return
		}
		v.Problems = []importProblemView{{Message: v.T.T("admin.import_nofile")}}
		s.render(c, http.StatusBadRequest, "admin_import", v)
		return
	}
	f, err := fh.Open()
	if err != nil {
		s.fail(c, err)
		return
	}
	defer f.Close()
	rows, err := csvfile.ParsePeople(f)
	var ie *csvfile.Error
	if errors.As(err, &ie) {
		for _, p := range ie.Problems {
			v.Problems = append(v.Problems, importProblemView{Line: p.Line, Message: s.problemText(v.T, p)})
		}
		v.More = ie.More
		s.render(c, http.StatusBadRequest, "admin_import", v)
		return
	} else if err != nil {
		s.fail(c, err)
		return
	}
	res, err := s.db.ImportPeople(c.Request.Context(), rows)
	if err != nil {
		s.adminFail(c, err)
		return
	}
	s.audit(c, "import.people", "", fmt.Sprintf("created %d, updated %d", res.Created, res.Updated))
	v.Result = v.T.T("admin.import_done", res.Created, res.Updated, res.GroupsCreated)
	v.Status = v.Result
	s.render(c, http.StatusOK, "admin_import", v)
}

// problemText translates an import problem; catalogue messages refer to
// the value as %[1]s and the other line or count as %[2]d.
func (s *Server) problemText(p *Printer, pr csvfile.Problem) string {
	key := "import." + pr.Key
	msg := p.T(key)
	if strings.HasPrefix(msg, "[") {
		return pr.Message()
	}
	if strings.Contains(msg, "%[") {
		return p.T(key, pr.Value, pr.Other)
	}
	return msg
}
