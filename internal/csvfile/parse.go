package csvfile

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"

	"lederradar/survey"
)

// Limits on an import file. They keep one upload from exhausting memory and
// one broken file from burying the user in messages.
const (
	MaxBytes    = 32 << 20 // 32 MiB
	MaxRows     = 100_000
	MaxProblems = 200
)

// Longest names an import accepts, in characters.
const (
	MaxNameLength  = 200 // a person's name
	MaxGroupLength = 100 // a department or team name
)

// Problem keys. They are stable: the web layer translates them, so a key is
// never renamed once released.
const (
	ProblemEncoding          = "encoding"            // not UTF-8 or Windows-1252 text
	ProblemTooLarge          = "too_large"           // more than MaxBytes
	ProblemTooManyRows       = "too_many_rows"       // more than MaxRows data rows
	ProblemEmpty             = "empty"               // no header or no data rows
	ProblemQuote             = "quote_invalid"       // a quote out of place, or never closed
	ProblemColumnMissing     = "column_missing"      // Value: the required column
	ProblemColumnUnknown     = "column_unknown"      // Value: the header as written
	ProblemColumnDuplicate   = "column_duplicate"    // Value: the header; Other: the column it repeats
	ProblemColumnOrder       = "column_order"        // responses: Value: the first header, which is not email
	ProblemColumnUnnamed     = "column_unnamed"      // Value: a value in a column without a header
	ProblemItemsMissing      = "items_missing"       // responses: no item columns
	ProblemFieldsCount       = "fields_count"        // Value: fields on the line; Other: fields in the header
	ProblemEmailMissing      = "email_missing"       // the e-mail field is empty
	ProblemEmailInvalid      = "email_invalid"       // Value: the address
	ProblemEmailDuplicate    = "email_duplicate"     // Value: the address; Other: the line it first appears on
	ProblemNameMissing       = "name_missing"        // people: the name field is empty
	ProblemNameTooLong       = "name_too_long"       // Value: the name
	ProblemDepartmentTooLong = "department_too_long" // Value: the department
	ProblemTeamTooLong       = "team_too_long"       // Value: the team
	ProblemValueInvalid      = "value_invalid"       // responses: Value: "item=value"
	ProblemAnswersMissing    = "answers_missing"     // responses: a line with an address and no answers
)

// PersonRow is one valid line of a people file. Email is lower-case; Name,
// Department and Teams have their white space collapsed; Teams holds no
// empty or repeated names and is nil when the line names none.
type PersonRow struct {
	Line       int
	Email      string
	Name       string
	Department string
	Teams      []string
}

// ResponseRow is one valid line of a responses file. Unanswered items are
// absent from Answers. SubjectEmail and Relation are empty for a
// self-assessment; for a rater's answers about a leader, they name the
// leader and how Email knows them.
type ResponseRow struct {
	Line         int
	Email        string
	SubjectEmail string
	Relation     survey.Relation
	Answers      survey.Answers
}

// Problem is one thing wrong with an import file, in a form that can be
// translated: a key, and the line and value it concerns.
type Problem struct {
	Line  int    // 1-based line in the file (the header is line 1); 0 for the whole file
	Key   string // one of the Problem… keys
	Value string // the offending value or column name (may be empty)
	Other int    // e.g. the earlier line of a duplicate
}

