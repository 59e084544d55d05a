package mail_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"lederradar/internal/mail"
	"lederradar/internal/mailtest"
)

// TestFolderCatchesTheMail sends a round's mail into a folder, as the
// demo does: one file a message, each a whole message with the same
// personal link a relay would have carried; and a thank-you links to the
// leaders' sign-in when leaders may sign in.
func TestFolderCatchesTheMail(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	f.queue(t)
	folder := filepath.Join(t.TempDir(), "demo-mail")
	w, err := mail.New(f.db, mail.Config{Folder: folder, From: "Lederradar <lederradar@demo.kommune.dk>",
		BaseURL: baseURL, MinGroup: 5, SignIn: true}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	w.Now, w.Sleep = f.clock.Now, f.clock.Sleep
	if got := sendDue(t, w); got.Sent != 3 {
		t.Fatalf("sent %+v, want 3 invitations", got)
	}
	ase, err := f.db.FindPersonByEmail(ctx, "ase@example.dk")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.SubmitResponse(ctx, f.round.ID, ase.ID, ase.ID, "self", "ase-submit"); err != nil {
		t.Fatal(err)
	}
	if err := f.db.CloseRound(ctx, f.round.ID, 5); err != nil {
		t.Fatal(err)
	}
	if got := sendDue(t, w); got.Sent != 1 {
		t.Fatalf("sent %+v, want 1 thank-you", got)
	}
	entries, err := os.ReadDir(folder)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 4 || !slices.ContainsFunc(names, func(n string) bool { return strings.HasSuffix(n, "-thanks.eml") }) {
		t.Fatalf("folder holds %v, want 3 invitations and a thank-you", names)
	}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(folder, n))
		if err != nil {
			t.Fatal(err)
		}
		d, err := mailtest.Message{Data: b}.Decode()
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		if d.Subject == "" || len(d.To) != 1 || d.Header.Get("Message-ID") == "" || d.HTML == "" {
			t.Errorf("%s is no whole message: subject %q, to %v, HTML %d bytes", n, d.Subject, d.To, len(d.HTML))
		}
		text := d.Text
		switch {
		case strings.HasSuffix(n, "-invitation.eml") && !strings.Contains(text, baseURL+"/i/"):
			t.Errorf("%s carries no personal link", n)
		case strings.HasSuffix(n, "-thanks.eml") && (!strings.Contains(text, baseURL+"/login/sso?as=leader") || strings.Contains(text, "/i/")):
			t.Errorf("%s should link to the leaders' sign-in and to no personal link:\n%s", n, text)
		}
	}
}
