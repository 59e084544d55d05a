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

// startOnce starts the binary on a free loopback port, times it until it
// answers /healthz with 200, and stops it again.
func startOnce(ctx context.Context, bin, db string) (time.Duration, error) {
	s, d, err := startServer(ctx, bin, db)
	if err != nil {
		return 0, err
	}
	s.stop()
	return d, nil
}

// server is a lederradar binary that lrload started.
type server struct {
	cmd  *exec.Cmd
	addr string // host:port on the loopback interface
}

// startServer starts the binary on a free loopback port and polls /healthz
// every millisecond until it answers 200; it returns the server and how
// long that took.
func startServer(ctx context.Context, bin, db string) (*server, time.Duration, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, 0, err
	}
	addr := ln.Addr().String()
	_ = ln.Close() // only its free port was wanted
	// #nosec G204 -- the lederradar binary under test, named by whoever runs the tool
	cmd := exec.CommandContext(ctx, bin, "serve", "--addr", addr, "--db", db, "--log-level", "warn")
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	client := &http.Client{Timeout: 100 * time.Millisecond, Transport: &http.Transport{DisableKeepAlives: true}}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	s := &server{cmd: cmd, addr: addr}
	deadline := start.Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := client.Get("http://" + addr + "/healthz")
		if err == nil {
			_ = resp.Body.Close() // only the status matters
			if resp.StatusCode == http.StatusOK {
				return s, time.Since(start), nil
			}
		}
		time.Sleep(time.Millisecond)
	}
	s.stop()
	return nil, 0, errors.New("startup: /healthz did not answer 200 within 30 s")
}

// pid is the server's process id.
func (s *server) pid() int { return s.cmd.Process.Pid }

// stop ends the server and waits for it.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM) // it may have exited already
	_ = s.cmd.Wait()                          // its exit status after SIGTERM says nothing
}
