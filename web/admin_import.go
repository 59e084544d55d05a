package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"lederradar/internal/csvfile"
)

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
