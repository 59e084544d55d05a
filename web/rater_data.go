package web

import (
	"time"

	"github.com/gin-gonic/gin"

	"lederradar/internal/auth"
	"lederradar/survey"
)

// raterDataFormat names the shape of a rater's download (GDPR art. 15
// and 20): the leader's download less memberships, scores and plans.
const raterDataFormat = "lederradar/rater-data/1"

// raterDataFile is what a rater's session may download: their own answers
// about the one leader their invitation names, in that round, and the
// openings of that link — nothing about the leader's other raters, the
// leader's result, or the rater's other invitations.
type raterDataFile struct {
	Format      string `json:"format"`
	GeneratedAt string `json:"generated_at"`
	Controller  string `json:"controller,omitempty"`
	Contact     string `json:"contact,omitempty"`
	Note        string `json:"note"`
	Person      struct {
		ID    int64  `json:"id"`
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"person"`
	// Leader is whom the answers are about.
	Leader struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"leader"`
	Rounds []myDataRound `json:"rounds"`
}

// raterData sends a rater their own data for the session's invitation.
func (s *Server) raterData(c *gin.Context, l *leader) {
	ctx := c.Request.Context()
	r := l.Round
	f := raterDataFile{Format: raterDataFormat, GeneratedAt: s.now().UTC().Format(time.RFC3339),
		Controller: s.privacy.OrgName, Contact: s.privacy.Contact,
		Note: s.catalogues.Printer(s.lang(c.Request)).T("mydata.rater_note")}
	f.Person.ID, f.Person.Name, f.Person.Email = l.Person.ID, l.Person.Name, l.Person.Email
	f.Leader.ID, f.Leader.Name = l.Invitation.SubjectID, l.subjectName()
	mr := myDataRound{ID: r.ID, Name: r.Name, Status: string(r.Status), InstrumentVersion: r.InstrumentVersion,
		Opens: jsonDate(r.Opens), Closes: jsonDate(r.Closes), ClosedAt: jsonTime(r.ClosedAt), InvitedAt: jsonTime(l.Invitation.CreatedAt),
		Responses: []myDataResponse{}, LinkOpenings: []myDataOpening{}}
	resp, err := s.db.FindResponse(ctx, r.ID, l.Invitation.SubjectID, l.Invitation.PersonID)
	switch {
	case err == nil:
		mr.Responses = append(mr.Responses, myDataResponseOf(l.Instrument, *resp))
	case survey.ErrorCode(err) != survey.ENOTFOUND:
		s.fail(c, err)
		return
	}
	openings, err := s.db.FindLinkOpenings(ctx, l.Invitation.ID, auth.HashToken(s.cookie(c.Request, sessionCookie)), 0)
	if err != nil {
		s.fail(c, err)
		return
	}
	da := s.catalogues.Printer(survey.Danish)
	for _, o := range openings {
		mr.LinkOpenings = append(mr.LinkOpenings, myDataOpening{OpenedAt: *jsonTime(o.OpenedAt), Browser: o.Browser, OS: o.OS,
			Device: deviceName(da, o.Browser, o.OS)})
	}
	f.Rounds = []myDataRound{mr}
	s.sendMyData(c, l.Person.ID, f)
}
