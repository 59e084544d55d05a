package csvfile_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"lederradar/internal/csvfile"
	"lederradar/survey"
)

func TestParseRaters(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []csvfile.RaterRow
	}{
		{name: "English, one rater of two leaders, a leader rating another",
			data: "subject_email,rater_email,relation\nada@k.dk,bo@k.dk,manager\nada@k.dk,Cy@K.dk,peer\neva@k.dk,cy@k.dk,report\ncy@k.dk,ada@k.dk,peer\n",
			want: []csvfile.RaterRow{
				{Line: 2, SubjectEmail: "ada@k.dk", RaterEmail: "bo@k.dk", Relation: survey.Manager},
				{Line: 3, SubjectEmail: "ada@k.dk", RaterEmail: "cy@k.dk", Relation: survey.Peer},
				{Line: 4, SubjectEmail: "eva@k.dk", RaterEmail: "cy@k.dk", Relation: survey.Employee},
				{Line: 5, SubjectEmail: "cy@k.dk", RaterEmail: "ada@k.dk", Relation: survey.Peer},
			}},
		{name: "Danish relations and headers, semicolons, other order",
			data: "Relation;Bedømmer_email;Leder_email\nLeder;bo@k.dk;ada@k.dk\nkollega;cy@k.dk;ada@k.dk\nMedarbejder;di@k.dk;ada@k.dk\n",
			want: []csvfile.RaterRow{
				{Line: 2, SubjectEmail: "ada@k.dk", RaterEmail: "bo@k.dk", Relation: survey.Manager},
				{Line: 3, SubjectEmail: "ada@k.dk", RaterEmail: "cy@k.dk", Relation: survey.Peer},
				{Line: 4, SubjectEmail: "ada@k.dk", RaterEmail: "di@k.dk", Relation: survey.Employee},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := csvfile.ParseRaters(strings.NewReader(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseRatersProblems(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []csvfile.Problem
	}{
		{name: "every kind of bad line",
			data: "subject_email,rater_email,relation\n" +
				"ada@k.dk,bo@k.dk,boss\n" + // 2: unknown relation
				"ada@k.dk,ada@k.dk,peer\n" + // 3: rates themself
				"ada@k.dk,bo@k.dk,peer\n" + // 4: fine
				"ADA@k.dk,Bo@k.dk,report\n" + // 5: the same pair again
				"ada@k.dk,,peer\n" + // 6: no rater
				"nope,cy@k.dk,peer\n", // 7: bad leader address
			want: []csvfile.Problem{
				{Line: 2, Key: csvfile.ProblemRelationInvalid, Value: "boss"},
				{Line: 3, Key: csvfile.ProblemRaterIsSubject, Value: "ada@k.dk"},
				{Line: 5, Key: csvfile.ProblemRaterDuplicate, Value: "bo@k.dk", Other: 4},
				{Line: 6, Key: csvfile.ProblemEmailMissing},
				{Line: 7, Key: csvfile.ProblemEmailInvalid, Value: "nope"},
			}},
		{name: "columns missing and unknown",
			data: "subject_email,who\nada@k.dk,bo@k.dk\n",
			want: []csvfile.Problem{
				{Line: 1, Key: csvfile.ProblemColumnUnknown, Value: "who"},
				{Line: 1, Key: csvfile.ProblemColumnMissing, Value: "rater_email"},
				{Line: 1, Key: csvfile.ProblemColumnMissing, Value: "relation"},
			}},
		{name: "no data", data: "subject_email,rater_email,relation\n", want: []csvfile.Problem{{Key: csvfile.ProblemEmpty}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := csvfile.ParseRaters(strings.NewReader(tt.data))
			var ce *csvfile.Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v (rows %v), want a *csvfile.Error", err, rows)
			}
			if rows != nil {
				t.Errorf("rows = %v, want none: nothing is to be stored", rows)
			}
			if !reflect.DeepEqual(ce.Problems, tt.want) {
				t.Errorf("problems %+v\nwant %+v", ce.Problems, tt.want)
			}
			if survey.ErrorCode(err) != survey.EINVALID {
				t.Errorf("code %q, want invalid", survey.ErrorCode(err))
			}
			for _, p := range ce.Problems {
				if p.Message() == p.Key {
					t.Errorf("problem %s has no message", p.Key)
				}
			}
		})
	}
}

func TestParseResponsesOfRaters(t *testing.T) {
	in := &survey.Instrument{Competences: []survey.Competence{{ID: "a", Items: []survey.Item{{ID: "a1"}, {ID: "a2"}}}}}
	rows, err := csvfile.ParseResponses(strings.NewReader("email;leder_email;rolle;a1;a2\n"+
		"ann@k.dk;;;4;5\n"+
		"bo@k.dk;ann@k.dk;kollega;3;\n"+
		"ann@k.dk;bo@k.dk;manager;;2\n"), in)
	if err != nil {
		t.Fatal(err)
	}
	want := []csvfile.ResponseRow{
		{Line: 2, Email: "ann@k.dk", Answers: survey.Answers{"a1": 4, "a2": 5}},
		{Line: 3, Email: "bo@k.dk", SubjectEmail: "ann@k.dk", Relation: survey.Peer, Answers: survey.Answers{"a1": 3}},
		{Line: 4, Email: "ann@k.dk", SubjectEmail: "bo@k.dk", Relation: survey.Manager, Answers: survey.Answers{"a2": 2}},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows %+v\nwant %+v", rows, want)
	}

	_, err = csvfile.ParseResponses(strings.NewReader("email,subject_email,relation,a1\n"+
		"bo@k.dk,ann@k.dk,chef,3\n"+ // 2: fine
		"bo@k.dk,ann@k.dk,peer,3\n"+ // 3: bo rates ann twice
		"cy@k.dk,cy@k.dk,peer,3\n"+ // 4: cy rates themself
		"di@k.dk,ann@k.dk,boss,3\n"+ // 5: unknown relation
		"ann@k.dk,,,1\n"+ // 6: fine
		"ANN@k.dk,,,2\n"), in) // 7: ann's self-assessment twice
	var ce *csvfile.Error
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v", err)
	}
	wantProblems := []csvfile.Problem{
		{Line: 3, Key: csvfile.ProblemRaterDuplicate, Value: "bo@k.dk", Other: 2},
		{Line: 4, Key: csvfile.ProblemRaterIsSubject, Value: "cy@k.dk"},
		{Line: 5, Key: csvfile.ProblemRelationInvalid, Value: "boss"},
		{Line: 7, Key: csvfile.ProblemEmailDuplicate, Value: "ann@k.dk", Other: 6},
	}
	if !reflect.DeepEqual(ce.Problems, wantProblems) {
		t.Errorf("problems %+v\nwant %+v", ce.Problems, wantProblems)
	}

	_, err = csvfile.ParseResponses(strings.NewReader("email,subject_email,a1\nbo@k.dk,ann@k.dk,3\n"), in)
	if !errors.As(err, &ce) || ce.Problems[0] != (csvfile.Problem{Line: 1, Key: csvfile.ProblemColumnMissing, Value: "relation"}) {
		t.Errorf("err = %v, want relation missing", err)
	}
}
