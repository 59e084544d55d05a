package web

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"lederradar/data"
	"lederradar/survey"
)

// testServer is a server on an empty temp-file database with the default
// instrument.
func testServer(tb testing.TB) (*Server, *data.DB, *survey.Instrument) {
	tb.Helper()
	db, err := data.Open(filepath.Join(tb.TempDir(), "web.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	in, err := survey.DefaultInstrument()
	if err != nil {
		tb.Fatal(err)
	}
	if err := db.EnsureInstrument(context.Background(), in, survey.DefaultInstrumentFile()); err != nil {
		tb.Fatal(err)
	}
	s, err := New(Config{DB: db, Instrument: in, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "http://127.0.0.1:8080"})
	if err != nil {
		tb.Fatal(err)
	}
	return s, db, in
}
