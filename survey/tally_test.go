package survey_test

import (
	"testing"

	"lederradar/survey"
)

func TestTally(t *testing.T) {
	in, err := survey.DefaultInstrument()
	if err != nil {
		t.Fatal(err)
	}
	first, second := in.Competences[0], in.Competences[1]
	a := survey.Answers{
		first.Items[0].ID: 5, first.Items[1].ID: 5, first.Items[2].ID: survey.DontKnow,
		second.Items[3].ID: 1,
		"no-such-item":     4,
	}
	got := in.Tally(a)
	if len(got) != len(in.Competences) {
		t.Fatalf("len = %d, want %d", len(got), len(in.Competences))
	}
	if want := [6]uint16{0: 1, 5: 2}; got[0] != want {
		t.Errorf("first competence = %v, want %v", got[0], want)
	}
	if want := [6]uint16{1: 1}; got[1] != want {
		t.Errorf("second competence = %v, want %v", got[1], want)
	}
}
