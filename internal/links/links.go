// Package links makes the personal links that open a leader's
// questionnaire, and the mail-merge file they leave the system in. The
// web server and the command line (`invitations`, the demo's printout)
// both make them, so they live below both.
package links

import (
	"encoding/csv"
	"io"
	"strings"

	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// For returns the personal link for token under baseURL.
func For(baseURL, token string) string {
	return strings.TrimRight(baseURL, "/") + "/i/" + token
}

// ShareFor returns the link of a leader's share (a read-only view of
// their result and plan) for token under baseURL.
func ShareFor(baseURL, token string) string {
	return strings.TrimRight(baseURL, "/") + "/s/" + token
}

// WriteMailMerge writes the mail-merge file: email;name;link for each
// person with a token, with a byte order mark and semicolons, as Danish
// Excel reads CSV. Whoever holds the file can answer as any leader in it.
func WriteMailMerge(w io.Writer, people []survey.Person, tokens map[int64]string, baseURL string) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.Write([]string{"email", "name", "link"}); err != nil {
		return err
	}
	for _, p := range people {
		if err := cw.Write([]string{csvfile.SafeCell(p.Email), csvfile.SafeCell(p.Name), For(baseURL, tokens[p.ID])}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// RaterLink is one rater's link for one leader, for WriteRaterMailMerge.
type RaterLink struct {
	Email    string // the rater's
	Leader   string // the leader's name
	Relation survey.Relation
	Token    string
}

// WriteRaterMailMerge writes the mail-merge file of a 360 round's raters:
// email;leader;relation;link, one line per rater and leader, as
// WriteMailMerge writes the leaders'. Whoever holds it can answer as any
// rater in it.
func WriteRaterMailMerge(w io.Writer, raters []RaterLink, baseURL string) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.Write([]string{"email", "leader", "relation", "link"}); err != nil {
		return err
	}
	for _, r := range raters {
		if err := cw.Write([]string{csvfile.SafeCell(r.Email), csvfile.SafeCell(r.Leader), string(r.Relation), For(baseURL, r.Token)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
