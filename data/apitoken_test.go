package data_test

import (
	"context"
	"testing"
	"time"

	"lederradar/internal/auth"
	"lederradar/survey"
)

func TestAPITokens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	clk := newClock(db)

	token, hash := auth.NewToken()
	tok := &survey.APIToken{Role: survey.RoleHR, Name: "Løn-BI"}
	if err := db.CreateAPIToken(ctx, tok, hash); err != nil {
		t.Fatal(err)
	}
	created := clk.Now()
	clk.Add(time.Minute)
	_, hash2 := auth.NewToken()
	tok2 := &survey.APIToken{Role: survey.RoleHR, Name: "Intranet"}
	if err := db.CreateAPIToken(ctx, tok2, hash2); err != nil {
		t.Fatal(err)
	}

	t.Run("found by hash", func(t *testing.T) {
		got, err := db.FindAPITokenByHash(ctx, auth.HashToken(token))
		if err != nil {
			t.Fatal(err)
		}
		want := survey.APIToken{ID: tok.ID, Role: survey.RoleHR, Name: "Løn-BI", CreatedAt: created}
		if *got != want {
			t.Errorf("FindAPITokenByHash = %+v, want %+v", *got, want)
		}
		if *tok != want {
			t.Errorf("CreateAPIToken filled in %+v, want %+v", *tok, want)
		}
		_, err = db.FindAPITokenByHash(ctx, auth.HashToken("unknown"))
		wantCode(t, err, survey.ENOTFOUND)
	})

	t.Run("refusals", func(t *testing.T) {
		_, h := auth.NewToken()
		for _, tc := range []struct {
			name string
			tok  survey.APIToken
			hash string
			want string
		}{
			{"raw token", survey.APIToken{Role: survey.RoleHR, Name: "x"}, token, survey.EINVALID},
			{"no name", survey.APIToken{Role: survey.RoleHR, Name: "  "}, h, survey.EINVALID},
			{"unknown role", survey.APIToken{Role: "leader", Name: "x"}, h, survey.EINVALID},
			{"hash in use", survey.APIToken{Role: survey.RoleHR, Name: "x"}, hash, survey.ECONFLICT},
		} {
			t.Run(tc.name, func(t *testing.T) {
				wantCode(t, db.CreateAPIToken(ctx, &tc.tok, tc.hash), tc.want)
			})
		}
	})

	t.Run("revoke", func(t *testing.T) {
		clk.Add(time.Hour)
		revoked := clk.Now()
		if err := db.RevokeAPIToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		_, err := db.FindAPITokenByHash(ctx, hash)
		wantCode(t, err, survey.ENOTFOUND)
		if _, err := db.FindAPITokenByHash(ctx, hash2); err != nil {
			t.Errorf("other token after revoke: %v", err)
		}
		// Revoking again keeps the first time.
		clk.Add(time.Hour)
		if err := db.RevokeAPIToken(ctx, tok.ID); err != nil {
			t.Errorf("second RevokeAPIToken: %v", err)
		}
		wantCode(t, db.RevokeAPIToken(ctx, 9999), survey.ENOTFOUND)

		all, err := db.FindAPITokens(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(all), 2; got != want {
			t.Fatalf("len(FindAPITokens) = %d, want %d", got, want)
		}
		if all[0].ID != tok2.ID || all[1].ID != tok.ID {
			t.Errorf("FindAPITokens ids = %d, %d; want %d, %d (newest first)", all[0].ID, all[1].ID, tok2.ID, tok.ID)
		}
		if got, want := all[1].RevokedAt, revoked; !got.Equal(want) {
			t.Errorf("RevokedAt = %v, want %v", got, want)
		}
		if !all[0].RevokedAt.IsZero() {
			t.Errorf("live token has RevokedAt %v", all[0].RevokedAt)
		}
	})
}

func TestAudit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	clk := newClock(db)

	t.Run("empty", func(t *testing.T) {
		got, err := db.FindAudit(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if got == nil || len(got) != 0 {
			t.Errorf("FindAudit on an empty log = %#v, want an empty list", got)
		}
	})

	start := clk.Now()
	entries := []survey.AuditEntry{
		{Actor: "user:1", Action: "login"},
		{Actor: "user:1", Action: "profile.view", Target: "round:3", Detail: "team 7"},
		{Actor: "cli", Action: "export.items", Target: "round:3"},
	}
	for _, e := range entries {
		e.At = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) // ignored
		if err := db.AddAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	clk.Add(time.Second)
	if err := db.AddAudit(ctx, survey.AuditEntry{Actor: "token:2", Action: "api.profiles"}); err != nil {
		t.Fatal(err)
	}

	t.Run("newest first", func(t *testing.T) {
		got, err := db.FindAudit(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range got {
			actions = append(actions, e.Action)
		}
		want := []string{"api.profiles", "export.items", "profile.view", "login"}
		if len(actions) != len(want) {
			t.Fatalf("actions = %v, want %v", actions, want)
		}
		for i := range want {
			if actions[i] != want[i] {
				t.Fatalf("actions = %v, want %v", actions, want)
			}
		}
		if got, want := got[0].At, start.Add(time.Second); !got.Equal(want) {
			t.Errorf("At = %v, want %v (from Now)", got, want)
		}
		if e := got[2]; e.Actor != "user:1" || e.Target != "round:3" || e.Detail != "team 7" || !e.At.Equal(start) || e.ID == 0 {
			t.Errorf("entry = %+v, want the profile.view entry as added, at %v", e, start)
		}
	})

	t.Run("limit", func(t *testing.T) {
		got, err := db.FindAudit(ctx, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Action != "api.profiles" || got[1].Action != "export.items" {
			t.Errorf("FindAudit(2) = %+v, want the two newest", got)
		}
	})

	t.Run("refusals", func(t *testing.T) {
		wantCode(t, db.AddAudit(ctx, survey.AuditEntry{Action: "login"}), survey.EINVALID)
		wantCode(t, db.AddAudit(ctx, survey.AuditEntry{Actor: "cli"}), survey.EINVALID)
	})
}
