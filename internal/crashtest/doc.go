// Package crashtest proves Lederradar's durability promises (DESIGN.md,
// "Durability"; C3) against the real binary. It has no code of its own: its
// tests build cmd/lederradar, drive it over HTTP with concurrent
// submissions, kill it with SIGKILL at random moments, take online backups
// under load, and start the server on a backup as a restore drill. The
// figures they print are the ones in docs/assurance.md.
package crashtest
