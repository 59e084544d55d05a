package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/gin-gonic/gin"

	"lederradar/data"
	"lederradar/scoring"
	"lederradar/survey"
)

// The leader's own data as a JSON download (GDPR art. 15 and 20): every
// row the database holds about them, in a form a person can read and
// another system can import. Item and competence texts are in Danish, the
// language the questions were asked in.

// myDataFormat names the shape of the download, so a reader can tell
// versions apart once it changes.
const myDataFormat = "lederradar/my-data/1"

type myDataFile struct {
	Format      string `json:"format"`
	GeneratedAt string `json:"generated_at"`
	// Controller is the organisation responsible for the data.
	Controller  string            `json:"controller,omitempty"`
	Contact     string            `json:"contact,omitempty"`
	Note        string            `json:"note"`
	Person      myDataPerson      `json:"person"`
	Memberships myDataMemberships `json:"memberships"`
	// MembershipsAtClose are the department and teams each closed round
	// kept the person in for its profiles.
	MembershipsAtClose []myDataKept  `json:"memberships_at_close"`
	Rounds             []myDataRound `json:"rounds"`
	// DevelopmentPlans are the person's plans (DESIGN.md C8), Shares the
	// links they made to them (my_data_plans.go).
	DevelopmentPlans     []myDataPlan  `json:"development_plans"`
	DevelopmentPlansNote string        `json:"development_plans_note"`
	Shares               []myDataShare `json:"shares"`
}

type myDataPerson struct {
	ID         int64   `json:"id"`
	Name       string  `json:"name"`
	Email      string  `json:"email"`
	Department *string `json:"department"`
}

type myDataGroup struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type myDataMemberships struct {
	Department *myDataGroup  `json:"department"`
	Teams      []myDataGroup `json:"teams"`
}

type myDataKept struct {
	RoundID    int64         `json:"round_id"`
	RoundName  string        `json:"round_name"`
	Department *myDataGroup  `json:"department"`
	Teams      []myDataGroup `json:"teams"`
}

type myDataRound struct {
	ID                int64            `json:"id"`
	Name              string           `json:"name"`
	Status            string           `json:"status"`
	InstrumentVersion string           `json:"instrument_version"`
	Opens             *string          `json:"opens"`
	Closes            *string          `json:"closes"`
	ClosedAt          *string          `json:"closed_at"`
	InvitedAt         *string          `json:"invited_at"`
	Responses         []myDataResponse `json:"responses"`
	// LinkOpenings are the times the leader's link was opened in a new
	// browser, the newest first.
	LinkOpenings []myDataOpening `json:"link_openings"`
	// Feedback is how the leader's raters see them, in a closed 360
	// round only (my_data_feedback.go).
	Feedback []myDataFeedback `json:"feedback,omitempty"`
	// Nominations are the raters the leader asked for feedback in a 360
	// round (my_data_feedback.go); never whether they answered.
	Nominations []myDataNomination `json:"nominations,omitempty"`
}

type myDataOpening struct {
	OpenedAt string `json:"opened_at"`
	Browser  string `json:"browser"`
	OS       string `json:"os"`
	Device   string `json:"device_da"`
}

type myDataResponse struct {
	// Relation is "self" for the leader's self-assessment.
	Relation    string         `json:"relation"`
	SubjectID   int64          `json:"subject_id"`
	SubmittedAt *string        `json:"submitted_at"`
	Answers     []myDataAnswer `json:"answers"`
	// Scores are the leader's competence scores, computed from the answers
	// by the rules every result page uses; only for a self-assessment.
	Scores []myDataScore `json:"scores,omitempty"`
}

type myDataAnswer struct {
	ItemID       string `json:"item_id"`
	CompetenceID string `json:"competence_id"`
	Text         string `json:"text_da"`
	// Value is 1–5 on the scale, 0 for "don't know".
	Value int    `json:"value"`
	Label string `json:"label_da"`
}

type myDataScore struct {
	CompetenceID string   `json:"competence_id"`
	Name         string   `json:"name_da"`
	Score        *float64 `json:"score"`
	Answered     int      `json:"answered"`
	DontKnow     int      `json:"dont_know"`
	Items        int      `json:"items"`
}

// myData sends the signed-in leader everything held about them, and
// records in the audit log that it was fetched.
func (s *Server) myData(c *gin.Context) {
	l := currentLeader(c)
	if l.rater() {
		s.raterData(c, l)
		return
	}
	ctx := c.Request.Context()
	personID := l.Invitation.PersonID
	pd, err := s.db.FindPersonData(ctx, personID)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := s.catalogues.Printer(s.lang(c.Request))
	f, err := s.myDataFile(c, pd)
	if err != nil {
		s.fail(c, err)
		return
	}
	f.Note = p.T("mydata.note")
	f.DevelopmentPlansNote = p.T("mydata.no_plans")
	s.sendMyData(c, personID, withTeamMaps(withPlans(f, pd), pd))
}

// sendMyData sends f, a person's own data, as the JSON download, and
// records in the audit log that it was fetched.
func (s *Server) sendMyData(c *gin.Context, personID int64, f any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		s.fail(c, err)
		return
	}
	target := "person:" + itoa64(personID)
	if err := s.db.AddAudit(c.Request.Context(), survey.AuditEntry{Actor: "leader:" + itoa64(personID), Action: "mydata.download", Target: target}); err != nil {
		s.logger.Error("audit", "action", "mydata.download", "error", err)
	}
	c.Header("Cache-Control", "no-store")
	s.download(c, fmt.Sprintf("lederradar-mine-data-%s.json", s.now().UTC().Format("2006-01-02")), "application/json; charset=utf-8", buf.Bytes())
}

