package crashtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	backupLeaders = 8
	// backupsTaken is how many online backups are taken under load.
	backupsTaken = 3
)

// TestBackupUnderLoad takes online backups with the real CLI (`lederradar
// backup --db DB FILE`) while the server takes submissions, then, for
// every copy: PRAGMA integrity_check must say ok, every answer, form and
// submission acknowledged before that backup started must be in it, and a
// server started on the copy (the restore drill) must show the leaders
// exactly those answers. A backup onto an existing file must be refused
// and leave the file as it was.
//
//	go test -run TestBackupUnderLoad -v ./internal/crashtest/
func TestBackupUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("backup test: skipped with -short")
	}
	began := time.Now()
	bin := binary(t)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "live.db")
	s := seed(t, dbPath, backupLeaders)
	srv := newServer(t, bin, dbPath)
	srv.start()

	seedValue := uint64(time.Now().UnixNano())
	t.Logf("random seed %d", seedValue)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop := make(chan struct{})
	var leaders []*leaderRun
	var wg sync.WaitGroup
	for i, l := range s.leaders {
		lr := newLeaderRun(i, l, s.in, srv, seedValue)
		leaders = append(leaders, lr)
		wg.Go(func() { lr.work(ctx, stop) })
	}

	// The backups start once every leader's posts are being stored.
	deadline := time.Now().Add(30 * time.Second)
	for !allAcked(leaders, 5) {
		if time.Now().After(deadline) {
			t.Fatalf("the load did not start within 30s; server output:\n%s", srv.logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}

	var copies []string
	var snaps []snapshot
	var took []time.Duration
	for i := range backupsTaken {
		if i > 0 {
			time.Sleep(300 * time.Millisecond) // let the load run
		}
		path := filepath.Join(dir, fmt.Sprintf("backup-%d.db", i+1))
		// Everything acknowledged by now must be in the copy.
		snaps = append(snaps, takeSnapshot(leaders))
		start := time.Now()
		out, err := backupCmd(bin, dbPath, path)
		took = append(took, time.Since(start))
		if err != nil {
			t.Fatalf("lederradar backup (%d): %v\n%s", i+1, err, out)
		}
		if got := strings.TrimSpace(string(out)); got != path {
			t.Errorf("lederradar backup printed %q, want %q", got, path)
		}
		copies = append(copies, path)
	}

	// Onto an existing file, under load as well: refused, file untouched.
	before := fileSum(t, copies[0])
	out, err := backupCmd(bin, dbPath, copies[0])
	refused := err != nil && bytes.Contains(out, []byte("already exists"))
	if !refused {
		t.Errorf("backup onto an existing file: %v, %q; want it refused with \"already exists\"", err, out)
	}
	if fileSum(t, copies[0]) != before {
		t.Errorf("backup onto an existing file changed it")
	}

	time.Sleep(200 * time.Millisecond)
	// The leaders finish the post under way: nothing is left in flight.
	close(stop)
	wg.Wait()
	srv.stop()
	srv.checkLogs()

	// The live database after a clean stop has everything.
	live := integrity(t, dbPath)
	if live != "ok" {
		t.Errorf("live database: PRAGMA integrity_check = %q", live)
	}
	liveTally := checkDB(t, openDB(t, dbPath), s, leaders, takeSnapshot(leaders))
	report(t, "live database", liveTally)
	if liveTally.unacked != 0 {
		t.Errorf("%d posts were never acknowledged: the server was not available during the backups", liveTally.unacked)
	}

	pages := len(s.in.Competences)
	var okCopies, drillOK, drillAnswers int
	for i, path := range copies {
		res := integrity(t, path)
		if res == "ok" {
			okCopies++
		} else {
			t.Errorf("backup %d: PRAGMA integrity_check = %q", i+1, res)
		}
		db := openDB(t, path)
		tl := checkDB(t, db, s, leaders, snaps[i])
		tl.unexpectedRes = nil // reported with the live database
		report(t, fmt.Sprintf("backup %d", i+1), tl)
		stored := map[int]map[string]int{}
		for j, l := range leaders {
			resp, err := db.FindResponse(context.Background(), s.roundID, l.seeded.personID, l.seeded.personID)
			stored[j] = map[string]int{}
			if err == nil {
				for id, v := range resp.Answers {
					stored[j][id] = int(v)
				}
			}
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}

		// The restore drill: serve the copy and look at every leader's
		// pages through HTTP.
		rs := newServer(t, bin, path)
		rs.start()
		drill := tally{}
		failed := false
		for j, l := range leaders {
			got, err := answersOverHTTP(context.Background(), l, rs, pages)
			if err != nil {
				t.Errorf("restore drill on backup %d, leader %d: %v", i+1, j, err)
				failed = true
				continue
			}
			if !maps.Equal(got, stored[j]) {
				t.Errorf("restore drill on backup %d, leader %d: pages show %v, the copy holds %v", i+1, j, got, stored[j])
				failed = true
			}
			l.mu.Lock()
			attempts := append([]*attempt(nil), l.attempts...)
			l.mu.Unlock()
			checkAnswers(&drill, fmt.Sprintf("drill %d leader %d", i+1, j), attempts, snaps[i][j], got)
			drillAnswers += len(got)
		}
		rs.stop()
		rs.checkLogs()
		if drill.lost != 0 || drill.wrong != 0 {
			t.Errorf("restore drill on backup %d: lost %d, wrong %d:\n%s", i+1, drill.lost, drill.wrong, strings.Join(drill.problems, "\n"))
			failed = true
		}
		if !failed {
			drillOK++
		}
		t.Logf("DURABILITY backup %d: taken in %v under load; integrity_check=%s; acknowledged before it: saves=%d answers=%d submissions=%d; lost=%d wrong=%d duplicates=%d; restore drill: server on the copy showed %d answers, lost=%d",
			i+1, took[i].Round(time.Millisecond), res, tl.ackedSaves, tl.ackedAnswers, tl.ackedSubmits, tl.lost, tl.wrong, tl.duplicates, drill.itemsChecked, drill.lost)
	}
	t.Logf("DURABILITY backup: backups under load=%d integrity ok=%d restore drills ok=%d answers shown by the restored servers=%d; overwrite refused=%v; live database after the load: acknowledged saves=%d answers=%d lost=%d duplicates=%d integrity_check=%s; total %v",
		len(copies), okCopies, drillOK, drillAnswers, refused, liveTally.ackedSaves, liveTally.ackedAnswers, liveTally.lost, liveTally.duplicates, live, time.Since(began).Round(time.Millisecond))
}

// allAcked reports whether every leader has at least n acknowledged posts.
func allAcked(leaders []*leaderRun, n int) bool {
	for _, l := range leaders {
		l.mu.Lock()
		acked := 0
		for _, a := range l.attempts {
			if a.acked {
				acked++
			}
		}
		l.mu.Unlock()
		if acked < n {
			return false
		}
	}
	return true
}

func backupCmd(bin, db, path string) ([]byte, error) {
	cmd := exec.Command(bin, "backup", "--db", db, path)
	cmd.Env = childEnv()
	return cmd.CombinedOutput()
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}
