package csvfile_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// readFixture returns a file from testdata as it is on disk.
func readFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// importProblems returns the problems of an *Error, and fails the
// test for any other error.
func importProblems(tb testing.TB, err error) []csvfile.Problem {
	tb.Helper()
	if err == nil {
		tb.Fatal("no error, want an *Error")
	}
	var ie *csvfile.Error
	if !errors.As(err, &ie) {
		tb.Fatalf("error %v (%T), want an *Error", err, err)
	}
	return ie.Problems
}

// TestFixtureEncodings guards the fixtures themselves: an editor that
// "helpfully" re-saves one would make the encoding tests prove nothing.
func TestFixtureEncodings(t *testing.T) {
	bom := []byte{0xEF, 0xBB, 0xBF}
	tests := []struct {
		file      string
		wantUTF8  bool
		wantBOM   bool
		wantCRLF  bool
		wantBytes []byte
	}{
		{"people_windows1252_semicolon.csv", false, false, true, []byte("S\xf8ren \xc6r\xf8")},
		{"people_utf8_bom_crlf.csv", true, true, true, []byte("B\xc3\xb8rn")},
		{"people_pipe_teams.csv", true, false, false, nil},
		{"responses_valid.csv", true, true, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b := readFixture(t, tt.file)
			if got := utf8.Valid(b); got != tt.wantUTF8 {
				t.Errorf("valid UTF-8 = %v, want %v", got, tt.wantUTF8)
			}
			if got := bytes.HasPrefix(b, bom); got != tt.wantBOM {
				t.Errorf("BOM = %v, want %v", got, tt.wantBOM)
			}
			if got := bytes.Contains(b, []byte("\r\n")); got != tt.wantCRLF {
				t.Errorf("CRLF = %v, want %v", got, tt.wantCRLF)
			}
			if tt.wantBytes != nil && !bytes.Contains(b, tt.wantBytes) {
				t.Errorf("file lacks the bytes %q", tt.wantBytes)
			}
		})
	}
}

