package data

import (
	"strings"
	"unicode/utf8"

	"lederradar/survey"
)

// ProblemPersonUnknown is the problem key of a responses line whose e-mail
// address belongs to nobody in the organisation. Value is the address.
const ProblemPersonUnknown = "person_unknown"

// importProblems gathers the problems of a batch of rows, as survey's CSV
// parser does, capped at survey.MaxImportProblems.
type importProblems struct {
	problems []survey.Problem
	more     bool
}

func (ip *importProblems) add(p survey.Problem) {
	if len(ip.problems) >= survey.MaxImportProblems {
		ip.more = true
		return
	}
	ip.problems = append(ip.problems, p)
}

// err returns the problems as an *survey.ImportError (code EINVALID), or
// nil when there are none.
func (ip *importProblems) err() error {
	if len(ip.problems) == 0 {
		return nil
	}
	return &survey.ImportError{Problems: ip.problems, More: ip.more}
}

// rowLine is the line a row is reported under: its line in the file, or
// its position from 1 when it came from no file.
func rowLine(line, index int) int {
	if line > 0 {
		return line
	}
	return index + 1
}

// importEmail checks the e-mail address of a row and remembers it, so a
// later row with the same address (ignoring case) is a problem. It returns
// the trimmed address.
func (ip *importProblems) email(line int, raw string, seen map[string]int) (string, bool) {
	email := strings.TrimSpace(raw)
	if email == "" {
		ip.add(survey.Problem{Line: line, Key: survey.ProblemEmailMissing})
		return "", false
	}
	if survey.ValidateEmail(email) != nil {
		ip.add(survey.Problem{Line: line, Key: survey.ProblemEmailInvalid, Value: raw})
		return "", false
	}
	key := strings.ToLower(email)
	if first, ok := seen[key]; ok {
		ip.add(survey.Problem{Line: line, Key: survey.ProblemEmailDuplicate, Value: email, Other: first})
		return "", false
	}
	seen[key] = line
	return email, true
}

// tooLong reports whether s has more than n characters.
func tooLong(s string, n int) bool { return utf8.RuneCountInString(s) > n }
