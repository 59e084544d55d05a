// Command lrload generates large organisations and puts a Lederradar
// server under load, to measure it (docs/performance.md).
//
//	lrload gen     --db FILE --people N          write an organisation and its links
//	lrload run     --target URL --links FILE ...  leaders answer, HR reads; latency per step
//	lrload writes  --target URL --links FILE ...  saves and submits only, at 1, 8, 64 clients
//	lrload open    --bin BIN --db FILE ...        an open loop at fixed rates: latency a user feels
//	lrload wire    --target URL --links FILE ...  bytes on the wire of the leader's pages
//	lrload startup --bin BIN --db FILE           start-up time to a healthy /healthz
//
// It talks HTTP to loopback addresses only, and every run is bounded in
// requests and in time.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
)

var errUsage = errors.New("usage")

const usage = `Usage:
  lrload gen     --db FILE --people N [--seed S] [--links FILE] [--hr-email E] [--hr-password P]
  lrload run     --target URL --links FILE --hr-email E --hr-password P [--leaders N] [--hr N] [--duration D] [--requests N] [--pid PID]
  lrload writes  --target URL --links FILE [--clients 1,8,64] [--writes N] [--duration D]
  lrload open    (--bin BIN --db FILE | --target URL --links FILE) [--rates 100,300,1000] [--duration D] [--search] [--p99 D]
  lrload wire    --target URL --links FILE
  lrload startup --bin BIN --db FILE [--runs N]
Run "lrload CMD -h" for the flags of a command.
`

func main() { os.Exit(mainCode()) }

func mainCode() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	// LRLOAD_CPUPROFILE=FILE profiles lrload itself (the generator, say).
	if path := os.Getenv("LRLOAD_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil { // #nosec G304 G703 -- LRLOAD_CPUPROFILE, named by whoever runs the tool
			defer pprof.StopCPUProfile()
		}
	}
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, errUsage) {
			return 2
		}
		fmt.Fprintln(os.Stderr, "lrload:", err)
		return 1
	}
	return 0
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "gen":
		return runGen(ctx, args[1:], stdout, stderr)
	case "run":
		return runLoad(ctx, args[1:], stdout, stderr)
	case "writes":
		return runWrites(ctx, args[1:], stdout, stderr)
	case "open":
		return runOpen(ctx, args[1:], stdout, stderr)
	case "wire":
		return runWire(ctx, args[1:], stdout, stderr)
	case "startup":
		return runStartup(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "unknown command %q\n\n%s", args[0], usage)
	return errUsage
}
