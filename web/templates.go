package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"

	"lederradar/survey"
)

//go:embed templates
var templateFiles embed.FS

// pageNames lists every page; each gets its own template set of the layout,
// the partials and the page, so no page can overwrite another's blocks.
var pageNames = []string{"home", "error", "questionnaire", "review", "result", "login",
	"hr_rounds", "hr_round", "hr_group", "hr_group_others", "hr_heatmap", "hr_health",
	"admin_home", "admin_people", "admin_group_delete", "admin_person", "admin_import", "admin_rounds", "admin_round",
	"privacy", "admin_erase", "admin_audit", "link_closed",
	"accessibility", "start", "rater_thanks", "nominations", "teams", "team_map", "plan", "shares", "packet",
	"my_rounds"}

// parsedPages memoises parsePages per asset set. Templates are embedded
// and an asset set never changes once loaded, so every server built on
// the same assets (tests build hundreds) shares one parse; a parsed
// html/template is safe to execute from any number of goroutines.
var parsedPages sync.Map // *Assets → func() (map[string]*template.Template, error)

// pagesFor returns the parsed pages for assets, parsing them on first use.
func pagesFor(assets *Assets) (map[string]*template.Template, error) {
	parse, _ := parsedPages.LoadOrStore(assets, sync.OnceValues(func() (map[string]*template.Template, error) {
		return parsePages(assets)
	}))
	return parse.(func() (map[string]*template.Template, error))()
}

// parsePages parses every page's template set: the layout, the partials
// and the page, so no page can overwrite another's blocks. Texts come from
// the printer in the view as the page is executed, never from the set.
func parsePages(assets *Assets) (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		// asset maps a logical static name to its content-hashed URL. It is
		// the same for every request, so binding it at parse time is safe.
		"asset": assets.URL,
	}
	partials, err := fs.Glob(templateFiles, "templates/partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	pages := map[string]*template.Template{}
	for _, name := range pageNames {
		files := append(append([]string{"templates/layout.html"}, partials...), "templates/"+name+".html")
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFiles, files...)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		if t.Lookup("layout") == nil {
			return nil, fmt.Errorf("web: template %s: no layout", name)
		}
		pages[name] = t
	}
	return pages, nil
}

// Page is what the layout needs; every view embeds it.
type Page struct {
	T     *Printer
	Lang  survey.Lang
	Title string
	// Path is where the language switch returns to.
	Path string
	// Leader is set on a leader's own pages, for the navigation.
	Leader bool
	// Rater is set besides Leader on a 360 rater's pages: their
	// navigation has no result, and the footer speaks of their answers.
	Rater bool
	// Shared is set on a share's page: read by the person a leader shared
	// their result with, not by the leader.
	Shared bool
	// Nominate adds the leader's page for asking others for feedback to
	// the navigation: set where the leader may nominate raters.
	Nominate bool
	// SignedOn adds a leader's list of rounds (my_rounds.go) to their
	// navigation: the browser signed in with the organisation's provider.
	SignedOn bool
	// Staff is the role of a signed-in HR or administrator user, for the
	// navigation and the log-out button; empty elsewhere.
	Staff survey.Role
	// StaffEmail is who is signed in.
	StaffEmail string
	// Session is the staff session's clock, for the time-out warning
	// (session_page.go); nil on every other page.
	Session *sessionClock
	// Status is a message for the status region (role=status), e.g. "saved".
	Status string
	// Openings are the openings of a leader's link, on their own pages.
	Openings *openingsView
	// AnswerForm is the id of the page's form of unsaved answers, if it
	// has one: the language switch then submits that form, which saves
	// the answers before the page comes back in the other language.
	AnswerForm string
}

// page returns the Page for this request: language from the cookie.
func (s *Server) page(c *gin.Context, titleKey string) Page {
	lang := s.lang(c.Request)
	p := s.catalogues.Printer(lang)
	return Page{T: p, Lang: lang, Title: p.T(titleKey), Path: c.Request.URL.Path, SignedOn: s.cookie(c.Request, personCookie) != ""}
}

