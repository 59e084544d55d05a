package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"lederradar/internal/auth"
	"lederradar/survey"
)

// raterUpload is a multipart request with a raters file for the round.
func raterUpload(roundID int64, admin *http.Cookie, content string) request {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "raters.csv")
	_, _ = fw.Write([]byte(content))
	_ = mw.Close()
	return request{method: "POST", path: fmt.Sprintf("/admin/rounds/%d/raters", roundID), body: body.String(), cookies: []*http.Cookie{admin},
		header: map[string]string{"Content-Type": mw.FormDataContentType()}}
}

// TestAdminRoundSettings is the scenario table of the round's 360
// settings, in order.
func TestAdminRoundSettings(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	ctx := context.Background()
	path := fmt.Sprintf("/admin/rounds/%d", e.open.ID)
	save := func(f url.Values) request {
		return request{method: "POST", path: path + "/settings", form: f, cookies: []*http.Cookie{e.admin}}
	}
	closing := survey.Round{Name: "Vinter 2027", Status: survey.RoundDraft, InstrumentVersion: e.in.Version, Closes: time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)}
	must(t, e.db.CreateRound(ctx, &closing))
	tests := []scenario{
		{name: "the page offers the settings", req: request{path: path, cookies: []*http.Cookie{e.admin}}, wantStatus: 200,
			want: []string{"Hvem svarer", `name="kind" value="self" checked`, `name="manager_shown"`, `name="nominate_peer"`, `max="20"`, "Bedømmere (360)", `enctype="multipart/form-data"`}},
		{name: "saved", req: save(url.Values{"kind": {"360"}, "manager_shown": {"yes"}, "nominate_manager": {"1"}, "nominate_peer": {"3"}, "nominate_employee": {""}}),
			wantStatus: 303, wantHeader: map[string]string{"Location": path + "?saved=1#settings"},
			after: func(t *testing.T, _ *httptest.ResponseRecorder) {
				r, err := e.db.FindRoundByID(ctx, e.open.ID)
				must(t, err)
				l, err := e.db.FindNominationLimits(ctx, e.open.ID)
				must(t, err)
				if r.Kind != survey.ThreeSixty || !r.ManagerShown || r.SeveralManagers || l != (survey.NominationLimits{Manager: 1, Peer: 3}) {
					t.Errorf("round %+v, limits %+v", r, l)
				}
			}},
		{name: "the page shows them", req: request{path: path, cookies: []*http.Cookie{e.admin}}, wantStatus: 200,
			want: []string{`name="kind" value="360" checked`, `name="manager_shown" value="yes" checked`, `id="nominate_peer" name="nominate_peer" type="number" min="0" max="20" step="1" value="3"`}},
		{name: "a limit not a number", req: save(url.Values{"kind": {"360"}, "nominate_peer": {"tre"}}), wantStatus: 400,
			want: []string{"»Kolleger« skal være et helt tal fra 0 til 20", `role="alert"`}},
		{name: "a limit too high", req: save(url.Values{"kind": {"360"}, "nominate_employee": {"21"}}), wantStatus: 400, want: []string{"»Medarbejdere« skal være et helt tal"}},
		{name: "an unknown kind", req: save(url.Values{"kind": {"alle"}}), wantStatus: 400, want: []string{"Ændringen kunne ikke gennemføres"}},
		{name: "in English", req: request{method: "POST", path: path + "/settings", form: url.Values{"kind": {"360"}, "nominate_peer": {"-1"}},
			cookies: []*http.Cookie{e.admin, {Name: "lang", Value: "en"}}}, wantStatus: 400, want: []string{"»Colleagues« must be a whole number from 0 to 20"}},
		{name: "raters answer until a day", req: save(url.Values{"kind": {"360"}, "manager_shown": {"yes"}, "nominate_peer": {"3"}, "raters_close": {"15-01-2027"}}),
			wantStatus: 303, after: func(t *testing.T, _ *httptest.ResponseRecorder) {
				r, err := e.db.FindRoundByID(ctx, e.open.ID)
				must(t, err)
				if want := time.Date(2027, 1, 15, 23, 0, 0, 0, time.UTC); !r.RatersClose.Equal(want) {
					t.Errorf("raters' close = %v, want %v (the day's end in Copenhagen)", r.RatersClose, want)
				}
			}},
		{name: "the page shows the day", req: request{path: path, cookies: []*http.Cookie{e.admin}}, wantStatus: 200,
			want: []string{`id="raters_close" name="raters_close" type="text"`, `value="15-01-2027"`, "Bedømmere svarer til og med"}, notWant: []string{"readonly"}},
		{name: "a day that does not exist", req: save(url.Values{"kind": {"360"}, "raters_close": {"31-02-2027"}}), wantStatus: 400,
			want: []string{"»31-02-2027« er ikke en dato"}},
		{name: "after the round closes", req: request{method: "POST", path: fmt.Sprintf("/admin/rounds/%d/settings", closing.ID),
			form: url.Values{"kind": {"360"}, "raters_close": {"2027-02-01"}}, cookies: []*http.Cookie{e.admin}}, wantStatus: 400,
			want: []string{"bedømmerne kan ikke svare til og med 1. februar 2027, når runden lukker 31. januar 2027"}},
		{name: "nothing changed by the refusals", req: request{path: path, cookies: []*http.Cookie{e.admin}}, wantStatus: 200,
			want: []string{`value="3"`, `name="manager_shown" value="yes" checked`, `value="15-01-2027"`}},
		{name: "HR may not", req: request{method: "POST", path: path + "/settings", form: url.Values{"kind": {"self"}}, cookies: []*http.Cookie{e.hr}}, wantStatus: 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, e.do(tt.req)) })
	}
	// A rater begins: what they were told stays, and a round with raters
	// stays 360.
	chef := survey.Person{Email: "chef@example.dk", Name: "Chef"}
	must(t, e.db.CreatePerson(ctx, &chef))
	w := e.do(raterUpload(e.open.ID, e.admin, "subject_email;rater_email;relation\nada@example.dk;chef@example.dk;leder\n"))
	if w.Code != http.StatusSeeOther {
		t.Fatalf("upload = %d:\n%s", w.Code, w.Body.String())
	}
	_, err := e.db.SubmitResponse(ctx, e.open.ID, e.person.ID, chef.ID, survey.Manager, "chef-1")
	must(t, err)
	later := []scenario{
		{name: "manager shown is fixed once a rater began", req: request{path: path, cookies: []*http.Cookie{e.admin}}, wantStatus: 200,
			want: []string{`checked disabled aria-describedby="manager-shown-locked"`, `<input type="hidden" name="manager_shown" value="yes">`, "Kan ikke ændres længere"}},
		{name: "unticking it is refused", req: save(url.Values{"kind": {"360"}, "nominate_peer": {"3"}}), wantStatus: 400, want: []string{"en bedømmer er gået i gang"}},
		{name: "the hidden field keeps it", req: save(url.Values{"kind": {"360"}, "manager_shown": {"yes"}, "nominate_peer": {"4"}}), wantStatus: 303},
		{name: "a round with raters stays 360", req: save(url.Values{"kind": {"self"}, "manager_shown": {"yes"}}), wantStatus: 400, want: []string{"skal forblive en 360-runde"}},
		{name: "raters stop, so the leader may look", req: save(url.Values{"kind": {"360"}, "manager_shown": {"yes"}, "raters_close": {"01-01-2026"}}), wantStatus: 303,
			after: func(t *testing.T, _ *httptest.ResponseRecorder) {
				_, err := e.db.LeaderFeedback(ctx, e.open.ID, e.person.ID, 5)
				must(t, err)
			}},
		{name: "what the leader saw fixes the day", req: request{path: path, cookies: []*http.Cookie{e.admin}}, wantStatus: 200,
			want: []string{`value="01-01-2026" readonly`, "en leder har set, hvordan andre ser dem"}},
		{name: "moving it is refused", req: save(url.Values{"kind": {"360"}, "manager_shown": {"yes"}, "raters_close": {"01-02-2026"}}), wantStatus: 400,
			want: []string{"har allerede set, hvordan andre ser dem"}},
		{name: "the other settings still change", req: save(url.Values{"kind": {"360"}, "manager_shown": {"yes"}, "raters_close": {"01-01-2026"}, "nominate_peer": {"2"}}), wantStatus: 303},
	}
	for _, tt := range later {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, e.do(tt.req)) })
	}
}