// Message returns the problem in English, without its line number.
func (p Problem) Message() string {
	v := p.Value
	switch p.Key {
	case ProblemEncoding:
		if v != "" {
			return fmt.Sprintf("the file is %s, not UTF-8 or Windows-1252 text; save it as \"CSV UTF-8\"", v)
		}
		return "the file is not UTF-8 or Windows-1252 text; save it as \"CSV UTF-8\""
	case ProblemTooLarge:
		return fmt.Sprintf("the file is larger than %d MB", MaxBytes>>20)
	case ProblemTooManyRows:
		return fmt.Sprintf("the file has more than %d rows", MaxRows)
	case ProblemEmpty:
		return "the file has no data rows"
	case ProblemQuote:
		return "a quote (\") is out of place or never closed"
	case ProblemColumnMissing:
		return fmt.Sprintf("required column %q is missing", v)
	case ProblemColumnUnknown:
		return fmt.Sprintf("unknown column %q", v)
	case ProblemColumnDuplicate:
		return fmt.Sprintf("column %q repeats column %d", v, p.Other)
	case ProblemColumnOrder:
		return fmt.Sprintf("the first column must be \"email\", not %q", v)
	case ProblemColumnUnnamed:
		return fmt.Sprintf("value %q is in a column without a header", v)
	case ProblemItemsMissing:
		return "the file has no item columns"
	case ProblemFieldsCount:
		return fmt.Sprintf("%s fields, but the header has %d", v, p.Other)
	case ProblemEmailMissing:
		return "the e-mail address is missing"
	case ProblemEmailInvalid:
		return fmt.Sprintf("invalid e-mail address %q", v)
	case ProblemEmailDuplicate:
		return fmt.Sprintf("e-mail address %q is already on line %d", v, p.Other)
	case ProblemNameMissing:
		return "the name is missing"
	case ProblemNameTooLong:
		return fmt.Sprintf("name %q is longer than %d characters", v, MaxNameLength)
	case ProblemDepartmentTooLong:
		return fmt.Sprintf("department %q is longer than %d characters", v, MaxGroupLength)
	case ProblemTeamTooLong:
		return fmt.Sprintf("team %q is longer than %d characters", v, MaxGroupLength)
	case ProblemValueInvalid:
		return fmt.Sprintf("invalid answer %q: use 1–5, 0 for don't know, or leave it empty", v)
	case ProblemAnswersMissing:
		return "the line has no answers"
	case ProblemRelationInvalid:
		return fmt.Sprintf("invalid relation %q: use manager, peer or report (leder, kollega, medarbejder)", v)
	case ProblemRaterIsSubject:
		return fmt.Sprintf("%s would rate themself: a leader's own answers are the self-assessment", v)
	case ProblemRaterDuplicate:
		return fmt.Sprintf("%s already rates this leader on line %d", v, p.Other)
	case ProblemLeaderUnknown:
		return fmt.Sprintf("%s is no leader of the organisation; import people first", v)
	case ProblemRaterExists:
		return fmt.Sprintf("%s already rates this leader in the round", v)
	case ProblemManagerTwice:
		if p.Other > 0 {
			return fmt.Sprintf("%s already has a manager on line %d, and the round allows one", v, p.Other)
		}
		return fmt.Sprintf("%s already has a manager in the round, and the round allows one", v)
	}
	if v != "" {
		return fmt.Sprintf("%s %q", p.Key, v)
	}
	return p.Key
}

// Error lists every problem in a file; nothing is to be stored when
// it is returned. It unwraps to an EINVALID *survey.Error, so
// survey.ErrorCode and survey.ErrorMessage treat it like any other invalid
// input.
type Error struct {
	Problems []Problem
	// More is set when the file has more problems than MaxProblems
	// and the rest were not looked for.
	More bool
}

// Error returns the problems in English, one a line: "line 4: invalid
// e-mail address \"x\"".
func (e *Error) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		if p.Line > 0 {
			fmt.Fprintf(&b, "line %d: ", p.Line)
		}
		b.WriteString(p.Message())
	}
	if e.More {
		b.WriteString("\n… and more problems")
	}
	return b.String()
}

// Unwrap returns the summary as an EINVALID *survey.Error.
func (e *Error) Unwrap() error {
	n := len(e.Problems)
	switch {
	case e.More:
		return survey.Errorf(survey.EINVALID, "more than %d problems in the file", n)
	case n == 1:
		return survey.Errorf(survey.EINVALID, "1 problem in the file")
	}
	return survey.Errorf(survey.EINVALID, "%d problems in the file", n)
}

