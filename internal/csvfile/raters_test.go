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
