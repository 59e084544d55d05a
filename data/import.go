package data

import (
	"strings"
	"unicode/utf8"

	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// ProblemPersonUnknown is the problem key of a responses line whose e-mail
// address belongs to nobody in the organisation. Value is the address.
const ProblemPersonUnknown = "person_unknown"

// importProblems gathers the problems of a batch of rows, as survey's CSV
// parser does, capped at csvfile.MaxProblems.
type importProblems struct {
	problems []csvfile.Problem
	more     bool
}

func (ip *importProblems) add(p csvfile.Problem) {
	if len(ip.problems) >= csvfile.MaxProblems {
		ip.more = true
		return
	}
	ip.problems = append(ip.problems, p)
}

// err returns the problems as an *csvfile.Error (code EINVALID), or
// nil when there are none.
func (ip *importProblems) err() error {
	if len(ip.problems) == 0 {
		return nil
	}
	return &csvfile.Error{Problems: ip.problems, More: ip.more}
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
		ip.add(csvfile.Problem{Line: line, Key: csvfile.ProblemEmailMissing})
		return "", false
	}
	if survey.ValidateEmail(email) != nil {
		ip.add(csvfile.Problem{Line: line, Key: csvfile.ProblemEmailInvalid, Value: raw})
		return "", false
	}
	key := strings.ToLower(email)
	if first, ok := seen[key]; ok {
		ip.add(csvfile.Problem{Line: line, Key: csvfile.ProblemEmailDuplicate, Value: email, Other: first})
		return "", false
	}
	seen[key] = line
	return email, true
}

// tooLong reports whether s has more than n characters.
func tooLong(s string, n int) bool { return utf8.RuneCountInString(s) > n }
