package data

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// privateFileMode is the mode of the database, its -wal and -shm and every
// backup: they hold personal data, so only the account the service runs as
// may read them.
const privateFileMode fs.FileMode = 0o600

// createPrivateFile creates path, which must not exist, with
// privateFileMode. The mode is set with chmod after the create, so a umask
// that would leave more bits set, or fewer, changes nothing.
func createPrivateFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, privateFileMode) // #nosec G304 -- the database or backup file the administrator named
	if err != nil {
		return err
	}
	if err := f.Chmod(privateFileMode); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// restrictDatabaseFiles makes the database at path readable by its owner
// only before SQLite opens it: a missing file is created 0600, and an
// existing one (from an older version or a copy) and its -wal, -shm and
// -journal lose every group and other bit. SQLite creates -wal, -shm and
// -journal with the database file's own mode (os_unix.c: findCreateFileMode,
// and robust_open, which chmods a new file to that mode whatever the
// umask), so they follow the file made here.
func restrictDatabaseFiles(path string) error {
	err := createPrivateFile(path)
	if err == nil {
		return nil
	}
	if !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("data: unable to create %s: %w", path, err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("data: unable to check %s: %w", p, err)
		}
		if fi.Mode().Perm()&0o077 == 0 {
			continue
		}
		if err := os.Chmod(p, fi.Mode().Perm()&^0o077); err != nil {
			return fmt.Errorf("data: unable to make %s readable by its owner only: %w", p, err)
		}
	}
	return nil
}
