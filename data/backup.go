package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"lederradar/survey"
)

// Backup writes a consistent copy of the live database to path with
// VACUUM INTO, while the service keeps running; copying the file itself
// could catch it half-written. An existing file is never overwritten.
func (d *DB) Backup(ctx context.Context, path string) error {
	if path == "" {
		return survey.Errorf(survey.EINVALID, "backup path is required")
	}
	// Absolute, so SQLite cannot read it as a "file:" URI.
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("data: unable to resolve backup path: %w", err)
	}
	// The backup is created here, empty and readable by the owner only,
	// because VACUUM INTO would create it with SQLite's default mode
	// (0644 less the umask); it accepts an empty file. O_EXCL also makes
	// "never overwrite" hold against a file that appears meanwhile.
	if err := createPrivateFile(abs); errors.Is(err, fs.ErrExist) {
		return survey.Errorf(survey.ECONFLICT, "%s already exists; choose a new file for the backup", path)
	} else if err != nil {
		return fmt.Errorf("data: unable to create backup %s: %w", path, err)
	}
	if err := d.vacuumInto(ctx, abs); err != nil {
		_ = os.Remove(abs) // an empty or half-written file is no backup
		return fmt.Errorf("data: unable to back up to %s: %w", path, err)
	}
	// VACUUM INTO does not sync what it wrote; a backup that a power cut
	// can lose is no backup.
	if err := syncFile(abs); err != nil {
		return fmt.Errorf("data: unable to sync backup %s: %w", path, err)
	}
	if err := syncFile(filepath.Dir(abs)); err != nil {
		return fmt.Errorf("data: unable to sync backup directory: %w", err)
	}
	return nil
}

// vacuumInto copies the database into the empty file abs.
func (d *DB) vacuumInto(ctx context.Context, abs string) error {
	// The read pool is query_only, which refuses VACUUM INTO, and the
	// write handle's one connection would hold up every save for the
	// length of the copy; a connection of its own does neither. VACUUM INTO
	// only reads the source, in one snapshot.
	h, err := sql.Open("sqlite", dsn(d.path, writeParams))
	if err != nil {
		return err
	}
	defer h.Close()
	h.SetMaxOpenConns(1)
	if _, err := h.ExecContext(ctx, "VACUUM INTO ?", abs); err != nil {
		return err
	}
	return h.Close()
}

func syncFile(path string) error {
	f, err := os.Open(path) // #nosec G304 -- the backup file and its directory, named by the administrator
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close() // the sync error is the one to report
		return err
	}
	return f.Close()
}
