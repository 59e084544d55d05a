package web

import (
	"net/http"
	"strings"
	"unicode"

	"github.com/gin-gonic/gin"

	"lederradar/survey"
)

// langCookie remembers the chosen language for a year.
const langCookie = "lang"

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
	s.setCookie(c.Writer, langCookie, string(lang), 365*24*3600)
	c.Redirect(http.StatusSeeOther, safeReturn(f.Return))
}

// safeReturn accepts only a local path, so the switch cannot redirect
// anywhere else. Control characters are refused anywhere: browsers drop
// tabs and newlines from a URL, so "/\t/evil.example" would go to
// //evil.example.
func safeReturn(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.IndexFunc(p, unicode.IsControl) >= 0 {
		return "/"
	}
	return p
}

type homeView struct {
	Page
	Competences []string
}

// home explains what Lederradar is and how to get in: through one's
// personal link.
func (s *Server) home(c *gin.Context) {
	v := homeView{Page: s.page(c, "home.title")}
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