// staffPage is the Page of an HR or administrator page.
func (s *Server) staffPage(c *gin.Context, titleKey string) Page {
	p := s.page(c, titleKey)
	if u, ok := c.Get(userKey); ok {
		p.Staff = u.(*survey.User).Role
		p.StaffEmail = u.(*survey.User).Email
		p.Session = s.sessionClock(c, p.T)
	}
	return p
}

// render executes a page into a buffer first, so a template error becomes a
// clean 500 rather than half a page.
func (s *Server) render(c *gin.Context, status int, name string, view any) {
	t, ok := s.pages[name]
	if !ok {
		panic("web: no page " + name) // pages are fixed at start-up
	}
	buf := pageBuffers.Get().(*bytes.Buffer)
	defer putPageBuffer(buf)
	if err := t.ExecuteTemplate(buf, "layout", view); err != nil {
		s.logger.Error("render", "page", name, "error", err)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("Internal error."))
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// pageBuffers hold the buffers pages are rendered into, so that a page
// does not grow a new one from nothing: a buffer is reused once its page
// is written to the connection.
var pageBuffers = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 32<<10)) }}

// putPageBuffer returns a buffer to the pool, unless an unusually large
// page (a big heatmap) grew it: that memory goes back to the collector.
func putPageBuffer(b *bytes.Buffer) {
	if b.Cap() > 256<<10 {
		return
	}
	b.Reset()
	pageBuffers.Put(b)
}

type errorView struct {
	Page
	Message string
	// LinkHint tells the leader to open their personal link again.
	LinkHint bool
	// Home is where the way back leads: a signed-in HR or administrator
	// user's own start page, the public home page for everyone else.
	Home string
}

// renderError renders the error page with a catalogue message. A signed-in
// HR or administrator user keeps their navigation and is sent back to
// their own pages, not to the leaders' home page.
func (s *Server) renderError(c *gin.Context, status int, messageKey string, args ...any) {
	if _, ok := c.Get(userKey); !ok {
		if u, ok := s.loadUser(c); ok {
			c.Set(userKey, u)
		}
	}
	p := s.staffPage(c, "error.title")
	v := errorView{Page: p, Message: p.T.T(messageKey, args...), Home: staffHome(p.Staff)}
	v.LinkHint = status == http.StatusUnauthorized && p.Staff == ""
	s.render(c, status, "error", v)
}

// staffHome is the start page of a signed-in user of the role; "/" for
// nobody signed in.
func staffHome(role survey.Role) string {
	switch role {
	case survey.RoleHR:
		return "/hr"
	case survey.RoleAdmin:
		return "/admin"
	}
	return "/"
}

// fail answers a domain error with the status its code maps to and a
// message in the user's language. It is the one place codes become statuses.
func (s *Server) fail(c *gin.Context, err error) {
	code := survey.ErrorCode(err)
	status, key := statusOf(code)
	if errors.Is(err, context.Canceled) && c.Request.Context().Err() != nil {
		// The browser went away mid-request; the transaction rolled back
		// or committed whole. Nobody reads this answer.
		s.logger.Info("request cancelled by the client", "route", c.FullPath())
		c.Status(499)
		return
	}
	if status == http.StatusInternalServerError {
		s.logger.Error("request failed", "route", c.FullPath(), "error", err)
	}
	s.renderError(c, status, key)
}

// statusOf maps an error code to an HTTP status and a catalogue message.
func statusOf(code string) (int, string) {
	switch code {
	case survey.EINVALID:
		return http.StatusBadRequest, "error.invalid"
	case survey.ENOTFOUND:
		return http.StatusNotFound, "error.notfound"
	case survey.EUNAUTHORIZED:
		return http.StatusUnauthorized, "error.session"
	case survey.EFORBIDDEN:
		return http.StatusForbidden, "error.forbidden"
	case survey.ECONFLICT:
		return http.StatusConflict, "error.conflict"
	case survey.ECLOSED:
		return http.StatusConflict, "error.closed"
	default:
		return http.StatusInternalServerError, "error.internal"
	}
}
