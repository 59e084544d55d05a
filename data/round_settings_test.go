package data_test

import (
	"context"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/csvfile"
	"lederradar/survey"
)

func TestSetRoundSettings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	mustInstrument(t, db, "test-1")
	ann := mustPerson(t, db, "ann@example.dk", "Ann")
	round := mustRound(t, db, "Forår 2027", survey.RoundDraft)
	limits := survey.NominationLimits{Manager: 1, Peer: 3, Employee: 4}

	t.Run("a draft takes every setting", func(t *testing.T) {
		set := data.RoundSettings{Kind: survey.ThreeSixty, ManagerShown: true, SeveralManagers: true, Limits: limits}
		if err := db.SetRoundSettings(ctx, round.ID, set); err != nil {
			t.Fatal(err)
		}
		r, err := db.FindRoundByID(ctx, round.ID)
		if err != nil || r.Kind != survey.ThreeSixty || !r.ManagerShown || !r.SeveralManagers {
			t.Fatalf("round = %+v, %v", r, err)
		}
		if got, err := db.FindNominationLimits(ctx, round.ID); err != nil || got != limits {
			t.Errorf("limits = %+v, %v; want %+v", got, err, limits)
		}
	})
	t.Run("limits out of range change nothing", func(t *testing.T) {
		for _, l := range []survey.NominationLimits{{Manager: -1}, {Peer: survey.MaxNominations + 1}} {
			err := db.SetRoundSettings(ctx, round.ID, data.RoundSettings{Kind: survey.ThreeSixty, Limits: l})
			wantCode(t, err, survey.EINVALID)
		}
		if got, _ := db.FindNominationLimits(ctx, round.ID); got != limits {
			t.Errorf("limits = %+v, want %+v kept", got, limits)
		}
	})
	t.Run("raters answer until a day no later than the round's close", func(t *testing.T) {
		closing := &survey.Round{Name: "Efterår 2027", Status: survey.RoundDraft, InstrumentVersion: "test-1",
			Closes: time.Date(2027, 11, 30, 0, 0, 0, 0, time.UTC)}
		if err := db.CreateRound(ctx, closing); err != nil {
			t.Fatal(err)
		}
		lastDay := time.Date(2027, 11, 30, 23, 0, 0, 0, time.UTC) // 1 December, 00:00 in Copenhagen
		set := data.RoundSettings{Kind: survey.ThreeSixty, RatersClose: lastDay}
		if err := db.SetRoundSettings(ctx, closing.ID, set); err != nil {
			t.Fatal(err)
		}
		if r, err := db.FindRoundByID(ctx, closing.ID); err != nil || !r.RatersClose.Equal(lastDay) {
			t.Errorf("raters' close = %v, %v; want %v", r.RatersClose, err, lastDay)
		}
		set.RatersClose = lastDay.AddDate(0, 0, 2)
		err := db.SetRoundSettings(ctx, closing.ID, set)
		wantCode(t, err, survey.EINVALID)
		if key, _ := survey.ErrorKey(err); key != "raters_after_close" {
			t.Errorf("key = %q, want raters_after_close", key)
		}
		set.RatersClose = time.Time{}
		if err := db.SetRoundSettings(ctx, closing.ID, set); err != nil {
			t.Fatal(err)
		}
		if r, err := db.FindRoundByID(ctx, closing.ID); err != nil || !r.RatersClose.IsZero() {
			t.Errorf("raters' close = %v, %v; want none: raters answer until the round closes", r.RatersClose, err)
		}
	})
	_, err := db.ImportRaters(ctx, round.ID, []csvfile.RaterRow{
		{Line: 2, SubjectEmail: "ann@example.dk", RaterEmail: "chef1@example.dk", Relation: survey.Manager},
		{Line: 3, SubjectEmail: "ann@example.dk", RaterEmail: "chef2@example.dk", Relation: survey.Manager},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetRoundStatus(ctx, round.ID, survey.RoundOpen); err != nil {
		t.Fatal(err)
	}
	refusals := []struct {
		name string
		set  data.RoundSettings
		key  string
	}{
		{"a round with raters stays 360", data.RoundSettings{Kind: survey.SelfOnly, ManagerShown: true, SeveralManagers: true}, "round_has_raters"},
		{"a leader with two managers keeps several", data.RoundSettings{Kind: survey.ThreeSixty, ManagerShown: true}, "several_managers_in_use"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			err := db.SetRoundSettings(ctx, round.ID, tt.set)
			wantCode(t, err, survey.ECONFLICT)
			if key, _ := survey.ErrorKey(err); key != tt.key {
				t.Errorf("key = %q, want %q", key, tt.key)
			}
		})
	}
	t.Run("manager shown changes only before a rater answers", func(t *testing.T) {
		set := data.RoundSettings{Kind: survey.ThreeSixty, SeveralManagers: true, Limits: limits}
		if err := db.SetRoundSettings(ctx, round.ID, set); err != nil {
			t.Fatalf("before any answer: %v", err)
		}
		chef, err := db.FindPersonByEmail(ctx, "chef1@example.dk")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.SubmitResponse(ctx, round.ID, ann.ID, chef.ID, survey.Manager, "form-1"); err != nil {
			t.Fatal(err)
		}
		set.ManagerShown = true
		err = db.SetRoundSettings(ctx, round.ID, set)
		wantCode(t, err, survey.ECONFLICT)
		if key, _ := survey.ErrorKey(err); key != "manager_shown_answered" {
			t.Errorf("key = %q", key)
		}
		set.ManagerShown, set.Limits = false, survey.NominationLimits{Peer: 2}
		if err := db.SetRoundSettings(ctx, round.ID, set); err != nil {
			t.Errorf("the limits still change: %v", err)
		}
	})
	t.Run("a closed round keeps its settings", func(t *testing.T) {
		if err := db.CloseRound(ctx, round.ID, 5); err != nil {
			t.Fatal(err)
		}
		err := db.SetRoundSettings(ctx, round.ID, data.RoundSettings{Kind: survey.ThreeSixty, SeveralManagers: true})
		wantCode(t, err, survey.ECLOSED)
	})
}
