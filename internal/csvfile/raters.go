package csvfile

import (
	"io"
	"strings"

	"lederradar/survey"
)

// Problem keys of a raters file.
const (
	ProblemRelationInvalid = "relation_invalid" // Value: the relation as written
	ProblemRaterIsSubject  = "rater_is_subject" // Value: the address
	ProblemRaterDuplicate  = "rater_duplicate"  // Value: the rater's address; Other: the line it first appears on for the leader
	// Found by the database, not the file:
	ProblemLeaderUnknown = "leader_unknown" // Value: the address, which is no leader of the organisation
	ProblemRaterExists   = "rater_exists"   // Value: the rater's address, who already rates the leader in the round
	ProblemManagerTwice  = "manager_twice"  // Value: the leader's address; Other: the line of the first manager, 0 when stored before
)

// RaterRow is one valid line of a raters file: who rates whom, as what.
// Addresses are lower-case.
type RaterRow struct {
	Line         int
	SubjectEmail string
	RaterEmail   string
	Relation     survey.Relation
}

// relations are the relation names a raters file may use, in English and
// Danish; "report" and "medarbejder" are the employees a leader leads.
var relations = map[string]survey.Relation{
	"manager": survey.Manager, "leder": survey.Manager, "chef": survey.Manager,
	"peer": survey.Peer, "kollega": survey.Peer,
	"report": survey.Employee, "employee": survey.Employee, "medarbejder": survey.Employee,
}

// The columns of a raters file, as indexes into raterColumns' result.
const (
	colSubject = iota
	colRater
	colRelation
)

// ParseRaters reads a raters file (DESIGN: `import raters`): columns
// subject_email, rater_email and relation in any order (Danish headers
// leder_email, bedømmer_email and relation also do), relation manager,
// peer or report (leder, kollega, medarbejder). A rater may rate many
// leaders and be rated too, but not rate themself or one leader twice.
// Whether the people exist is for the database to say. Content problems
// come back together as an *Error; any other error is a failure to read r.
func ParseRaters(r io.Reader) ([]RaterRow, error) {
	var im importScan
	f, err := im.open(r)
	if err != nil || f == nil {
		return nil, im.result(err)
	}
	cols := im.raterColumns(f)
	var rows []RaterRow
	pairs := map[[2]string]int{}
	im.rows(f, func(line int, rec []string) {
		if row, ok := im.rater(line, rec, cols, pairs); ok {
			rows = append(rows, row)
		}
	})
	if err := im.result(nil); err != nil {
		return nil, err
	}
	return rows, nil
}

// raterColumns finds the columns of a raters file by their headers.
func (im *importScan) raterColumns(f *importFile) []int {
	return im.columns(f, map[string]int{
		"subject_email": colSubject, "leder_email": colSubject,
		"rater_email": colRater, "bedømmer_email": colRater,
		"relation": colRelation, "rolle": colRelation,
	}, []string{"subject_email", "rater_email", "relation"})
}

// rater reads one line of a raters file, and reports whether it is valid;
// its problems are added to im. pairs remembers the line of each leader
// and rater seen.
func (im *importScan) rater(line int, rec []string, cols []int, pairs map[[2]string]int) (RaterRow, bool) {
	if cols[colSubject] < 0 || cols[colRater] < 0 || cols[colRelation] < 0 {
		return RaterRow{}, false
	}
	row := RaterRow{Line: line}
	var okSubject, okRater bool
	row.SubjectEmail, okSubject = im.email(line, rec[cols[colSubject]], map[string]int{})
	row.RaterEmail, okRater = im.email(line, rec[cols[colRater]], map[string]int{})
	raw := strings.TrimSpace(rec[cols[colRelation]])
	rel, okRelation := relations[strings.ToLower(raw)]
	if !okRelation {
		im.add(Problem{Line: line, Key: ProblemRelationInvalid, Value: raw})
	}
	row.Relation = rel
	if !okSubject || !okRater || !okRelation {
		return row, false
	}
	if row.SubjectEmail == row.RaterEmail {
		im.add(Problem{Line: line, Key: ProblemRaterIsSubject, Value: row.RaterEmail})
		return row, false
	}
	pair := [2]string{row.SubjectEmail, row.RaterEmail}
	if first, ok := pairs[pair]; ok {
		im.add(Problem{Line: line, Key: ProblemRaterDuplicate, Value: row.RaterEmail, Other: first})
		return row, false
	}
	pairs[pair] = line
	return row, true
}
