package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"lederradar/survey"
)

// PrivacyConfig is what the privacy notice says about the organisation and
// how long closed rounds are kept.
type PrivacyConfig struct {
	// OrgName is the organisation that runs Lederradar: the data
	// controller, e.g. "Demo Kommune".
	OrgName string
	// Contact is where people turn to use their rights: an e-mail address
	// or a line of text (a phone number, a postal address).
	Contact string
	// Retention is how long a closed round and its answers are kept; the
	// zero value keeps them for ever.
	Retention survey.Retention
}

type privacyView struct {
	Page
	OrgName string
	// Contact is the configured contact; ContactMail is set when it is an
	// e-mail address, for a mailto link.
	Contact     string
	ContactMail string
	// Retention is the period in words; empty when rounds are kept for ever.
	Retention string
	MinGroup  int
}

// privacyPage is the privacy notice: what is stored, why, for how long,
// who sees what and how to use one's rights. It is public: anyone asked to
// answer may read it before opening their link.
func (s *Server) privacyPage(c *gin.Context) {
	v := privacyView{Page: s.page(c, "privacy.title"), MinGroup: s.minGroup}
	v.OrgName = strings.TrimSpace(s.privacy.OrgName)
	if v.OrgName == "" {
		v.OrgName = v.T.T("privacy.org_unnamed")
	}
	v.Contact = strings.TrimSpace(s.privacy.Contact)
	if survey.ValidateEmail(v.Contact) == nil {
		v.ContactMail = "mailto:" + v.Contact
	}
	v.Retention = retentionText(v.T, s.privacy.Retention)
	s.render(c, http.StatusOK, "privacy", v)
}

// retentionText writes a retention period in words ("36 måneder"), or ""
// when rounds are kept for ever.
func retentionText(p *Printer, r survey.Retention) string {
	switch {
	case r.Off():
		return ""
	case r.Months > 0:
		return p.N("retention.months", r.Months)
	default:
		return p.N("retention.days", r.Days)
	}
}
