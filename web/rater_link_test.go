package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// TestRaterLinkOpensNothing: a 360 rater's link must not open the
// leader's pages, which would show the rater a result of their own, until
// the rater's form exists. It says so, in the reader's language, and
// gives no session.
func TestRaterLinkOpensNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	links, err := e.db.ImportRaters(context.Background(), e.open.ID, []csvfile.RaterRow{
		{Line: 2, SubjectEmail: e.person.Email, RaterEmail: "kollega@example.dk", Relation: survey.Peer},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"da", "en"} {
		w := e.do(request{path: "/i/" + links[0].Token, cookies: []*http.Cookie{{Name: "lang", Value: lang}}})
		want := map[string]string{"da": "Formularen til bedømmere er ikke åben endnu", "en": "The raters&#39; form is not open yet"}[lang]
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), want) {
			t.Errorf("%s: %d, want 409 saying %q:\n%s", lang, w.Code, want, w.Body.String())
		}
		if c := w.Header().Values("Set-Cookie"); len(c) > 0 {
			t.Errorf("%s: cookies %v, want no session", lang, c)
		}
	}
}
