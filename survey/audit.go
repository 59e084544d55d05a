package survey

import "time"

// AuditEntry is one line of the audit log: who did what to what, when
// (UTC). It never holds answers, passwords or tokens.
type AuditEntry struct {
	ID     int64
	At     time.Time
	Actor  string // "user:12", "token:3", "cli", "leader:45"
	Action string // e.g. "login", "export.items", "profile.view", "person.update"
	Target string // e.g. "round:3", "person:17"
	Detail string // free text without personal data
}