// ParsePeople reads a people file: columns email, name, department and
// teams in any order (email and name required; Danish headers e-mail, mail,
// navn, afdeling and team also do). Teams are separated by ";" inside a
// quoted field, or by "|". Content problems come back together as an
// *Error; any other error is a failure to read r.
func ParsePeople(r io.Reader) ([]PersonRow, error) {
	var im importScan
	f, err := im.open(r)
	if err != nil || f == nil {
		return nil, im.result(err)
	}
	cols := im.peopleColumns(f)
	var rows []PersonRow
	seen := map[string]int{}
	im.rows(f, func(line int, rec []string) {
		if row, ok := im.person(line, rec, cols, seen); ok {
			rows = append(rows, row)
		}
	})
	if err := im.result(nil); err != nil {
		return nil, err
	}
	return rows, nil
}

// The columns of a people file, as indexes into peopleColumns' result.
const (
	colEmail = iota
	colName
	colDepartment
	colTeams
)

// peopleColumns finds the columns of a people file by their headers, in
// English or Danish, and returns where each is (-1 when it is absent).
func (im *importScan) peopleColumns(f *importFile) []int {
	return im.columns(f, map[string]int{
		"email": colEmail, "e-mail": colEmail, "mail": colEmail,
		"name": colName, "navn": colName,
		"department": colDepartment, "afdeling": colDepartment,
		"teams": colTeams, "team": colTeams,
	}, []string{"email", "name", "", ""})
}

// columns finds a file's columns by their headers: aliases maps a header,
// in lower case, to a column's index, and required names each column a
// file must have ("" for an optional one). It returns where each column
// is (-1 when it is absent) and adds the problems of the header.
func (im *importScan) columns(f *importFile, aliases map[string]int, required []string) []int {
	cols := make([]int, len(required))
	for c := range cols {
		cols[c] = -1
	}
	for i, h := range f.header {
		key := strings.ToLower(strings.TrimSpace(h))
		if key == "" {
			continue
		}
		c, ok := aliases[key]
		switch {
		case !ok:
			im.add(Problem{Line: f.headerLine, Key: ProblemColumnUnknown, Value: strings.TrimSpace(h)})
		case cols[c] >= 0:
			im.add(Problem{Line: f.headerLine, Key: ProblemColumnDuplicate, Value: strings.TrimSpace(h), Other: cols[c] + 1})
		default:
			cols[c] = i
		}
	}
	for c, name := range required {
		if name != "" && cols[c] < 0 {
			im.add(Problem{Line: f.headerLine, Key: ProblemColumnMissing, Value: name})
		}
	}
	return cols
}

// person reads one line of a people file, and reports whether it is
// valid; its problems are added to im.
func (im *importScan) person(line int, rec []string, cols []int, seen map[string]int) (PersonRow, bool) {
	row := PersonRow{Line: line}
	ok := true
	if cols[colEmail] >= 0 {
		row.Email, ok = im.email(line, rec[cols[colEmail]], seen)
	}
	if cols[colName] >= 0 {
		row.Name = cleanImportText(rec[cols[colName]])
		switch {
		case row.Name == "":
			im.add(Problem{Line: line, Key: ProblemNameMissing})
			ok = false
		case utf8.RuneCountInString(row.Name) > MaxNameLength:
			im.add(Problem{Line: line, Key: ProblemNameTooLong, Value: row.Name})
			ok = false
		}
	}
	if cols[colDepartment] >= 0 {
		row.Department = cleanImportText(rec[cols[colDepartment]])
		if utf8.RuneCountInString(row.Department) > MaxGroupLength {
			im.add(Problem{Line: line, Key: ProblemDepartmentTooLong, Value: row.Department})
			ok = false
		}
	}
	if cols[colTeams] >= 0 {
		row.Teams = splitImportTeams(rec[cols[colTeams]])
		for _, t := range row.Teams {
			if utf8.RuneCountInString(t) > MaxGroupLength {
				im.add(Problem{Line: line, Key: ProblemTeamTooLong, Value: t})
				ok = false
			}
		}
	}
	return row, ok
}

