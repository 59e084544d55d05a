package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"syscall"
	"time"
)

// runStartup is `lrload startup`: how long the real binary takes from
// being started to answering /healthz with 200, on a given database.
func runStartup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("startup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	bin := fs.String("bin", "./lederradar", "the lederradar binary")
	dbPath := fs.String("db", "", "database to serve")
	runs := fs.Int("runs", 10, "starts to time")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *dbPath == "" || *runs < 1 || *runs > 100 {
		fmt.Fprintln(stderr, "startup: --db and 1–100 --runs are required")
		return errUsage
	}
	var times []time.Duration
	for range *runs {
		d, err := startOnce(ctx, *bin, *dbPath)
		if err != nil {
			return err
		}
		times = append(times, d)
		fmt.Fprintf(stdout, "BenchmarkStartup\t1\t%d ns/op\t%s ms\n", d.Nanoseconds(), ms(d))
	}
	slices.Sort(times)
	fmt.Fprintf(stdout, "start-up to healthy /healthz over %d runs: min %s ms, median %s ms, max %s ms\n",
		len(times), ms(times[0]), ms(percentile(times, 50)), ms(times[len(times)-1]))
	return nil
}

// startOnce starts the binary on a free loopback port, polls /healthz
// every millisecond until it answers 200, and stops the binary again.
func startOnce(ctx context.Context, bin, db string) (time.Duration, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	addr := ln.Addr().String()
	_ = ln.Close() // only its free port was wanted
	// #nosec G204 -- the lederradar binary under test, named by whoever runs the tool
	cmd := exec.CommandContext(ctx, bin, "serve", "--addr", addr, "--db", db, "--log-level", "warn")
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	client := &http.Client{Timeout: 100 * time.Millisecond, Transport: &http.Transport{DisableKeepAlives: true}}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM) // it may have exited already
		_ = cmd.Wait()                          // its exit status after SIGTERM says nothing
	}()
	deadline := start.Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := client.Get("http://" + addr + "/healthz")
		if err == nil {
			_ = resp.Body.Close() // only the status matters
			if resp.StatusCode == http.StatusOK {
				return time.Since(start), nil
			}
		}
		time.Sleep(time.Millisecond)
	}
	return 0, errors.New("startup: /healthz did not answer 200 within 30 s")
}
