package data_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// TestImportPositionWithoutLine checks that problems of rows that came
// from no file (Line 0) name the row's position counted from 1, so the
// first row is never reported as line 0, which means the whole file.
func TestImportPositionWithoutLine(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	mustInstrument(t, db, "test-1")
	mustPerson(t, db, "ann@example.dk", "Ann")

	lines := func(t *testing.T, err error) []int {
		t.Helper()
		var ie *csvfile.Error
		if !errors.As(err, &ie) {
			t.Fatalf("error %v is not an *csvfile.Error", err)
		}
		var got []int
		for _, p := range ie.Problems {
			got = append(got, p.Line)
		}
		return got
	}
	tests := []struct {
		name   string
		run    func() error
		want   []int
		stored func() bool
	}{
		{
			name: "people",
			run: func() error {
				_, err := db.ImportPeople(ctx, []csvfile.PersonRow{
					{Email: "not an address", Name: "X"},
					{Email: "eva@example.dk", Name: "Eva"},
					{Email: "fie@example.dk", Name: ""},
				})
				return err
			},
			want: []int{1, 3},
			stored: func() bool {
				_, err := db.FindPersonByEmail(ctx, "eva@example.dk")
				return err == nil
			},
		},
		{
			name: "responses",
			run: func() error {
				_, err := db.ImportResponses(ctx, &survey.Round{Name: "Papir", InstrumentVersion: "test-1"}, []csvfile.ResponseRow{
					{Email: "", Answers: survey.Answers{"a1": 1}},
					{Email: "ann@example.dk"},
				})
				return err
			},
			want: []int{1, 2},
			stored: func() bool {
				_, err := db.FindRoundByName(ctx, "Papir")
				return err == nil
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			wantCode(t, err, survey.EINVALID)
			if got := lines(t, err); !slices.Equal(got, tt.want) {
				t.Errorf("problem lines = %v, want %v", got, tt.want)
			}
			if tt.stored() {
				t.Error("a refused import stored something")
			}
		})
	}
}