// ParseResponses reads the wide format: email, then one column per item
// id of in; values 1–5, empty = not answered, 0 = don't know. A line with
// no answer at all is a problem, since importing it would count a response
// that says nothing.
//
// Optional columns subject_email and relation (Danish leder_email and
// rolle), together, make a line with both a rater's answers about that
// leader (relation as in a raters file); a line with neither is the
// self-assessment of email. Content problems come back together as an
// *Error; any other error is a failure to read r.
func ParseResponses(r io.Reader, in *survey.Instrument) ([]ResponseRow, error) {
	if in == nil {
		return nil, survey.Errorf(survey.EINTERNAL, "responses import without an instrument")
	}
	var im importScan
	f, err := im.open(r)
	if err != nil || f == nil {
		return nil, im.result(err)
	}
	cols := im.responseColumns(f, in)
	var rows []ResponseRow
	seen := map[string]int{}
	im.rows(f, func(line int, rec []string) {
		if row, ok := im.response(line, rec, cols, seen); ok {
			rows = append(rows, row)
		}
	})
	if err := im.result(nil); err != nil {
		return nil, err
	}
	return rows, nil
}

// responseColumns are where a responses file has its columns: -1 for one
// it has not; items in file order, so a line's problems read left to
// right.
type responseColumns struct {
	email, subject, relation int
	items                    []int
	itemOf                   map[int]string // column → item id
}

// responseColumns finds the columns of a responses file by their headers.
func (im *importScan) responseColumns(f *importFile, in *survey.Instrument) responseColumns {
	cols := responseColumns{email: -1, subject: -1, relation: -1, itemOf: map[int]string{}}
	named := map[string]*int{
		"email": &cols.email, "e-mail": &cols.email, "mail": &cols.email,
		"subject_email": &cols.subject, "leder_email": &cols.subject,
		"relation": &cols.relation, "rolle": &cols.relation,
	}
	itemCol := map[string]int{}
	for i, h := range f.header {
		name := strings.TrimSpace(h)
		key := strings.ToLower(name)
		col, isNamed := named[key]
		switch {
		case key == "":
		case isNamed && *col >= 0:
			im.add(Problem{Line: f.headerLine, Key: ProblemColumnDuplicate, Value: name, Other: *col + 1})
		case isNamed:
			*col = i
		case !in.HasItem(key):
			im.add(Problem{Line: f.headerLine, Key: ProblemColumnUnknown, Value: name})
		case itemCol[key] > 0:
			im.add(Problem{Line: f.headerLine, Key: ProblemColumnDuplicate, Value: name, Other: itemCol[key]})
		default:
			cols.items = append(cols.items, i)
			cols.itemOf[i] = key
			itemCol[key] = i + 1
		}
	}
	switch {
	case cols.email < 0:
		im.add(Problem{Line: f.headerLine, Key: ProblemColumnMissing, Value: "email"})
	case cols.email > 0:
		im.add(Problem{Line: f.headerLine, Key: ProblemColumnOrder, Value: strings.TrimSpace(f.header[0])})
	}
	if cols.subject >= 0 && cols.relation < 0 {
		im.add(Problem{Line: f.headerLine, Key: ProblemColumnMissing, Value: "relation"})
	} else if cols.relation >= 0 && cols.subject < 0 {
		im.add(Problem{Line: f.headerLine, Key: ProblemColumnMissing, Value: "subject_email"})
	}
	if len(cols.items) == 0 {
		im.add(Problem{Line: f.headerLine, Key: ProblemItemsMissing})
	}
	return cols
}

