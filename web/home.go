package web

import (
	"net/http"
	"path"
	"strings"
	"unicode"

	"github.com/gin-gonic/gin"

	"lederradar/survey"
)

// langCookie remembers the chosen language for a year.
const (
	langCookie       = "lang"
	langCookieMaxAge = 365 * 24 * 3600
)

// lang returns the request's language: the cookie if it names one, else
// Danish.
func (s *Server) lang(r *http.Request) survey.Lang {
	l, _ := survey.ParseLang(s.cookie(r, langCookie))
	return l
}

type languageForm struct {
	Lang   string `form:"lang" binding:"required"`
	Return string `form:"return"`
}

// setLanguage stores the chosen language and returns to the page the
// switch was on. It works without JavaScript: the switch is a form.
func (s *Server) setLanguage(c *gin.Context) {
	var f languageForm
	if err := c.ShouldBind(&f); err != nil {
		s.renderError(c, http.StatusBadRequest, "error.invalid")
		return
	}
	lang, ok := survey.ParseLang(f.Lang)
	if !ok {
		s.renderError(c, http.StatusBadRequest, "error.invalid")
		return
	}
	s.setCookie(c.Writer, langCookie, string(lang), langCookieMaxAge)
	s.rememberLanguage(c, lang)
	c.Redirect(http.StatusSeeOther, safeReturn(f.Return))
}

// safeReturn accepts only a local path, so the switch and the log-in cannot
// redirect anywhere else. It checks the value that is finally sent:
// http.Redirect cleans the path ("/x/../\evil.example" becomes
// "/\evil.example", which browsers read as //evil.example), so the path is
// cleaned the same way first, and both what came and what goes must be a
// same-site path. Control characters are refused anywhere: browsers
// drop tabs and newlines from a URL, so "/\t/evil.example" would go to
// //evil.example.
func safeReturn(p string) string {
	if strings.IndexFunc(p, unicode.IsControl) >= 0 || !sameSitePath(p) {
		return "/"
	}
	p = cleanLocalPath(p)
	if !sameSitePath(p) {
		return "/"
	}
	return p
}

// sameSitePath reports whether p starts with one "/" that no "/" or "\"
// follows; browsers read a backslash as a slash.
func sameSitePath(p string) bool {
	return strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "//") && !strings.HasPrefix(p, "/\\")
}

// cleanLocalPath cleans a path as http.Redirect does before it writes the
// Location header: the part before "?" goes through path.Clean, keeping a
// trailing slash. Cleaning again changes nothing, so what safeReturn
// checked is what is sent.
func cleanLocalPath(p string) string {
	query := ""
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p, query = p[:i], p[i:]
	}
	trailing := strings.HasSuffix(p, "/")
	p = path.Clean(p)
	if trailing && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p + query
}

type homeView struct {
	Page
	Competences []string
	// StaffHome is the start page of a signed-in HR or administrator
	// user; empty offers the log-in instead.
	StaffHome string
	// SSO offers leaders the organisation's sign-in besides their link.
	SSO bool
}

// home explains what Lederradar is and how to get in: leaders through
// their personal link, HR and administrators through the log-in (or, when
// signed in, back to their own pages).
func (s *Server) home(c *gin.Context) {
	if u, ok := s.loadUser(c); ok {
		c.Set(userKey, u)
	}
	v := homeView{Page: s.staffPage(c, "home.title"), SSO: s.sso != nil}
	if v.Staff != "" {
		v.StaffHome = staffHome(v.Staff)
	}
	for _, comp := range s.instrument.Competences {
		v.Competences = append(v.Competences, v.T.Text(comp.Name))
	}
	s.render(c, http.StatusOK, "home", v)
}

// healthz answers 200 when the database answers.
func (s *Server) healthz(c *gin.Context) {
	if err := s.db.Ping(c.Request.Context()); err != nil {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}
