package main

import (
	"strings"
	"testing"

	"lederradar/internal/mailtest"
)

// TestInvitationsSend sends a round's invitations through a real relay
// (on this machine, so --smtp-tls none, with AUTH PLAIN): each person
// once, nothing on a second run, everyone again with --resend.
func TestInvitationsSend(t *testing.T) {
	t.Parallel()
	relay := mailtest.Start(t, mailtest.Options{TLS: mailtest.None, User: "lederradar", Password: "relæ-kodeord"})
	dir := t.TempDir()
	dbPath := dir + "/lr.db"
	mustRun(t, "", "import", "people", "--db", dbPath, writeFile(t, dir, "people.csv", peopleCSV))
	mustRun(t, "", "round", "create", "--db", dbPath, "Forår 2027", "--closes", "2027-03-31")
	send := []string{"invitations", "send", "--db", dbPath, "--round", "Forår 2027", "--base-url", "https://lederradar.kommune.dk",
		"--smtp-addr", relay.Addr, "--smtp-from", "Lederradar <lederradar@kommune.dk>", "--smtp-user", "lederradar",
		"--smtp-password-file", writeFile(t, dir, "password", "relæ-kodeord\n"), "--smtp-tls", "none"}
	people := strings.Count(strings.TrimSpace(peopleCSV), "\n") // lines less the header

	out, _ := mustRun(t, "", send...)
	if want := "invitations queued; "; !strings.Contains(out, want) || len(relay.Messages()) != people {
		t.Fatalf("first run printed %q; the relay took %d messages, want %d", out, len(relay.Messages()), people)
	}
	if !strings.Contains(out, "messages sent, 0 failed") {
		t.Errorf("first run printed %q", out)
	}
	for _, m := range relay.Messages() {
		d, err := m.Decode()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(d.Text, "https://lederradar.kommune.dk/i/") || !strings.Contains(d.Text, "31-03-2027") {
			t.Errorf("message to %v lacks the link or the close date:\n%s", m.To, d.Text)
		}
	}

	out, _ = mustRun(t, "", send...)
	if !strings.Contains(out, "0 invitations queued; 0 messages sent") || len(relay.Messages()) != people {
		t.Errorf("second run printed %q; the relay has %d messages, want %d", out, len(relay.Messages()), people)
	}

	out, _ = mustRun(t, "", append(send, "--resend")...)
	if !strings.Contains(out, "links mailed before stopped working") || len(relay.Messages()) != 2*people {
		t.Errorf("--resend printed %q; the relay has %d messages, want %d", out, len(relay.Messages()), 2*people)
	}
	db := mustOpenDB(t, dbPath)
	r, err := db.FindRoundByName(t.Context(), "Forår 2027")
	if err != nil {
		t.Fatal(err)
	}
	wantAudit(t, db, "invitations.mail", "round:"+itoa(r.ID))
	db.Close()

	t.Run("the link file is an export", func(t *testing.T) {
		csvArgs := []string{"invitations", "--db", dbPath, "--round", "Forår 2027", "--base-url", "https://lederradar.kommune.dk", "--smtp-addr", relay.Addr}
		if _, _, err := runCmd(t, "", csvArgs...); err == nil || !strings.Contains(err.Error(), "--export-links") {
			t.Errorf("the link file without --export-links: %v", err)
		}
		mustRun(t, "", append(csvArgs, "--export-links", "--out", dir+"/links.csv")...)
	})
}
