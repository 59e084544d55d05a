package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"lederradar/survey"
)

// The figures the accessibility statement (/accessibility) gives about how
// the site was tested. TestBrowserAccessibility (web/a11y_test.go) fails
// when the tools' pinned versions differ from these or when it checked
// fewer page states than the statement claims, so the statement cannot
// overclaim.
const (
	// AccessibilityAxeVersion is the axe-core version scripts/fetch-axe.sh pins.
	AccessibilityAxeVersion = "4.14.1"
	// AccessibilityVnuVersion is the Nu HTML Checker (npm vnu-jar) version
	// scripts/fetch-vnu.sh pins.
	AccessibilityVnuVersion = "26.9.27"
	// AccessibilityPagesChecked is how many page states (a page in one
	// state: empty, filled in, with an error, open or closed round …) the
	// suite walks, each in two languages at two widths.
	AccessibilityPagesChecked = 106
	// accessibilityChromium is the Chromium version the statement's test
	// run used.
	accessibilityChromium = "156"
	// accessibilityWidths is how many viewport widths each page is checked at
	// (1280 and 390 CSS px), accessibilityLanguages how many languages.
	accessibilityWidths    = 2
	accessibilityLanguages = 2
)

// accessibilityStatementDate is when the statement was made and the site
// last tested for it; update it with the statement.
var accessibilityStatementDate = time.Date(2026, time.November, 28, 0, 0, 0, 0, time.UTC)

type accessibilityView struct {
	Page
	Date     string
	Axe      string
	Vnu      string
	Chromium string
	Pages    int
	Checks   int
	// OrgName and Contact are the organisation's, as the privacy notice
	// gives them (Config.Privacy); ContactMail is set for an e-mail address.
	OrgName     string
	Contact     string
	ContactMail string
}

// accessibilityPage is the accessibility statement (tilgængelighedserklæring):
// public, linked from every page's footer.
func (s *Server) accessibilityPage(c *gin.Context) {
	p := s.page(c, "accessibility.title")
	v := accessibilityView{
		Page:     p,
		Date:     p.T.Date(accessibilityStatementDate),
		Axe:      AccessibilityAxeVersion,
		Vnu:      AccessibilityVnuVersion,
		Chromium: accessibilityChromium,
		Pages:    AccessibilityPagesChecked,
		Checks:   AccessibilityPagesChecked * accessibilityLanguages * accessibilityWidths,
		OrgName:  strings.TrimSpace(s.privacy.OrgName),
		Contact:  strings.TrimSpace(s.privacy.Contact),
	}
	if survey.ValidateEmail(v.Contact) == nil {
		v.ContactMail = "mailto:" + v.Contact
	}
	s.render(c, http.StatusOK, "accessibility", v)
}