func (s *Server) myDataFile(c *gin.Context, pd *data.PersonData) (*myDataFile, error) {
	f := &myDataFile{
		Format:           myDataFormat,
		GeneratedAt:      s.now().UTC().Format(time.RFC3339),
		Controller:       s.privacy.OrgName,
		Contact:          s.privacy.Contact,
		Person:           myDataPerson{ID: pd.Person.ID, Name: pd.Person.Name, Email: pd.Person.Email},
		Memberships:      myDataMemberships{Teams: []myDataGroup{}},
		Rounds:           []myDataRound{},
		DevelopmentPlans: []myDataPlan{},
	}
	if d := pd.Department; d != nil {
		f.Person.Department = &d.Name
		f.Memberships.Department = &myDataGroup{ID: d.ID, Name: d.Name}
	}
	for _, t := range pd.Teams {
		f.Memberships.Teams = append(f.Memberships.Teams, myDataGroup{ID: t.ID, Name: t.Name})
	}
	f.MembershipsAtClose = []myDataKept{}
	for _, k := range pd.KeptGroups {
		mk := myDataKept{RoundID: k.RoundID, RoundName: k.RoundName, Teams: []myDataGroup{}}
		for _, g := range k.Groups {
			if g.Kind == survey.Department {
				mk.Department = &myDataGroup{ID: g.ID, Name: g.Name}
			} else {
				mk.Teams = append(mk.Teams, myDataGroup{ID: g.ID, Name: g.Name})
			}
		}
		f.MembershipsAtClose = append(f.MembershipsAtClose, mk)
	}
	for _, pr := range pd.Rounds {
		r := pr.Round
		in, err := s.db.CachedInstrument(c.Request.Context(), r.InstrumentVersion)
		if err != nil {
			return nil, err
		}
		mr := myDataRound{ID: r.ID, Name: r.Name, Status: string(r.Status), InstrumentVersion: r.InstrumentVersion,
			Opens: jsonDate(r.Opens), Closes: jsonDate(r.Closes), ClosedAt: jsonTime(r.ClosedAt), InvitedAt: jsonTime(pr.InvitedAt),
			Responses: []myDataResponse{}}
		for _, resp := range pr.Responses {
			mr.Responses = append(mr.Responses, myDataResponseOf(in, resp))
		}
		mr.LinkOpenings = []myDataOpening{}
		da := s.catalogues.Printer(survey.Danish)
		for _, o := range pr.LinkOpenings {
			mr.LinkOpenings = append(mr.LinkOpenings, myDataOpening{OpenedAt: *jsonTime(o.OpenedAt), Browser: o.Browser, OS: o.OS,
				Device: deviceName(da, o.Browser, o.OS)})
		}
		if mr.Feedback, err = s.myDataFeedback(c.Request.Context(), r, pd.Person.ID); err != nil {
			return nil, err
		}
		if mr.Nominations, err = s.myDataNominations(c.Request.Context(), r, pd.Person.ID); err != nil {
			return nil, err
		}
		f.Rounds = append(f.Rounds, mr)
	}
	return f, nil
}

// myDataResponseOf lists a response's answers in the instrument's order
// with the Danish item text, and for a self-assessment the scores.
func myDataResponseOf(in *survey.Instrument, resp survey.Response) myDataResponse {
	out := myDataResponse{Relation: string(resp.Relation), SubjectID: resp.SubjectID, SubmittedAt: jsonTime(resp.SubmittedAt), Answers: []myDataAnswer{}}
	seen := map[string]bool{}
	for _, comp := range in.Competences {
		for _, it := range comp.Items {
			if a, ok := resp.Answers[it.ID]; ok {
				seen[it.ID] = true
				text := it.Text
				if resp.Relation != survey.Self {
					text = it.Other // as a rater read it, about the leader
				}
				out.Answers = append(out.Answers, myDataAnswer{ItemID: it.ID, CompetenceID: comp.ID, Text: text.In(survey.Danish),
					Value: int(a), Label: in.ScaleLabel(a, survey.Danish)})
			}
		}
	}
	// Answers to items the instrument lacks cannot be stored, but if one
	// were, it is still the leader's data.
	var unknown []string
	for id := range resp.Answers {
		if !seen[id] {
			unknown = append(unknown, id)
		}
	}
	sort.Strings(unknown)
	for _, id := range unknown {
		out.Answers = append(out.Answers, myDataAnswer{ItemID: id, Value: int(resp.Answers[id])})
	}
	if resp.Relation == survey.Self {
		prof := scoring.Person(in, resp.Answers)
		for i, cs := range prof.Competences {
			sc := myDataScore{CompetenceID: cs.CompetenceID, Name: in.Competences[i].Name.In(survey.Danish),
				Answered: cs.Answered, DontKnow: cs.DontKnow, Items: cs.Items}
			if cs.HasScore {
				sc.Score = ptr(cs.Score)
			}
			out.Scores = append(out.Scores, sc)
		}
	}
	return out
}

func jsonTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

func jsonDate(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format("2006-01-02")
	return &s
}