func TestParsePeopleCSV(t *testing.T) {
	tests := []struct {
		name string
		file string // in testdata, or
		data string // inline
		want []csvfile.PersonRow
	}{
		{
			name: "Windows-1252, semicolons, CRLF",
			file: "people_windows1252_semicolon.csv",
			want: []csvfile.PersonRow{
				{Line: 2, Email: "soren@kommune.dk", Name: "Søren Ærø", Department: "Børn og Unge", Teams: []string{"Klima", "Digital"}},
				{Line: 3, Email: "aase.oestergaard@kommune.dk", Name: "Åse Østergaard", Department: "Teknik og Miljø", Teams: []string{"Grøn omstilling", "Klima"}},
				{Line: 4, Email: "mette@kommune.dk", Name: "Mette Damgård", Department: "Kultur og Fritid"},
			},
		},
		{
			name: "UTF-8 with BOM, CRLF, commas, quoted teams and quotes",
			file: "people_utf8_bom_crlf.csv",
			want: []csvfile.PersonRow{
				{Line: 2, Email: "anna@kommune.dk", Name: "Anna Bæk", Department: "Børn og Unge", Teams: []string{"Klima", "Digital"}},
				{Line: 3, Email: "bo@kommune.dk", Name: `Hansen, Bo "Bosse"`, Department: "Økonomi"},
			},
		},
		{
			name: "pipe-separated teams, no department column, other order",
			file: "people_pipe_teams.csv",
			want: []csvfile.PersonRow{
				{Line: 2, Email: "carl@kommune.dk", Name: "Carl Holm", Teams: []string{"Klima", "Digital", "Sundhed"}},
			},
		},
		{
			name: "Danish headers, mixed case, spaces",
			file: "people_danish_headers.csv",
			want: []csvfile.PersonRow{
				{Line: 2, Email: "dorte@kommune.dk", Name: "Dorte Åby", Department: "Social og Sundhed", Teams: []string{"Klima"}},
			},
		},
		{
			name: "header only names email and name",
			data: "EMAIL,Name\na@b.dk,A\n",
			want: []csvfile.PersonRow{{Line: 2, Email: "a@b.dk", Name: "A"}},
		},
		{
			name: "Excel sep= line",
			data: "sep=;\r\nmail;navn;afdeling;team\r\na@b.dk;Anne, Marie;Kultur;\r\n",
			want: []csvfile.PersonRow{{Line: 3, Email: "a@b.dk", Name: "Anne, Marie", Department: "Kultur"}},
		},
		{
			name: "old Mac line ends",
			data: "email;name\ra@b.dk;A\rb@b.dk;B\r",
			want: []csvfile.PersonRow{{Line: 2, Email: "a@b.dk", Name: "A"}, {Line: 3, Email: "b@b.dk", Name: "B"}},
		},
		{
			name: "a quoted field across lines keeps later line numbers",
			data: "email,name,department\na@b.dk,A,\"Børn\nog\r\nUnge\"\n\n,,\nb@b.dk,B,\n",
			want: []csvfile.PersonRow{
				{Line: 2, Email: "a@b.dk", Name: "A", Department: "Børn og Unge"},
				{Line: 7, Email: "b@b.dk", Name: "B"},
			},
		},
		{
			name: "white space collapsed, no-break spaces, trailing empty fields",
			data: "email;name;department;teams;;\n  A@B.dk ;\u00a0Anne  Marie\u00a0;Børn  og Unge;\" Klima ; |\";;\n",
			want: []csvfile.PersonRow{{Line: 2, Email: "a@b.dk", Name: "Anne Marie", Department: "Børn og Unge", Teams: []string{"Klima"}}},
		},
		{
			name: "space before a quoted field",
			data: "email, name, teams\na@b.dk, \"A, B\", \"X;Y\"\n",
			want: []csvfile.PersonRow{{Line: 2, Email: "a@b.dk", Name: "A, B", Teams: []string{"X", "Y"}}},
		},
		{
			name: "decomposed accents are composed",
			data: "email;name;department\na@b.dk;A;A\u030arhus\n",
			want: []csvfile.PersonRow{{Line: 2, Email: "a@b.dk", Name: "A", Department: "Århus"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := []byte(tt.data)
			if tt.file != "" {
				in = readFixture(t, tt.file)
			}
			got, err := csvfile.ParsePeople(bytes.NewReader(in))
			if err != nil {
				t.Fatalf("error:\n%v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestParsePeopleCSVProblems(t *testing.T) {
	long := strings.Repeat("ø", 201)
	tests := []struct {
		name string
		file string
		data string
		want []csvfile.Problem
	}{
		{
			name: "line problems",
			file: "people_problems.csv",
			want: []csvfile.Problem{
				{Line: 7, Key: csvfile.ProblemEmailInvalid, Value: "ikke-en-adresse"},
				{Line: 8, Key: csvfile.ProblemNameMissing},
				{Line: 9, Key: csvfile.ProblemEmailDuplicate, Value: "anna@kommune.dk", Other: 2},
				{Line: 10, Key: csvfile.ProblemFieldsCount, Value: "3", Other: 4},
				{Line: 12, Key: csvfile.ProblemEmailMissing},
				{Line: 13, Key: csvfile.ProblemFieldsCount, Value: "6", Other: 4},
			},
		},
		{
			name: "missing and unknown columns",
			file: "people_missing_column.csv",
			want: []csvfile.Problem{
				{Line: 1, Key: csvfile.ProblemColumnUnknown, Value: "telefon"},
				{Line: 1, Key: csvfile.ProblemColumnMissing, Value: "name"},
			},
		},
		{
			name: "no email column, a repeated column",
			data: "navn;name;afdeling\nA;A;X\n",
			want: []csvfile.Problem{
				{Line: 1, Key: csvfile.ProblemColumnDuplicate, Value: "name", Other: 1},
				{Line: 1, Key: csvfile.ProblemColumnMissing, Value: "email"},
			},
		},
		{
			name: "too long",
			data: "email;name;department;teams\na@b.dk;" + long + ";" + long[:202] + ";Klima|" + long[:202] + "\n",
			want: []csvfile.Problem{
				{Line: 2, Key: csvfile.ProblemNameTooLong, Value: strings.Repeat("ø", 100) + "…"},
				{Line: 2, Key: csvfile.ProblemDepartmentTooLong, Value: long[:200] + "…"},
				{Line: 2, Key: csvfile.ProblemTeamTooLong, Value: long[:200] + "…"},
			},
		},
		{
			name: "a value under a column without a header",
			data: "email;name;;\na@b.dk;A;;\nb@b.dk;B;;x\n",
			want: []csvfile.Problem{{Line: 3, Key: csvfile.ProblemColumnUnnamed, Value: "x"}},
		},
		{
			name: "a bad quote is reported, the rest still read",
			data: "email;name\na@b.dk;A \"B\"\nb@b.dk;\n",
			want: []csvfile.Problem{
				{Line: 2, Key: csvfile.ProblemQuote},
				{Line: 3, Key: csvfile.ProblemNameMissing},
			},
		},
		{
			name: "a quote never closed",
			data: "email;name\na@b.dk;A\nb@b.dk;\"B\nc@b.dk;C\n",
			want: []csvfile.Problem{{Line: 3, Key: csvfile.ProblemQuote}},
		},
		{name: "empty file", data: "", want: []csvfile.Problem{{Key: csvfile.ProblemEmpty}}},
		{name: "only a BOM", data: "\ufeff", want: []csvfile.Problem{{Key: csvfile.ProblemEmpty}}},
		{name: "header only", data: "email;name\r\n\r\n;\r\n", want: []csvfile.Problem{{Key: csvfile.ProblemEmpty}}},
		{name: "UTF-16", data: "\xff\xfee\x00m\x00", want: []csvfile.Problem{{Key: csvfile.ProblemEncoding, Value: "UTF-16"}}},
		{name: "NUL bytes", data: "email;name\na\x00@b.dk;A\n", want: []csvfile.Problem{{Line: 2, Key: csvfile.ProblemEncoding}}},
		{
			name: "BOM but not UTF-8",
			data: "\xef\xbb\xbfemail;name\na@b.dk;S\xf8ren\n",
			want: []csvfile.Problem{{Line: 2, Key: csvfile.ProblemEncoding}},
		},
		{
			name: "a byte Windows-1252 does not define",
			data: "email;name\na@b.dk;S\xf8ren\nb@b.dk;\x81\n",
			want: []csvfile.Problem{{Line: 3, Key: csvfile.ProblemEncoding}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := []byte(tt.data)
			if tt.file != "" {
				in = readFixture(t, tt.file)
			}
			rows, err := csvfile.ParsePeople(bytes.NewReader(in))
			if rows != nil {
				t.Errorf("rows = %v, want none", rows)
			}
			got := importProblems(t, err)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestImportErrorLimits(t *testing.T) {
	t.Run("problems are capped", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("email;name\n")
		for i := range 300 {
			fmt.Fprintf(&b, "bad%d;X\n", i)
		}
		_, err := csvfile.ParsePeople(strings.NewReader(b.String()))
		var ie *csvfile.Error
		if !errors.As(err, &ie) {
			t.Fatalf("error %v, want an *Error", err)
		}
		if got, want := len(ie.Problems), csvfile.MaxProblems; got != want {
			t.Errorf("%d problems, want %d", got, want)
		}
		if !ie.More {
			t.Error("More is false, want true")
		}
		if got, want := ie.Problems[199], (csvfile.Problem{Line: 201, Key: csvfile.ProblemEmailInvalid, Value: "bad199"}); got != want {
			t.Errorf("last problem %#v, want %#v", got, want)
		}
		if got, want := survey.ErrorMessage(err), "more than 200 problems in the file"; got != want {
			t.Errorf("ErrorMessage = %q, want %q", got, want)
		}
	})
	t.Run("exactly the cap is not more", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("email;name\n")
		for i := range csvfile.MaxProblems {
			fmt.Fprintf(&b, "bad%d;X\n", i)
		}
		_, err := csvfile.ParsePeople(strings.NewReader(b.String()))
		var ie *csvfile.Error
		if !errors.As(err, &ie) {
			t.Fatalf("error %v, want an *Error", err)
		}
		if len(ie.Problems) != csvfile.MaxProblems || ie.More {
			t.Errorf("%d problems, More %v; want %d, false", len(ie.Problems), ie.More, csvfile.MaxProblems)
		}
	})
	t.Run("too many rows", func(t *testing.T) {
		var b bytes.Buffer
		b.WriteString("email;name\n")
		for i := range csvfile.MaxRows + 1 {
			fmt.Fprintf(&b, "p%d@b.dk;P\n", i)
		}
		_, err := csvfile.ParsePeople(&b)
		got := importProblems(t, err)
		want := []csvfile.Problem{{Key: csvfile.ProblemTooManyRows, Other: csvfile.MaxRows}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %#v, want %#v", got, want)
		}
	})
	t.Run("the most rows allowed", func(t *testing.T) {
		var b bytes.Buffer
		b.WriteString("email;name\n")
		for i := range csvfile.MaxRows {
			fmt.Fprintf(&b, "p%d@b.dk;P\n", i)
		}
		rows, err := csvfile.ParsePeople(&b)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := rows[len(rows)-1].Line, csvfile.MaxRows+1; got != want {
			t.Errorf("last line %d, want %d", got, want)
		}
	})
	t.Run("too large", func(t *testing.T) {
		r := io.MultiReader(strings.NewReader("email;name\n"), io.LimitReader(neverEnding('x'), csvfile.MaxBytes))
		_, err := csvfile.ParsePeople(r)
		got := importProblems(t, err)
		want := []csvfile.Problem{{Key: csvfile.ProblemTooLarge}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %#v, want %#v", got, want)
		}
	})
}

// neverEnding is an endless stream of one byte.
type neverEnding byte

func (b neverEnding) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}

func TestImportErrorIsInvalid(t *testing.T) {
	_, err := csvfile.ParsePeople(bytes.NewReader(readFixture(t, "people_problems.csv")))
	if got, want := survey.ErrorCode(err), survey.EINVALID; got != want {
		t.Errorf("ErrorCode = %q, want %q", got, want)
	}
	if got, want := survey.ErrorMessage(err), "6 problems in the file"; got != want {
		t.Errorf("ErrorMessage = %q, want %q", got, want)
	}
	wrapped := fmt.Errorf("import people: %w", err)
	var ie *csvfile.Error
	if !errors.As(wrapped, &ie) {
		t.Fatal("errors.As found no *Error through a wrap")
	}
	want := `line 7: invalid e-mail address "ikke-en-adresse"
line 8: the name is missing
line 9: e-mail address "anna@kommune.dk" is already on line 2
line 10: 3 fields, but the header has 4
line 12: the e-mail address is missing
line 13: 6 fields, but the header has 4`
	if got := err.Error(); got != want {
		t.Errorf("Error() =\n%s\nwant\n%s", got, want)
	}

	_, err = csvfile.ParsePeople(strings.NewReader(""))
	if got, want := err.Error(), "the file has no data rows"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got, want := survey.ErrorMessage(err), "1 problem in the file"; got != want {
		t.Errorf("ErrorMessage = %q, want %q", got, want)
	}
}

func TestProblemMessage(t *testing.T) {
	tests := []struct {
		p    csvfile.Problem
		want string
	}{
		{csvfile.Problem{Key: csvfile.ProblemColumnMissing, Value: "name"}, `required column "name" is missing`},
		{csvfile.Problem{Key: csvfile.ProblemColumnUnknown, Value: "telefon"}, `unknown column "telefon"`},
		{csvfile.Problem{Key: csvfile.ProblemColumnDuplicate, Value: "trust.1", Other: 2}, `column "trust.1" repeats column 2`},
		{csvfile.Problem{Key: csvfile.ProblemValueInvalid, Value: "trust.1=7"}, `invalid answer "trust.1=7": use 1–5, 0 for don't know, or leave it empty`},
		{csvfile.Problem{Key: csvfile.ProblemTooManyRows}, "the file has more than 100000 rows"},
		{csvfile.Problem{Key: csvfile.ProblemEncoding, Value: "UTF-16"}, `the file is UTF-16, not UTF-8 or Windows-1252 text; save it as "CSV UTF-8"`},
		{csvfile.Problem{Key: "some_new_key", Value: "v"}, `some_new_key "v"`},
	}
	for _, tt := range tests {
		t.Run(tt.p.Key, func(t *testing.T) {
			if got := tt.p.Message(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseCSVReadError(t *testing.T) {
	boom := errors.New("boom")
	_, err := csvfile.ParsePeople(iotest.ErrReader(boom))
	if !errors.Is(err, boom) {
		t.Errorf("error %v, want one wrapping %v", err, boom)
	}
	var ie *csvfile.Error
	if errors.As(err, &ie) {
		t.Error("a read error is an *Error")
	}
}

func mustInstrument(tb testing.TB) *survey.Instrument {
	tb.Helper()
	in, err := survey.DefaultInstrument()
	if err != nil {
		tb.Fatal(err)
	}
	return in
}

func TestParseResponsesCSV(t *testing.T) {
	in := mustInstrument(t)
	tests := []struct {
		name string
		file string
		data string
		want []csvfile.ResponseRow
	}{
		{
			name: "values, empty and don't know",
			file: "responses_valid.csv",
			want: []csvfile.ResponseRow{
				{Line: 2, Email: "anna@kommune.dk", Answers: survey.Answers{"trust.1": 5, "trust.2": 4, "trust.4": survey.DontKnow, "courage.1": 3}},
				{Line: 3, Email: "bo@kommune.dk", Answers: survey.Answers{"trust.1": 1, "courage.1": survey.DontKnow}},
			},
		},
		{
			name: "Windows-1252, item headers in any case and order",
			data: "E-mail,Courage.2 , TRUST.3\r\ns\xf8ren@b.dk,2,\r\n",
			want: []csvfile.ResponseRow{{Line: 2, Email: "søren@b.dk", Answers: survey.Answers{"courage.2": 2}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := []byte(tt.data)
			if tt.file != "" {
				b = readFixture(t, tt.file)
			}
			got, err := csvfile.ParseResponses(bytes.NewReader(b), in)
			if err != nil {
				t.Fatalf("error:\n%v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestParseResponsesCSVProblems(t *testing.T) {
	in := mustInstrument(t)
	tests := []struct {
		name string
		file string
		data string
		want []csvfile.Problem
	}{
		{
			name: "line problems",
			file: "responses_problems.csv",
			want: []csvfile.Problem{
				{Line: 1, Key: csvfile.ProblemColumnUnknown, Value: "nonsense.9"},
				{Line: 1, Key: csvfile.ProblemColumnDuplicate, Value: "trust.1", Other: 2},
				{Line: 2, Key: csvfile.ProblemValueInvalid, Value: "trust.2=7"},
				{Line: 3, Key: csvfile.ProblemValueInvalid, Value: "trust.1=x"},
				{Line: 4, Key: csvfile.ProblemAnswersMissing},
				{Line: 5, Key: csvfile.ProblemEmailDuplicate, Value: "anna@kommune.dk", Other: 2},
				{Line: 6, Key: csvfile.ProblemEmailInvalid, Value: "not-an-email"},
			},
		},
		{
			name: "email not first",
			data: "trust.1;email\n3;a@b.dk\n",
			want: []csvfile.Problem{{Line: 1, Key: csvfile.ProblemColumnOrder, Value: "trust.1"}},
		},
		{
			name: "no email, no items",
			data: "navn;\nA;\n",
			want: []csvfile.Problem{
				{Line: 1, Key: csvfile.ProblemColumnUnknown, Value: "navn"},
				{Line: 1, Key: csvfile.ProblemColumnMissing, Value: "email"},
				{Line: 1, Key: csvfile.ProblemItemsMissing},
			},
		},
		{
			name: "values that are not on the scale",
			data: "email;trust.1;trust.2;trust.3;trust.4\na@b.dk;-1;6;3,0;ved ikke\n",
			want: []csvfile.Problem{
				{Line: 2, Key: csvfile.ProblemValueInvalid, Value: "trust.1=-1"},
				{Line: 2, Key: csvfile.ProblemValueInvalid, Value: "trust.2=6"},
				{Line: 2, Key: csvfile.ProblemValueInvalid, Value: "trust.3=3,0"},
				{Line: 2, Key: csvfile.ProblemValueInvalid, Value: "trust.4=ved ikke"},
			},
		},
		{
			name: "wrong field count",
			data: "email,trust.1,trust.2\na@b.dk,1\nb@b.dk,1,2,3\n",
			want: []csvfile.Problem{
				{Line: 2, Key: csvfile.ProblemFieldsCount, Value: "2", Other: 3},
				{Line: 3, Key: csvfile.ProblemFieldsCount, Value: "4", Other: 3},
			},
		},
		{name: "empty", data: "email;trust.1\n", want: []csvfile.Problem{{Key: csvfile.ProblemEmpty}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := []byte(tt.data)
			if tt.file != "" {
				b = readFixture(t, tt.file)
			}
			rows, err := csvfile.ParseResponses(bytes.NewReader(b), in)
			if rows != nil {
				t.Errorf("rows = %v, want none", rows)
			}
			got := importProblems(t, err)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

// fuzzSeeds are the inputs both fuzz targets start from: every fixture and
// a few shapes that have broken CSV readers before.
func fuzzSeeds(f *testing.F) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".csv") {
			f.Add(readFixture(f, e.Name()))
		}
	}
	for _, s := range []string{
		"",
		"\ufeff",
		"sep=;",
		"sep=|\nemail|name\na@b.dk|A\n",
		"email;name\n\"",
		"email;name\na@b.dk;\"A\nB",
		"email,name,teams\na@b.dk,A,\";;|;\"\n",
		"\"email\nname\";x\r\n\r",
		"email;name;;;\n;;x;;y\n",
		"email\rname\r",
		"\xff\xfe",
		"email;name\n\x81;\x9d\n",
		"email;trust.1\nA@B.DK;0\n",
	} {
		f.Add([]byte(s))
	}
}

func FuzzParsePeople(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, err := csvfile.ParsePeople(bytes.NewReader(b))
		checkFuzzResult(t, err, len(rows))
		for _, r := range rows {
			if r.Line < 1 || r.Email != strings.ToLower(r.Email) || survey.ValidateEmail(r.Email) != nil {
				t.Errorf("bad row %#v", r)
			}
			if r.Name == "" || strings.TrimSpace(r.Name) != r.Name {
				t.Errorf("bad name in %#v", r)
			}
			for _, team := range r.Teams {
				if team == "" || strings.ContainsAny(team, ";|") {
					t.Errorf("bad team in %#v", r)
				}
			}
		}
	})
}

func FuzzParseResponses(f *testing.F) {
	fuzzSeeds(f)
	in := mustInstrument(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, err := csvfile.ParseResponses(bytes.NewReader(b), in)
		checkFuzzResult(t, err, len(rows))
		for _, r := range rows {
			if err := in.ValidateAnswers(r.Answers); err != nil || len(r.Answers) == 0 {
				t.Errorf("bad answers in %#v: %v", r, err)
			}
		}
	})
}

// checkFuzzResult checks what holds for any input: either rows or an
// *Error with between 1 and MaxProblems problems, never both.
func checkFuzzResult(t *testing.T, err error, rows int) {
	t.Helper()
	if err == nil {
		if rows == 0 {
			t.Error("no error and no rows")
		}
		return
	}
	if rows != 0 {
		t.Errorf("%d rows with error %v", rows, err)
	}
	var ie *csvfile.Error
	if !errors.As(err, &ie) {
		t.Fatalf("error %v (%T), want an *Error", err, err)
	}
	if n := len(ie.Problems); n < 1 || n > csvfile.MaxProblems {
		t.Errorf("%d problems", n)
	}
	if survey.ErrorCode(err) != survey.EINVALID {
		t.Errorf("ErrorCode = %q", survey.ErrorCode(err))
	}
	_ = err.Error()
}