// TestAdminRaterUpload is the scenario table of the raters upload and the
// links' download, in order. No link ever shows on a page.
func TestAdminRaterUpload(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	ctx := context.Background()
	path := fmt.Sprintf("/admin/rounds/%d", e.open.ID)
	const header = "subject_email;rater_email;relation\n"
	nothingStored := func(t *testing.T, _ *httptest.ResponseRecorder) {
		c, err := e.db.FindRaterCounts(ctx, e.open.ID)
		must(t, err)
		if c.Raters != 2 {
			t.Errorf("raters = %d, want the 2 of the good upload", c.Raters)
		}
	}
	var csvBody string
	tests := []scenario{
		{name: "a good file", req: raterUpload(e.open.ID, e.admin, header+"ada@example.dk;chef@example.dk;manager\nleder1@example.dk;ada@example.dk;kollega\n"),
			wantStatus: 303, wantHeader: map[string]string{"Location": path + "?raters=2&leaders=2#raters"}},
		{name: "the page says how many, and shows no link", req: request{path: path + "?raters=2&leaders=2", cookies: []*http.Cookie{e.admin}}, wantStatus: 200,
			want:    []string{"Links til bedømmere: 2. Ledere, der får bedømmere: 2.", "Bedømmere i runden: 2", "Hent links til nye bedømmere (2)", `name="kind" value="360" checked`},
			notWant: []string{"/i/"}},
		{name: "a bad relation", req: raterUpload(e.open.ID, e.admin, header+"ada@example.dk;ny@example.dk;boss\n"), wantStatus: 400,
			want: []string{"Linje 2: Ugyldig relation »boss«", "Bedømmerne blev ikke tilføjet"}, after: nothingStored},
		{name: "an unknown leader", req: raterUpload(e.open.ID, e.admin, header+"ada@example.dk;ny@example.dk;peer\nukendt@example.dk;ny@example.dk;peer\n"), wantStatus: 400,
			want: []string{"Linje 3: »ukendt@example.dk« er ikke leder i organisationen"}, after: nothingStored},
		{name: "a rater already rating the leader", req: raterUpload(e.open.ID, e.admin, header+"ada@example.dk;chef@example.dk;peer\n"), wantStatus: 400,
			want: []string{"Linje 2: »chef@example.dk« bedømmer allerede denne leder i runden."}, after: nothingStored},
		{name: "twice in the file", req: raterUpload(e.open.ID, e.admin, header+"leder2@example.dk;x@example.dk;peer\nleder2@example.dk;x@example.dk;peer\n"), wantStatus: 400,
			want: []string{"Linje 3: »x@example.dk« bedømmer allerede denne leder på linje 2."}, after: nothingStored},
		{name: "a second manager", req: raterUpload(e.open.ID, e.admin, header+"leder2@example.dk;x@example.dk;peer\nada@example.dk;boss2@example.dk;manager\n"), wantStatus: 400,
			want: []string{"Linje 3: »ada@example.dk« har allerede en leder som bedømmer i runden"}, after: nothingStored},
		{name: "a leader rating themself", req: raterUpload(e.open.ID, e.admin, header+"ada@example.dk;ada@example.dk;peer\n"), wantStatus: 400, want: []string{"ville bedømme sig selv"}, after: nothingStored},
		{name: "a hostile file", req: raterUpload(e.open.ID, e.admin, header+"ada@example.dk;=cmd|' /C calc'!A0;peer\nada@example.dk;ok@example.dk;<script>alert(1)</script>\n"), wantStatus: 400,
			want: []string{"Linje 2: Ugyldig e-mailadresse", "&lt;script&gt;alert(1)&lt;/script&gt;"}, notWant: []string{"<script>alert(1)"}, after: nothingStored},
		{name: "no file", req: raterUpload(e.open.ID, e.admin, ""), wantStatus: 400, want: []string{"Filen har ingen rækker"}, after: nothingStored},
		{name: "in English", req: func() request {
			r := raterUpload(e.open.ID, e.admin, header+"ada@example.dk;ny@example.dk;chief\n")
			r.cookies = append(r.cookies, &http.Cookie{Name: "lang", Value: "en"})
			return r
		}(), wantStatus: 400, want: []string{"Line 2: Invalid relation »chief«"}},
		{name: "the links download", req: request{method: "POST", path: path + "/rater-links", cookies: []*http.Cookie{e.admin}}, wantStatus: 200,
			wantHeader: map[string]string{"Content-Type": "text/csv; charset=utf-8", "Content-Disposition": fmt.Sprintf(`attachment; filename="lederradar-rater-links-%d.csv"`, e.open.ID)},
			after:      func(t *testing.T, w *httptest.ResponseRecorder) { csvBody = w.Body.String() }},
		{name: "made once", req: request{method: "POST", path: path + "/rater-links", cookies: []*http.Cookie{e.admin}}, wantStatus: 303,
			wantHeader: map[string]string{"Location": path + "?raters_none=1#raters"}},
		{name: "the page says every rater has a link", req: request{path: path, cookies: []*http.Cookie{e.admin}}, wantStatus: 200,
			want: []string{"Alle bedømmere har fået deres link."}, notWant: []string{"/rater-links\""}},
		{name: "HR may not download them", req: request{method: "POST", path: path + "/rater-links", cookies: []*http.Cookie{e.hr}}, wantStatus: 403},
		{name: "HR may not upload", req: raterUpload(e.open.ID, e.hr, header+"ada@example.dk;hr@example.dk;peer\n"), wantStatus: 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, e.do(tt.req)) })
	}
	t.Run("the file is the mail merge of the new links", func(t *testing.T) {
		lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(csvBody, "\ufeff")), "\r\n")
		if len(lines) != 3 || lines[0] != "email;leader;relation;link" {
			t.Fatalf("file:\n%s", csvBody)
		}
		if !strings.HasPrefix(lines[1], "chef@example.dk;Ada Jensen;manager;http://127.0.0.1:8080/i/") || !strings.HasPrefix(lines[2], "ada@example.dk;Leder 1;peer;") {
			t.Errorf("lines = %q", lines)
		}
		link := lines[1][strings.LastIndex(lines[1], "/")+1:]
		inv, err := e.db.FindInvitationByTokenHash(ctx, auth.HashToken(link))
		if err != nil || inv.Relation != survey.Manager || inv.SubjectID != e.person.ID {
			t.Errorf("the link opens %+v, %v", inv, err)
		}
	})
	t.Run("audited with counts, no addresses", func(t *testing.T) {
		entries, err := e.db.FindAudit(ctx, 50)
		must(t, err)
		got := map[string]string{}
		for _, a := range entries {
			got[a.Action] = a.Detail
		}
		if got["import.raters"] != "2 raters" || got["rater_links.issue"] != "2 links" {
			t.Errorf("audit = %v", got)
		}
		w := e.do(request{path: "/admin/audit", cookies: []*http.Cookie{e.admin}})
		for _, want := range []string{"Lavede links til bedømmere", "Importerede bedømmere (360)", "Links: 2"} {
			if !strings.Contains(w.Body.String(), want) {
				t.Errorf("the audit page lacks %q", want)
			}
		}
	})
	t.Run("a closed round takes no raters", func(t *testing.T) {
		must(t, e.db.CloseRound(ctx, e.open.ID, 5))
		w := e.do(raterUpload(e.open.ID, e.admin, header+"leder4@example.dk;sen@example.dk;peer\n"))
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "Runden er lukket.") {
			t.Errorf("upload = %d:\n%s", w.Code, w.Body.String())
		}
		w = e.do(request{method: "POST", path: path + "/settings", form: url.Values{"kind": {"360"}}, cookies: []*http.Cookie{e.admin}})
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "Runden er lukket.") {
			t.Errorf("settings = %d:\n%s", w.Code, w.Body.String())
		}
	})
}
