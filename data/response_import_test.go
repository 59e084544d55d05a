package data_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/csvfile"
	"lederradar/survey"
)

func TestImportResponses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	clk := newClock(db)
	mustInstrument(t, db, "test-1")
	mustInstrument(t, db, "test-2")
	ann := mustPerson(t, db, "ann@example.dk", "Ann")
	bo := mustPerson(t, db, "bo@example.dk", "Bo")

	responses := func(t *testing.T, roundID int64) map[int64]survey.Answers {
		t.Helper()
		rs, err := db.FindSubmittedResponses(ctx, roundID)
		if err != nil {
			t.Fatal(err)
		}
		out := map[int64]survey.Answers{}
		for _, r := range rs {
			out[r.SubjectID] = r.Answers
		}
		return out
	}

	var paper survey.Round
	t.Run("creates the round", func(t *testing.T) {
		paper = survey.Round{Name: "Papir 2025", InstrumentVersion: "test-1", Status: survey.RoundDraft}
		n, err := db.ImportResponses(ctx, &paper, []csvfile.ResponseRow{
			{Line: 2, Email: "ann@example.dk", Answers: survey.Answers{"a1": 4, "a2": 0}},
			{Line: 3, Email: "BO@example.dk", Answers: survey.Answers{"b1": 2}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := n, 2; got != want {
			t.Errorf("imported = %d, want %d", got, want)
		}
		if paper.ID == 0 || paper.Status != survey.RoundOpen || !paper.CreatedAt.Equal(clk.Now()) {
			t.Errorf("round = %+v, want a new open round", paper)
		}
		stored, err := db.FindRoundByName(ctx, "papir 2025")
		if err != nil {
			t.Fatal(err)
		}
		if *stored != paper {
			t.Errorf("stored round = %+v, want %+v", *stored, paper)
		}
		got := responses(t, paper.ID)
		want := map[int64]survey.Answers{ann.ID: {"a1": 4, "a2": 0}, bo.ID: {"b1": 2}}
		if !maps.EqualFunc(got, want, maps.Equal) {
			t.Errorf("submitted responses = %v, want %v", got, want)
		}
	})

	t.Run("replaces answers and keeps the submission time", func(t *testing.T) {
		before, err := db.FindResponse(ctx, paper.ID, ann.ID, ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		clk.Add(time.Hour)
		again := survey.Round{Name: "PAPIR 2025", InstrumentVersion: "test-2"}
		n, err := db.ImportResponses(ctx, &again, []csvfile.ResponseRow{
			{Line: 2, Email: "ann@example.dk", Answers: survey.Answers{"b4": 5}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("imported = %d, want 1", n)
		}
		if again != paper {
			t.Errorf("round = %+v, want the stored %+v (its instrument governs)", again, paper)
		}
		after, err := db.FindResponse(ctx, paper.ID, ann.ID, ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := (survey.Answers{"b4": 5}); !maps.Equal(after.Answers, want) {
			t.Errorf("answers = %v, want %v (replaced entirely)", after.Answers, want)
		}
		if after.ID != before.ID || !after.SubmittedAt.Equal(before.SubmittedAt) {
			t.Errorf("response = %+v, want id %d submitted at %v", *after, before.ID, before.SubmittedAt)
		}
	})

	t.Run("submits a response started online", func(t *testing.T) {
		online := mustRound(t, db, "Online", survey.RoundOpen)
		if _, err := db.SaveAnswers(ctx, selfSave(online, bo, "k1", survey.Answers{"a1": 1, "a2": 1})); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportResponses(ctx, &survey.Round{Name: "Online"}, []csvfile.ResponseRow{
			{Line: 2, Email: "bo@example.dk", Answers: survey.Answers{"a1": 3}},
		}); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindResponse(ctx, online.ID, bo.ID, bo.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Submitted() || !got.SubmittedAt.Equal(clk.Now()) || !maps.Equal(got.Answers, survey.Answers{"a1": 3}) {
			t.Errorf("response = %+v, want submitted now with a1=3 only", *got)
		}
	})

	t.Run("unknown people store nothing", func(t *testing.T) {
		_, err := db.ImportResponses(ctx, &survey.Round{Name: "Ny runde", InstrumentVersion: "test-1"}, []csvfile.ResponseRow{
			{Line: 2, Email: "ann@example.dk", Answers: survey.Answers{"a1": 1}},
			{Line: 3, Email: "x@example.dk", Answers: survey.Answers{"a1": 1}},
			{Line: 4, Email: "y@example.dk", Answers: survey.Answers{"a1": 1}},
		})
		wantCode(t, err, survey.EINVALID)
		var ie *csvfile.Error
		if !errors.As(err, &ie) {
			t.Fatalf("error %v is not an *csvfile.Error", err)
		}
		var got []string
		for _, p := range ie.Problems {
			got = append(got, p.Value)
			if p.Key != data.ProblemPersonUnknown {
				t.Errorf("problem key = %q, want %q", p.Key, data.ProblemPersonUnknown)
			}
		}
		if want := []string{"x@example.dk", "y@example.dk"}; !slices.Equal(got, want) {
			t.Errorf("unknown e-mails = %v, want %v", got, want)
		}
		// Not even the round is left behind.
		_, err = db.FindRoundByName(ctx, "Ny runde")
		wantCode(t, err, survey.ENOTFOUND)
	})

	t.Run("answers are checked against the round's instrument", func(t *testing.T) {
		_, err := db.ImportResponses(ctx, &survey.Round{Name: "Papir 2025"}, []csvfile.ResponseRow{
			{Line: 2, Email: "ann@example.dk", Answers: survey.Answers{"a1": 1}},
			{Line: 3, Email: "bo@example.dk", Answers: survey.Answers{"z9": 1, "a1": 7}},
		})
		wantCode(t, err, survey.EINVALID)
		var ie *csvfile.Error
		if !errors.As(err, &ie) || len(ie.Problems) != 2 {
			t.Fatalf("error = %v, want two problems", err)
		}
		if got := responses(t, paper.ID)[ann.ID]; !maps.Equal(got, survey.Answers{"b4": 5}) {
			t.Errorf("Ann's answers after a refused import = %v, want them unchanged", got)
		}
	})

	t.Run("closed round refused", func(t *testing.T) {
		closed := mustRound(t, db, "Lukket", survey.RoundOpen)
		if err := db.SetRoundStatus(ctx, closed.ID, survey.RoundClosed); err != nil {
			t.Fatal(err)
		}
		_, err := db.ImportResponses(ctx, &survey.Round{Name: "Lukket"}, []csvfile.ResponseRow{
			{Line: 2, Email: "ann@example.dk", Answers: survey.Answers{"a1": 1}},
		})
		wantCode(t, err, survey.ECLOSED)
		if got := responses(t, closed.ID); len(got) != 0 {
			t.Errorf("responses in the closed round = %v, want none", got)
		}
		mustRound(t, db, "Kladde", survey.RoundDraft)
		_, err = db.ImportResponses(ctx, &survey.Round{Name: "Kladde"}, []csvfile.ResponseRow{
			{Line: 2, Email: "ann@example.dk", Answers: survey.Answers{"a1": 1}},
		})
		wantCode(t, err, survey.ECLOSED)
	})

	t.Run("other refusals", func(t *testing.T) {
		rows := []csvfile.ResponseRow{{Line: 2, Email: "ann@example.dk", Answers: survey.Answers{"a1": 1}}}
		for _, tc := range []struct {
			name  string
			round *survey.Round
			rows  []csvfile.ResponseRow
			want  string
		}{
			{"no round name", &survey.Round{InstrumentVersion: "test-1"}, rows, survey.EINVALID},
			{"instrument not stored", &survey.Round{Name: "X", InstrumentVersion: "nope"}, rows, survey.EINVALID},
			{"no rows", &survey.Round{Name: "X", InstrumentVersion: "test-1"}, nil, survey.EINVALID},
			{"repeated e-mail", &survey.Round{Name: "X", InstrumentVersion: "test-1"}, append(rows, csvfile.ResponseRow{Line: 3, Email: "ANN@example.dk", Answers: survey.Answers{"a1": 2}}), survey.EINVALID},
			{"row without answers", &survey.Round{Name: "X", InstrumentVersion: "test-1"}, []csvfile.ResponseRow{{Line: 2, Email: "ann@example.dk"}}, survey.EINVALID},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := db.ImportResponses(ctx, tc.round, tc.rows)
				wantCode(t, err, tc.want)
			})
		}
		_, err := db.FindRoundByName(ctx, "X")
		wantCode(t, err, survey.ENOTFOUND)
	})
}
