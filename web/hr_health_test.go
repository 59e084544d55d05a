package web_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
)

// TestHRInstrumentHealth opens a closed round's instrument health as HR:
// the figures over the whole organisation in both languages, linked from
// the round, and a clear refusal where the organisation does not pass the
// rule or the round is open. The staff organisation's twelve leaders
// answer in a rotating pattern, so the items pull against each other:
// alpha is negative and every item's agreement is low.
func TestHRInstrumentHealth(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	adas, err := e.db.FindRoundByName(context.Background(), "Forår 2026")
	must(t, err)
	path := func(round int64) string { return fmt.Sprintf("/hr/rounds/%d/instrument-health", round) }
	en := &http.Cookie{Name: "lang", Value: "en"}
	for _, tt := range []scenario{
		{name: "linked from the closed round", req: request{path: fmt.Sprintf("/hr/rounds/%d", e.closed.ID), cookies: []*http.Cookie{e.hr}},
			wantStatus: http.StatusOK, want: []string{`href="` + path(e.closed.ID) + `"`, "Instrumentets kvalitet"}},
		{name: "in Danish", req: request{path: path(e.closed.ID), cookies: []*http.Cookie{e.hr}}, wantStatus: http.StatusOK,
			want: []string{"hele organisationens 12 indsendte selvevalueringer", "mindst 5 personer",
				"Cronbachs alfa: −2,97, over 12 ledere", "Under 0,70", "Udsagn om Tillid, relationer",
				"Jeg holder mine aftaler med andre afdelinger.</th><td class=\"num\">2,75</td><td class=\"num\">1,48</td><td class=\"num\">0 %</td><td class=\"num low\">−0,65 (lav)</td>"}},
		{name: "in English", req: request{path: path(e.closed.ID), cookies: []*http.Cookie{e.hr, en}}, wantStatus: http.StatusOK,
			want: []string{"all 12 submitted self-assessments", "alpha: −2.97, over 12 leaders", "Statements on Trust, relationships", "−0.65 (low)"}},
		{name: "an organisation below the rule", req: request{path: path(adas.ID), cookies: []*http.Cookie{e.hr}},
			wantStatus: http.StatusConflict, want: []string{"færre end 5 indsendte selvevalueringer"}, notWant: []string{"Cronbachs alfa:"}},
		{name: "an open round", req: request{path: path(e.open.ID), cookies: []*http.Cookie{e.hr}}, wantStatus: http.StatusConflict},
		{name: "not for administrators", req: request{path: path(e.closed.ID), cookies: []*http.Cookie{e.admin}}, wantStatus: http.StatusForbidden},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, e.do(tt.req)) })
	}
}