// response reads one line of a responses file, and reports whether it is
// valid; its problems are added to im. seen remembers the line of each
// address (a self-assessment) or rater and leader.
func (im *importScan) response(line int, rec []string, cols responseColumns, seen map[string]int) (ResponseRow, bool) {
	row := ResponseRow{Line: line, Answers: survey.Answers{}}
	ok := cols.email >= 0
	if ok {
		row.Email, ok = im.email(line, rec[cols.email], map[string]int{})
	}
	if ok && cols.subject >= 0 && cols.relation >= 0 {
		ok = im.rated(line, rec, cols, &row)
	}
	if key := row.Email + " " + row.SubjectEmail; ok {
		if first, dup := seen[key]; dup {
			p := Problem{Line: line, Key: ProblemEmailDuplicate, Value: row.Email, Other: first}
			if row.SubjectEmail != "" {
				p.Key = ProblemRaterDuplicate
			}
			im.add(p)
			ok = false
		}
		seen[key] = line
	}
	valid := true
	for _, i := range cols.items {
		v := strings.TrimSpace(rec[i])
		switch {
		case v == "":
		case len(v) == 1 && v[0] >= '0' && v[0] <= '5':
			row.Answers[cols.itemOf[i]] = survey.Answer(v[0] - '0')
		default:
			valid = false
			im.add(Problem{Line: line, Key: ProblemValueInvalid, Value: cols.itemOf[i] + "=" + v})
		}
	}
	if valid && len(row.Answers) == 0 && len(cols.items) > 0 {
		im.add(Problem{Line: line, Key: ProblemAnswersMissing})
		valid = false
	}
	return row, ok && valid
}

// rated reads the leader and relation of a rater's line into row, and
// reports whether they are valid: both empty (a self-assessment) or both
// set, the leader not the rater.
func (im *importScan) rated(line int, rec []string, cols responseColumns, row *ResponseRow) bool {
	subject, relation := strings.TrimSpace(rec[cols.subject]), strings.TrimSpace(rec[cols.relation])
	if subject == "" && relation == "" {
		return true
	}
	var ok bool
	if row.SubjectEmail, ok = im.email(line, subject, map[string]int{}); !ok {
		return false
	}
	rel, known := relations[strings.ToLower(relation)]
	if !known {
		im.add(Problem{Line: line, Key: ProblemRelationInvalid, Value: relation})
		return false
	}
	row.Relation = rel
	if row.SubjectEmail == row.Email {
		im.add(Problem{Line: line, Key: ProblemRaterIsSubject, Value: row.Email})
		return false
	}
	return true
}

// importScan collects the problems of one import file.
type importScan struct {
	problems []Problem
	more     bool
}

// add records p and reports whether there was room for it. The first
// problem past the cap sets more, and parsing stops at the next line.
func (im *importScan) add(p Problem) bool {
	if len(im.problems) >= MaxProblems {
		im.more = true
		return false
	}
	p.Value = clipImportValue(p.Value)
	im.problems = append(im.problems, p)
	return true
}

// result returns err if it is set, the problems as an *Error if there
// are any, and nil otherwise.
func (im *importScan) result(err error) error {
	if err != nil {
		return err
	}
	if len(im.problems) == 0 {
		return nil
	}
	slices.SortStableFunc(im.problems, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })
	return &Error{Problems: im.problems, More: im.more}
}

// importFile is a decoded import file whose header has been read.
type importFile struct {
	r          *csv.Reader
	header     []string
	headerLine int
}

