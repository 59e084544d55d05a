package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"lederradar/data"
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
	// The search: its text, the department chosen (0 for all), the
	// departments to choose from, and the matches in all when searched.
	Search      string
	Department  int64
	Departments []groupRow
	Searched    bool
	Matches     int
	Pager       *groupPager
}

type groupRow struct {
	ID      int64
	Kind    string
	Name    string
	Members int
	Action  string
	Delete  string
}

// peoplePageSize is how many people one page of the list shows.
const peoplePageSize = 100

type peopleSearchForm struct {
	Search     string `form:"q"`
	Department int64  `form:"department"`
}

// adminPeople lists people, a page at a time, found by name or e-mail and
// department (a form that works without JavaScript), and the groups.
func (s *Server) adminPeople(c *gin.Context) {
	ctx := c.Request.Context()
	var f peopleSearchForm
	if err := c.ShouldBindQuery(&f); err != nil {
		s.renderError(c, http.StatusBadRequest, "error.invalid")
		return
	}
	v := adminPeopleView{Page: s.staffPage(c, "admin.people_title"), Search: strings.TrimSpace(f.Search), Department: f.Department}
	v.Searched = v.Search != "" || v.Department != 0
	if c.Query("saved") == "1" {
		v.Status = v.T.T("admin.saved")
	}
	if c.Query("erased") == "1" {
		v.Status = v.T.T("erase.done")
	}
	search := data.PeopleSearch{Text: v.Search, DepartmentID: v.Department}
	_, total, err := s.db.SearchPeople(ctx, search) // Limit 0: the count only
	if err != nil {
		s.fail(c, err)
		return
	}
	v.Matches = total
	query := url.Values{}
	if v.Search != "" {
		query.Set("q", v.Search)
	}
	if v.Department != 0 {
		query.Set("department", strconv.FormatInt(v.Department, 10))
	}
	base := "/admin/people"
	if len(query) > 0 {
		base += "?" + query.Encode()
	}
	first, last, pager, ok := s.groupPage(c, v.T, total, peoplePageSize, base)
	if !ok {
		return
	}
	if pager != nil {
		pager.Text = v.T.T("pager.people_text", first/peoplePageSize+1, (total+peoplePageSize-1)/peoplePageSize, first+1, last, total)
	}
	v.Pager = pager
	search.Offset, search.Limit = first, last-first
	people, _, err := s.db.SearchPeople(ctx, search)
	if err != nil {
		s.fail(c, err)
		return
	}
	for _, p := range people {
		v.People = append(v.People, personRow{ID: p.ID, Name: p.Name, Email: p.Email, Department: p.Department,
			Teams: strings.Join(p.Teams, ", "), URL: fmt.Sprintf("/admin/people/%d", p.ID)})
	}
	if err := s.peopleGroups(ctx, &v); err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "admin_people", v)
}

// peopleGroups fills in the groups of the people page, and the
// departments the search can choose from.
func (s *Server) peopleGroups(ctx context.Context, v *adminPeopleView) error {
	groups, err := s.db.FindGroups(ctx, "")
	if err != nil {
		return err
	}
	members, err := s.db.FindGroupMembers(ctx)
	if err != nil {
		return err
	}
	for _, g := range groups {
		row := groupRow{ID: g.ID, Kind: v.T.T("kind." + string(g.Kind)), Name: g.Name, Members: len(members[g.ID]),
			Action: fmt.Sprintf("/admin/groups/%d", g.ID), Delete: fmt.Sprintf("/admin/groups/%d/delete", g.ID)}
		v.Groups = append(v.Groups, row)
		if g.Kind == survey.Department {
			v.Departments = append(v.Departments, row)
		}
	}
	return nil
}
