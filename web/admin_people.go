package web

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/gin-gonic/gin"

	"lederradar/survey"
)

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
