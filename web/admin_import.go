package web

import (
	"errors"
	"fmt"
	"io"
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
	rows, problems, more, ok := readUpload(s, c, v.T, csvfile.ParsePeople)
	if !ok {
		return
	}
	if problems != nil {
		v.Problems, v.More = problems, more
		s.render(c, http.StatusBadRequest, "admin_import", v)
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

// readUpload parses the uploaded CSV in the form's field "file". A file
// with problems comes back as their translations (problems not nil, more
// when there were more than shown); no file is one such problem. It has
// answered the request (413, 500) when ok is false.
func readUpload[T any](s *Server, c *gin.Context, p *Printer, parse func(io.Reader) ([]T, error)) (rows []T, problems []importProblemView, more, ok bool) {
	fh, err := c.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.renderError(c, http.StatusRequestEntityTooLarge, "error.toolarge")
			return nil, nil, false, false
		}
		return nil, []importProblemView{{Message: p.T("admin.import_nofile")}}, false, true
	}
	f, err := fh.Open()
	if err != nil {
		s.fail(c, err)
		return nil, nil, false, false
	}
	defer f.Close()
	rows, err = parse(f)
	var ie *csvfile.Error
	if errors.As(err, &ie) {
		problems, more = s.problemViews(p, ie), ie.More
		return nil, problems, more, true
	} else if err != nil {
		s.fail(c, err)
		return nil, nil, false, false
	}
	return rows, nil, false, true
}

// problemViews are an import's problems in p's language, by line.
func (s *Server) problemViews(p *Printer, ie *csvfile.Error) []importProblemView {
	views := make([]importProblemView, 0, len(ie.Problems))
	for _, pr := range ie.Problems {
		views = append(views, importProblemView{Line: pr.Line, Message: s.problemText(p, pr)})
	}
	return views
}

// problemText translates an import problem; catalogue messages refer to
// the value as %[1]s and the other line or count as %[2]d.
func (s *Server) problemText(p *Printer, pr csvfile.Problem) string {
	key := "import." + pr.Key
	if pr.Other == 0 && p.Has(key+"_stored") {
		// The other line is none: the clash is with what is stored.
		key += "_stored"
	}
	msg := p.T(key)
	if strings.HasPrefix(msg, "[") {
		return pr.Message()
	}
	if strings.Contains(msg, "%[") {
		return p.T(key, pr.Value, pr.Other)
	}
	return msg
}
