package web_test

import (
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"lederradar/web"
)

// The accessibility statement: public, in both languages, with the figures
// of the browser suite, the organisation's contact when configured, and
// linked from every page's footer.
func TestAccessibilityStatement(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	da := &http.Cookie{Name: "lang", Value: "da"}
	en := &http.Cookie{Name: "lang", Value: "en"}
	checks := web.AccessibilityPagesChecked * 2 * 2
	for _, c := range []struct {
		name   string
		cookie *http.Cookie
		want   []string
	}{
		{"Danish", da, []string{`<html lang="da">`, "Tilgængeligheds\u00aderklæring", "WCAG 2.1 niveau AA", "delvist i overensstemmelse",
			"axe-core " + web.AccessibilityAxeVersion, "Nu HTML Checker (vnu) " + web.AccessibilityVnuVersion,
			"1280 pixels", "390 pixels", "i alt " + strconv.Itoa(checks) + " kontroller", "Kendte begrænsninger", "Digitaliseringsstyrelsen",
			"28. november 2026", "kontakt HR i din organisation"}},
		{"English", en, []string{`<html lang="en">`, "Accessibility statement", "WCAG 2.1 level AA", "partially compliant",
			"axe-core " + web.AccessibilityAxeVersion, "Nu HTML Checker (vnu) " + web.AccessibilityVnuVersion,
			"1280 pixels", "390 pixels", strconv.Itoa(checks) + " checks in all", "Known limitations", "28 November 2026"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := e.do(request{path: "/accessibility", cookies: []*http.Cookie{c.cookie}})
			if rec.Code != http.StatusOK {
				t.Fatalf("GET /accessibility answered %d", rec.Code)
			}
			body := rec.Body.String()
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("the statement lacks %q", w)
				}
			}
			if strings.Contains(body, "[accessibility.") {
				t.Error("the statement shows a missing catalogue key")
			}
		})
	}

	t.Run("the organisation's contact", func(t *testing.T) {
		e := newEnv(t, func(c *web.Config) {
			c.Privacy.OrgName = "Demo Kommune"
			c.Privacy.Contact = "tilgaengelighed@demo.kommune.dk"
		})
		body := e.do(request{path: "/accessibility"}).Body.String()
		if !strings.Contains(body, `<a href="mailto:tilgaengelighed@demo.kommune.dk">tilgaengelighed@demo.kommune.dk</a>`) || !strings.Contains(body, "Demo Kommune") {
			t.Error("the statement does not give the configured contact")
		}
	})

	t.Run("every page links it in the footer", func(t *testing.T) {
		for _, path := range []string{"/", "/login", "/privacy", "/accessibility", "/nope"} {
			if body := e.do(request{path: path}).Body.String(); !strings.Contains(body, `<a href="/accessibility">`) {
				t.Errorf("%s has no link to /accessibility", path)
			}
		}
	})
}

// The statement names the versions the fetch scripts pin: bumping a tool
// without updating the statement fails here, without a browser.
func TestAccessibilityStatementNamesTools(t *testing.T) {
	t.Parallel()
	for script, want := range map[string]string{"fetch-axe.sh": web.AccessibilityAxeVersion, "fetch-vnu.sh": web.AccessibilityVnuVersion} {
		out, err := exec.Command("bash", filepath.Join("..", "scripts", script), "--version").Output()
		if err != nil {
			t.Fatalf("scripts/%s --version: %v", script, err)
		}
		if got := strings.TrimSpace(string(out)); got != want {
			t.Errorf("scripts/%s pins %s, the accessibility statement names %s", script, got, want)
		}
	}
}
