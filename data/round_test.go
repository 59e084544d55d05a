package data_test

import (
	"context"
	"testing"
	"time"

	"lederradar/survey"
)

func TestRounds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	clk := newClock(db)
	mustInstrument(t, db, "test-1")

	opens := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	closes := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	spring := &survey.Round{Name: "Forår 2026", Status: survey.RoundDraft, InstrumentVersion: "test-1", Opens: opens, Closes: closes}
	if err := db.CreateRound(ctx, spring); err != nil {
		t.Fatal(err)
	}

	t.Run("create and find", func(t *testing.T) {
		if spring.ID == 0 {
			t.Fatal("CreateRound set no id")
		}
		if got, want := spring.CreatedAt, clk.Now(); !got.Equal(want) {
			t.Errorf("CreatedAt = %v, want %v", got, want)
		}
		got, err := db.FindRoundByID(ctx, spring.ID)
		if err != nil {
			t.Fatal(err)
		}
		if *got != *spring {
			t.Errorf("FindRoundByID = %+v, want %+v", *got, *spring)
		}
		got, err = db.FindRoundByName(ctx, "forår 2026")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != spring.ID {
			t.Errorf("FindRoundByName id = %d, want %d", got.ID, spring.ID)
		}
		_, err = db.FindRoundByID(ctx, 9999)
		wantCode(t, err, survey.ENOTFOUND)
		_, err = db.FindRoundByName(ctx, "nope")
		wantCode(t, err, survey.ENOTFOUND)
	})

	t.Run("refusals", func(t *testing.T) {
		err := db.CreateRound(ctx, &survey.Round{Name: "Forår 2026", Status: survey.RoundDraft, InstrumentVersion: "test-1"})
		wantCode(t, err, survey.ECONFLICT)
		err = db.CreateRound(ctx, &survey.Round{Name: "X", Status: survey.RoundDraft, InstrumentVersion: "unknown"})
		wantCode(t, err, survey.EINVALID)
		err = db.CreateRound(ctx, &survey.Round{Name: "", Status: survey.RoundDraft, InstrumentVersion: "test-1"})
		wantCode(t, err, survey.EINVALID)
		err = db.CreateRound(ctx, &survey.Round{Name: "Y", Status: "paused", InstrumentVersion: "test-1"})
		wantCode(t, err, survey.EINVALID)
	})

	t.Run("status moves forward only", func(t *testing.T) {
		for _, step := range []struct {
			status survey.RoundStatus
			want   string
		}{
			{survey.RoundOpen, ""},
			{survey.RoundOpen, ""}, // no-op
			{survey.RoundDraft, survey.ECONFLICT},
			{survey.RoundClosed, ""},
			{survey.RoundOpen, survey.ECONFLICT},
			{"paused", survey.EINVALID},
		} {
			err := db.SetRoundStatus(ctx, spring.ID, step.status)
			if got := survey.ErrorCode(err); got != step.want {
				t.Errorf("SetRoundStatus(%s) code = %q (%v), want %q", step.status, got, err, step.want)
			}
		}
		got, err := db.FindRoundByID(ctx, spring.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != survey.RoundClosed {
			t.Errorf("status = %s, want closed", got.Status)
		}
		wantCode(t, db.SetRoundStatus(ctx, 9999, survey.RoundOpen), survey.ENOTFOUND)
	})

	t.Run("newest first", func(t *testing.T) {
		clk.Add(24 * time.Hour)
		draft := mustRound(t, db, "Kladde", survey.RoundDraft)
		clk.Add(24 * time.Hour)
		autumn := mustRound(t, db, "Efterår 2026", survey.RoundOpen)
		// Same second as autumn: the id breaks the tie.
		later := mustRound(t, db, "Senere", survey.RoundOpen)

		rounds, err := db.FindRounds(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, r := range rounds {
			got = append(got, r.ID)
		}
		want := []int64{later.ID, autumn.ID, draft.ID, spring.ID}
		if len(got) != len(want) {
			t.Fatalf("FindRounds ids = %v, want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("FindRounds ids = %v, want %v", got, want)
			}
		}
	})
}