// open reads and decodes the whole file and its header. It returns a nil
// file, with the reason among the problems, when there is nothing more to
// parse, and an error only when r cannot be read.
func (im *importScan) open(r io.Reader) (*importFile, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("csvfile: unable to read the import file: %w", err)
	}
	if len(b) > MaxBytes {
		im.add(Problem{Key: ProblemTooLarge})
		return nil, nil
	}
	text, ok := im.decode(b)
	if !ok {
		return nil, nil
	}
	delim, sepLine := sniffImportDelimiter(text)
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	// Hand-edited files put a space after the delimiter, before a quote.
	cr.TrimLeadingSpace = true
	if sepLine {
		// Excel's "sep=;" line names the delimiter and is not the header.
		if _, err := cr.Read(); err == io.EOF {
			im.add(Problem{Key: ProblemEmpty})
			return nil, nil
		}
	}
	// The header is the first line with anything in it: Excel writes
	// rows it thinks are used as ";;;".
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			im.add(Problem{Key: ProblemEmpty})
			return nil, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			im.add(Problem{Line: pe.StartLine, Key: ProblemQuote})
			return nil, nil
		} else if err != nil {
			return nil, fmt.Errorf("csvfile: unable to read the import file: %w", err)
		}
		if blankImportRecord(rec) {
			continue
		}
		line, _ := cr.FieldPos(0)
		return &importFile{r: cr, header: rec, headerLine: line}, nil
	}
}

// rows calls fn with every data line that has as many fields as the
// header, and records the problems of the others: misplaced quotes, a wrong
// number of fields, values in columns without a header. Lines whose fields
// are all empty are skipped. fn may index rec by any header column.
func (im *importScan) rows(f *importFile, fn func(line int, rec []string)) {
	width := len(f.header)
	n := 0 // data lines, good or bad
	for !im.more {
		before := f.r.InputOffset()
		rec, err := f.r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				// A strings.Reader does not fail; stop rather than spin.
				break
			}
			n++
			im.add(Problem{Line: pe.StartLine, Key: ProblemQuote})
			if f.r.InputOffset() == before {
				break
			}
			continue
		}
		if blankImportRecord(rec) {
			continue
		}
		n++
		if n > MaxRows {
			im.add(Problem{Key: ProblemTooManyRows, Other: MaxRows})
			return
		}
		line, _ := f.r.FieldPos(0)
		// Excel pads short rows with delimiters, so empty extra fields at
		// the end are no problem; anything else is.
		extra := len(rec) > width && !blankImportRecord(rec[width:])
		if len(rec) < width || extra {
			im.add(Problem{Line: line, Key: ProblemFieldsCount, Value: fmt.Sprint(len(rec)), Other: width})
			continue
		}
		unnamed := false
		for i := range width {
			if strings.TrimSpace(f.header[i]) == "" && strings.TrimSpace(rec[i]) != "" {
				im.add(Problem{Line: line, Key: ProblemColumnUnnamed, Value: strings.TrimSpace(rec[i])})
				unnamed = true
			}
		}
		if unnamed {
			continue
		}
		fn(line, rec[:width])
	}
	if n == 0 && !im.more {
		im.add(Problem{Key: ProblemEmpty})
	}
}

// email checks one address and remembers it, so a later line with the same
// address is reported as a duplicate. It returns the address in lower case.
func (im *importScan) email(line int, raw string, seen map[string]int) (string, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		im.add(Problem{Line: line, Key: ProblemEmailMissing})
		return "", false
	}
	email := strings.ToLower(norm.NFC.String(raw))
	if survey.ValidateEmail(email) != nil {
		im.add(Problem{Line: line, Key: ProblemEmailInvalid, Value: raw})
		return "", false
	}
	if first, ok := seen[email]; ok {
		im.add(Problem{Line: line, Key: ProblemEmailDuplicate, Value: email, Other: first})
		return "", false
	}
	seen[email] = line
	return email, true
}

