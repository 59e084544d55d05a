package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"lederradar/data"
	"lederradar/survey"
)

// pageAnswers reads one page's posted answers. Anything but this page's
// items, the form key and the navigation is refused, as is a value off the
// scale; the message is for the user.
func pageAnswers(c *gin.Context, p *Printer, comp survey.Competence) (survey.Answers, string, string, error) {
	if err := c.Request.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, "", "", errBodyTooLarge
		}
		return nil, "", "", survey.Errorf(survey.EINVALID, "%s", p.T("survey.error.form"))
	}
	form := c.Request.PostForm
	items := map[string]bool{}
	for _, it := range comp.Items {
		items[it.ID] = true
	}
	answers := survey.Answers{}
	for key, values := range form {
		switch {
		case key == "formkey" || key == "nav":
			continue
		case !items[key]:
			return nil, "", "", survey.Errorf(survey.EINVALID, "%s", p.T("survey.error.item", key))
		case len(values) != 1:
			return nil, "", "", survey.Errorf(survey.EINVALID, "%s", p.T("survey.error.value", key))
		}
		v, err := strconv.Atoi(values[0])
		if err != nil || !survey.Answer(v).Valid() {
			return nil, "", "", survey.Errorf(survey.EINVALID, "%s", p.T("survey.error.value", key))
		}
		answers[key] = survey.Answer(v)
	}
	key := form.Get("formkey")
	if key == "" || len(key) > 64 {
		return nil, "", "", survey.Errorf(survey.EINVALID, "%s", p.T("survey.error.form"))
	}
	return answers, key, form.Get("nav"), nil
}

var errBodyTooLarge = errors.New("web: request body too large")

// languageSwitch reads a questionnaire page's navigation: "lang-en" is the
// language switch, which saves the page before changing language.
func languageSwitch(nav string) (survey.Lang, bool) {
	code, ok := strings.CutPrefix(nav, "lang-")
	if !ok {
		return "", false
	}
	return survey.ParseLang(code)
}

// saveQuestionnairePage saves the page, and only after the commit sends the
// leader on: back, next, or to the review.
func (s *Server) saveQuestionnairePage(c *gin.Context) {
	l := currentLeader(c)
	n, ok := pageNumber(c, l.Instrument)
	if !ok {
		if _, ok := s.confirmLeader(c); ok {
			s.renderError(c, http.StatusNotFound, "error.notfound")
		}
		return
	}
	p := s.catalogues.Printer(s.lang(c.Request))
	comp := l.Instrument.Competences[n-1]
	answers, formKey, nav, err := pageAnswers(c, p, comp)
	if errors.Is(err, errBodyTooLarge) {
		if _, ok := s.confirmLeader(c); ok {
			s.renderError(c, http.StatusRequestEntityTooLarge, "error.toolarge")
		}
		return
	} else if err != nil {
		// The page again with the stored answers: only for a session
		// that is still live.
		if l, ok = s.confirmLeader(c); !ok {
			return
		}
		stored, lerr := s.loadResponse(c.Request.Context(), l)
		if lerr != nil {
			s.fail(c, lerr)
			return
		}
		v := questionnairePageView(s.page(c, "survey.title"), l, n, stored.Answers)
		v.Error = survey.ErrorMessage(err)
		s.render(c, http.StatusBadRequest, "questionnaire", v)
		return
	}
	_, err = s.db.SaveAnswers(c.Request.Context(), data.AnswerSave{
		RoundID:   l.Round.ID,
		SubjectID: l.Invitation.SubjectID,
		RaterID:   l.Invitation.PersonID,
		Relation:  l.Invitation.Relation,
		FormKey:   formKey,
		Answers:   answers,
		Session:   sessionCheck(c),
	})
	if s.answerRefused(c, err) {
		return
	}
	last := len(l.Instrument.Competences)
	target := fmt.Sprintf("/survey/%d?saved=1", n+1)
	switch lang, switching := languageSwitch(nav); {
	case switching:
		// The language switch on the page: saved, and the same page again
		// in the other language.
		s.setCookie(c.Writer, langCookie, string(lang), langCookieMaxAge)
		s.saveLanguage(c, l.Invitation.PersonID, lang)
		target = fmt.Sprintf("/survey/%d?saved=1", n)
	case nav == "back" && n > 1:
		target = fmt.Sprintf("/survey/%d?saved=1", n-1)
	case nav == "back":
		target = "/survey/1?saved=1"
	case nav == "review" || n == last:
		target = "/review?saved=1"
	}
	c.Redirect(http.StatusSeeOther, target)
}
