package crashtest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/survey"
)

const (
	// crashLeaders post concurrently, each with their own link and session.
	crashLeaders = 8
	// killCycles is how often the server is killed with SIGKILL.
	killCycles = 12
	// The server runs this long (at random) between kills, once it
	// answers.
	minUptime = 200 * time.Millisecond
	maxUptime = 700 * time.Millisecond
)

// TestCrash runs the real binary under concurrent submissions and kills it
// with SIGKILL at random moments, restarting it each time; the last kill
// ends the run. Then every post that was acknowledged (303 after the
// commit) must be stored with its values, nothing twice, and the file must
// pass PRAGMA integrity_check.
//
//	go test -run TestCrash -v ./internal/crashtest/
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: skipped with -short")
	}
	began := time.Now()
	bin := binary(t)
	built := time.Now()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "crash.db")
	s := seed(t, dbPath, crashLeaders)

	srv := newServer(t, bin, dbPath)
	srv.start()

	seedValue := uint64(time.Now().UnixNano())
	t.Logf("random seed %d", seedValue)
	rng := rand.New(rand.NewPCG(seedValue, 0))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var leaders []*leaderRun
	var wg sync.WaitGroup
	for i, l := range s.leaders {
		lr := newLeaderRun(i, l, s.in, srv, seedValue)
		leaders = append(leaders, lr)
		wg.Go(func() { lr.work(ctx, nil) })
	}

	kills := 0
	var snap snapshot
	var images imageTally
	image := filepath.Join(dir, "image.db")
	for kills < killCycles {
		// The server runs a random while; the check of the last kill's
		// files runs meanwhile, under load.
		uptime := minUptime + time.Duration(rng.Int64N(int64(maxUptime-minUptime)))
		up := time.Now()
		if kills > 0 {
			checkImage(t, image, s, leaders, snap, &images)
		}
		time.Sleep(time.Until(up.Add(uptime)))
		srv.kill()
		kills++
		// What the dead server left: the acknowledgements so far, and a
		// copy of its files, so that the next start recovers the very
		// files the kill left and the copy is checked on its own.
		snap = takeSnapshot(leaders)
		copyImage(t, dbPath, image)
		if kills < killCycles {
			srv.start()
		}
	}
	checkImage(t, image, s, leaders, snap, &images)
	// The server is dead; what the leaders still try now cannot be
	// acknowledged, and is abandoned.
	cancel()
	wg.Wait()
	srv.checkLogs()
	loadTook := time.Since(built)

	// What a restart after the last kill finds: data.Open recovers the WAL.
	result := integrity(t, dbPath)
	if result != "ok" {
		t.Errorf("PRAGMA integrity_check = %q, want ok", result)
	}
	db := openDB(t, dbPath)
	tl := checkDB(t, db, s, leaders, takeSnapshot(leaders))
	report(t, "crash", tl)
	if tl.ackedSaves < 100 {
		t.Errorf("only %d acknowledged saves: the load was too light to prove anything", tl.ackedSaves)
	}
	if tl.replays == 0 || tl.retries == 0 {
		t.Errorf("replays %d, retries after a kill %d: want both", tl.replays, tl.retries)
	}
	t.Logf("DURABILITY crash: kill cycles=%d server starts=%d leaders=%d acknowledged saves=%d acknowledged answers=%d acknowledged submissions=%d leaders submitted=%d replayed forms=%d retries after a kill=%d unacknowledged in flight=%d items checked=%d lost=%d wrong=%d duplicates=%d integrity_check=%s",
		kills, srv.starts, crashLeaders, tl.ackedSaves, tl.ackedAnswers, tl.ackedSubmits, tl.submitted, tl.replays, tl.retries, tl.unacked, tl.itemsChecked, tl.lost, tl.wrong, tl.duplicates, result)
	t.Logf("DURABILITY crash images: %d checked after a kill, integrity_check ok in %d, acknowledged answers lost %d, posts in flight at a kill %d of which stored though unacknowledged %d (their retry was answered as a repeat)",
		images.checked, images.ok, images.lost, images.inFlight, images.committedUnacked)
	if images.checked != kills || images.ok != kills || images.lost != 0 {
		t.Errorf("crash images: %+v", images)
	}
	t.Logf("DURABILITY crash timing: binary built in %v (once per test process), load and kills %v, this test %v",
		buildTook.Round(time.Millisecond), loadTook.Round(time.Millisecond), time.Since(began).Round(time.Millisecond))
}

// imageTally sums the checks of the files each kill left.
type imageTally struct {
	checked, ok, lost, inFlight, committedUnacked int
}

// copyImage copies the database and its WAL as a kill left them.
func copyImage(t *testing.T, dbPath, image string) {
	t.Helper()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(image + suffix)
	}
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(dbPath + suffix)
		if errors.Is(err, fs.ErrNotExist) && suffix != "" {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(image+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// checkImage opens the copy of what a kill left as a restart would
// (recovering the WAL), runs integrity_check, and compares every leader's
// answers with what had been acknowledged by the kill (snap). The posts
// still in flight show whether a kill fell between COMMIT and the answer:
// such a post is stored though unacknowledged, and its retry must be taken
// as a repeat.
func checkImage(t *testing.T, image string, s seeded, leaders []*leaderRun, snap snapshot, it *imageTally) {
	t.Helper()
	ctx := context.Background()
	db, err := data.Open(image)
	if err != nil {
		t.Fatalf("crash image %d: data.Open: %v", it.checked+1, err)
	}
	defer db.Close()
	it.checked++
	if res, err := db.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	} else if res == "ok" {
		it.ok++
	} else {
		t.Errorf("crash image %d: integrity_check = %q", it.checked, res)
	}
	var tl tally
	for i, l := range leaders {
		l.mu.Lock()
		attempts := append([]*attempt(nil), l.attempts...)
		l.mu.Unlock()
		got := map[string]int{}
		resp, err := db.FindResponse(ctx, s.roundID, l.seeded.personID, l.seeded.personID)
		if err == nil {
			for id, v := range resp.Answers {
				got[id] = int(v)
			}
		} else if survey.ErrorCode(err) != survey.ENOTFOUND {
			t.Fatal(err)
		}
		acked := snap[i]
		checkAnswers(&tl, fmt.Sprintf("image %d leader %d", it.checked, l.idx), attempts[:len(acked)], acked, got)
		if n := len(acked); n > 0 && !acked[n-1] {
			it.inFlight++
			if _, err := db.FindFormKey(ctx, attempts[n-1].key); err == nil {
				it.committedUnacked++
			}
		}
	}
	it.lost += tl.lost + tl.wrong
	if tl.lost+tl.wrong > 0 {
		t.Errorf("crash image %d: lost %d, wrong %d:\n%s", it.checked, tl.lost, tl.wrong, strings.Join(tl.problems, "\n"))
	}
}

// report fails the test on anything a check found.
func report(t *testing.T, what string, tl tally) {
	t.Helper()
	if tl.lost != 0 || tl.wrong != 0 || tl.duplicates != 0 {
		t.Errorf("%s: lost %d, wrong %d, duplicates %d:\n%s", what, tl.lost, tl.wrong, tl.duplicates, strings.Join(tl.problems, "\n"))
	}
	if len(tl.unexpectedRes) > 0 {
		t.Errorf("%s: unexpected answers from the server:\n%s", what, strings.Join(tl.unexpectedRes, "\n"))
	}
}
