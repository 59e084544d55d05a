package crashtest

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/mailtest"
)

// TestMailNeverTwice runs `lederradar invitations send` against a real
// relay and kills it with SIGKILL while the relay is taking the third
// message: the sender is gone before it knows whether the message went.
// A second run sends the rest and not that one; every recipient gets at
// most one message, and once its claim has run out the cut-off message
// counts as unknown, never queued again.
//
//	go test -run TestMailNeverTwice -v ./internal/crashtest/
func TestMailNeverTwice(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: skipped with -short")
	}
	bin := binary(t)
	dbPath := filepath.Join(t.TempDir(), "mail.db")
	s := seed(t, dbPath, crashLeaders)

	holding := make(chan []string, 1)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	var mu sync.Mutex
	begun := 0
	relay := mailtest.Start(t, mailtest.Options{TLS: mailtest.None, BeforeData: func(rcpt []string) {
		mu.Lock()
		begun++
		n := begun
		mu.Unlock()
		if n == 3 {
			holding <- rcpt
			<-release // until the sender is dead, and after
		}
	}})
	args := []string{"invitations", "send", "--db", dbPath, "--round", "Efterår 2026", "--base-url", "https://lederradar.example.dk",
		"--smtp-addr", relay.Addr, "--smtp-from", "lederradar@example.dk", "--smtp-tls", "none", "--smtp-rate", "6000"}

	var out bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = childEnv(), &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var cut []string
	select {
	case cut = <-holding:
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("the relay never got a third message; output:\n%s", out.String())
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait() // "signal: killed"
	if n := len(relay.Messages()); n != 2 {
		t.Fatalf("the relay took %d messages before the kill, want 2", n)
	}

	// Run again: the rest go, the one cut off does not.
	again := exec.Command(bin, args...)
	again.Env = childEnv()
	if b, err := again.CombinedOutput(); err != nil {
		t.Fatalf("second run: %v\n%s", err, b)
	} else if !strings.Contains(string(b), "0 invitations queued; 5 messages sent, 0 failed") {
		t.Errorf("second run printed:\n%s", b)
	}
	got := relay.Messages()
	if len(got) != crashLeaders-1 {
		t.Errorf("the relay took %d messages in all, want %d (all but the one cut off)", len(got), crashLeaders-1)
	}
	seen := map[string]int{}
	for _, m := range got {
		for _, to := range m.To {
			seen[strings.ToLower(to)]++
		}
	}
	for to, n := range seen {
		if n > 1 {
			t.Errorf("%s got %d messages", to, n)
		}
	}
	if len(cut) != 1 || seen[strings.ToLower(cut[0])] != 0 {
		t.Errorf("the message cut off (to %v) was delivered %d times after the kill", cut, seen[strings.ToLower(cut[0])])
	}

	// Once the claim has run out, the cut-off message is unknown.
	db, err := data.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Now = func() time.Time { return time.Now().Add(10 * time.Minute) }
	if n, err := db.RecoverOutbox(context.Background()); err != nil || n != 1 {
		t.Errorf("RecoverOutbox = %d, %v; want the 1 message cut off", n, err)
	}
	counts, err := db.FindOutboxCounts(context.Background(), s.roundID)
	if err != nil {
		t.Fatal(err)
	}
	byStatus := map[data.MailStatus]int{}
	for _, c := range counts {
		byStatus[c.Status] += c.N
	}
	if byStatus[data.MailSent] != crashLeaders-1 || byStatus[data.MailUnknown] != 1 || len(byStatus) != 2 {
		t.Errorf("outbox = %v, want %d sent and 1 unknown", byStatus, crashLeaders-1)
	}
	t.Logf("mail crash: killed mid-send of the 3rd of %d invitations; the second run sent %d; deliveries per recipient at most 1; 1 unknown, never retried",
		crashLeaders, len(got)-2)
}
