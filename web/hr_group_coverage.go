package web

import (
	"strings"

	"lederradar/scoring"
	"lederradar/survey"
)

// coverageRow is one competence of a group's coverage (DESIGN C14).
type coverageRow struct {
	Label string
	// Shown is false where the anonymity rule withholds the competence;
	// Known is false where its report never counted high scores.
	Shown, Known bool
	Count        string // "3 af 12 scorer 4 eller derover"
	Share        string
	// Nobody marks a competence on which no one scores 4 or more.
	Nobody bool
}

// coverageView answers "does this group have someone strong on each
// competence?": per competence, how many of those with a score on it
// score 4 or more, where a mean would say only whether the average is
// good.
type coverageView struct {
	Rows []coverageRow
	// Summary is the table's one-sentence reading; empty when no count
	// is known.
	Summary string
	// Unknown is set when the round's report was kept before it counted
	// high scores: a closed round's report is final, so they are never
	// counted afresh.
	Unknown  bool
	Suppress string
}

// groupCoverage is the coverage of group profile gp, a shown one, in a
// closed round of instrument in with threshold k.
func groupCoverage(p *Printer, in *survey.Instrument, gp *scoring.GroupProfile, k int) coverageView {
	v := coverageView{Suppress: p.T("hr.suppressed", k)}
	var nobody []string
	counted := 0
	for i, comp := range in.Competences {
		ca := gp.Competences[i]
		row := coverageRow{Label: p.Text(comp.Label), Shown: !ca.Suppressed, Known: ca.HighKnown()}
		switch {
		case !row.Shown:
		case !row.Known:
			v.Unknown = true
		default:
			counted++
			row.Count = p.N("hr.coverage_count", ca.High, ca.N)
			row.Share = p.Pct(ca.High, ca.N)
			if ca.High == 0 {
				row.Nobody = true
				nobody = append(nobody, p.Text(comp.Name))
			}
		}
		v.Rows = append(v.Rows, row)
	}
	switch {
	case counted == 0:
	case len(nobody) == 0 && counted == 1:
		v.Summary = p.T("hr.coverage_all_one")
	case len(nobody) == 0:
		v.Summary = p.T("hr.coverage_all", counted)
	default:
		v.Summary = p.T("hr.coverage_some", counted-len(nobody), counted, listOf(p, nobody))
	}
	return v
}

// listOf joins names as the language writes a list: "a, b og c".
func listOf(p *Printer, names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + p.T("hr.list_and") + names[len(names)-1]
}