// decode turns the file into text. Excel writes UTF-8 with a BOM ("CSV
// UTF-8") or, in Denmark, Windows-1252 ("CSV (semikolonsepareret)"); bytes
// that are not valid UTF-8 are read as the latter.
func (im *importScan) decode(b []byte) (string, bool) {
	utf8BOM := []byte{0xEF, 0xBB, 0xBF}
	if bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) {
		im.add(Problem{Key: ProblemEncoding, Value: "UTF-16"})
		return "", false
	}
	bom := bytes.HasPrefix(b, utf8BOM)
	b = bytes.TrimPrefix(b, utf8BOM)
	if i := bytes.IndexByte(b, 0); i >= 0 {
		// NUL bytes: UTF-16 without a BOM, or not text at all.
		im.add(Problem{Line: importLineAt(b, i), Key: ProblemEncoding})
		return "", false
	}
	var text string
	switch {
	case utf8.Valid(b):
		text = string(b)
	case bom:
		// The file says it is UTF-8 and is not: guessing would garble it.
		im.add(Problem{Line: importLineAt(b, invalidUTF8At(b)), Key: ProblemEncoding})
		return "", false
	default:
		d, err := charmap.Windows1252.NewDecoder().Bytes(b)
		if err != nil {
			im.add(Problem{Key: ProblemEncoding})
			return "", false
		}
		// The five bytes Windows-1252 leaves undefined decode to U+FFFD:
		// the file is in some other code page.
		if i := bytes.IndexRune(d, utf8.RuneError); i >= 0 {
			im.add(Problem{Line: importLineAt(d, i), Key: ProblemEncoding})
			return "", false
		}
		text = string(d)
	}
	if !strings.Contains(text, "\n") {
		// Old Mac Excel ends lines with CR alone.
		text = strings.ReplaceAll(text, "\r", "\n")
	}
	return text, true
}

// sniffImportDelimiter returns the delimiter of the file: the one named by
// an Excel "sep=" first line, else ';' or ',', whichever the header line
// has more of outside quotes, with ',' when it has neither.
func sniffImportDelimiter(text string) (delim rune, sepLine bool) {
	first, _, _ := strings.Cut(text, "\n")
	first = strings.ToLower(strings.TrimSpace(first))
	if rest, ok := strings.CutPrefix(first, "sep="); ok && len(rest) == 1 {
		switch rest[0] {
		case ';', ',', '\t', '|':
			return rune(rest[0]), true
		}
	}
	semicolons, commas := 0, 0
	quoted, content := false, false
scan:
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '"':
			quoted = !quoted
			content = true
		case quoted:
		case c == ';':
			semicolons++
		case c == ',':
			commas++
		case c == '\n':
			if content {
				break scan
			}
		case c != ' ' && c != '\t' && c != '\r':
			content = true
		}
	}
	if semicolons > 0 && semicolons >= commas {
		return ';', false
	}
	return ',', false
}

// blankImportRecord reports whether every field of rec is empty or space.
func blankImportRecord(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// cleanImportText collapses runs of white space (line breaks inside quotes,
// no-break spaces from Excel) to one space and composes accents, so that
// "Børn og  Unge" and "Børn og Unge" are one department.
func cleanImportText(s string) string {
	return norm.NFC.String(strings.Join(strings.Fields(s), " "))
}

// splitImportTeams splits a teams field at ';' or '|', dropping empty names
// and repeats (case-insensitively; the first spelling wins).
func splitImportTeams(s string) []string {
	var teams []string
	seen := map[string]bool{}
	for _, t := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '|' }) {
		t = cleanImportText(t)
		key := strings.ToLower(t)
		if t == "" || seen[key] {
			continue
		}
		seen[key] = true
		teams = append(teams, t)
	}
	return teams
}

// clipImportValue shortens a problem's value, so that a runaway field does
// not fill the screen.
func clipImportValue(s string) string {
	const max = 100
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max]) + "…"
}

// importLineAt returns the 1-based line of byte offset i in b.
func importLineAt(b []byte, i int) int {
	return bytes.Count(b[:i], []byte{'\n'}) + 1
}

// invalidUTF8At returns the offset of the first byte in b that is not part
// of valid UTF-8.
func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(b)
}
