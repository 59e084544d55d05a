package data

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// TestStoredInstrumentWithoutThirdPerson: a file stored before every item
// needed its third-person form (an organisation's own) still reads, so its
// rounds read as they were asked; raters cannot be given such a round, and
// the refusal names the item.
func TestStoredInstrumentWithoutThirdPerson(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, err := Open(filepath.Join(t.TempDir(), "legacy.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	raw := regexp.MustCompile(`(?m)^\s*other\.(da|en) = .*\n`).ReplaceAll(survey.DefaultInstrumentFile(), nil)
	raw = []byte(strings.Replace(string(raw), `version = "2026.2"`, `version = "legacy"`, 1))
	if _, err := survey.ParseInstrument(raw); survey.ErrorCode(err) != survey.EINVALID {
		t.Fatalf("ParseInstrument of a file without third person: %v, want EINVALID", err)
	}
	if err := d.EnsureInstrument(ctx, &survey.Instrument{Version: "legacy"}, raw); survey.ErrorCode(err) != survey.EINVALID {
		t.Fatalf("EnsureInstrument: %v, want EINVALID", err)
	}
	// As an earlier version stored it.
	if _, err := d.write.ExecContext(ctx, "INSERT INTO instruments (version, body) VALUES ('legacy', ?)", raw); err != nil {
		t.Fatal(err)
	}
	in, err := d.FindInstrument(ctx, "legacy")
	if err != nil || in.ItemCount() != 44 {
		t.Fatalf("FindInstrument(legacy) = %v, want the stored file", err)
	}
	leader := survey.Person{Email: "ada@example.dk", Name: "Ada"}
	if err := d.CreatePerson(ctx, &leader); err != nil {
		t.Fatal(err)
	}
	r := survey.Round{Name: "Gammel", Status: survey.RoundOpen, InstrumentVersion: "legacy"}
	if err := d.CreateRound(ctx, &r); err != nil {
		t.Fatal(err)
	}
	_, err = d.ImportRaters(ctx, r.ID, []csvfile.RaterRow{{Line: 2, SubjectEmail: leader.Email, RaterEmail: "bo@example.dk", Relation: survey.Peer}}, nil)
	if survey.ErrorCode(err) != survey.EINVALID || !strings.Contains(survey.ErrorMessage(err), `item "trust.1": the third-person form`) {
		t.Fatalf("ImportRaters = %v, want EINVALID naming trust.1", err)
	}
	if got, err := d.FindRoundByID(ctx, r.ID); err != nil || got.Kind == survey.ThreeSixty {
		t.Errorf("round %+v (%v), want it left self-only", got, err)
	}
}
