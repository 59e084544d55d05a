package data

import (
	"context"
	"fmt"
	"time"

	"lederradar/survey"
)

// LinkOpening is one time a personal link was exchanged for a session in
// a browser that held no session for it: what its leader is shown, so
// that they notice when someone else opened their link.
type LinkOpening struct {
	OpenedAt time.Time
	// Browser and OS are coarse families as codes ("chrome", "windows";
	// "other" when not recognised), never the User-Agent itself.
	Browser, OS string
	// Current says that this opening made the session that asked.
	Current bool
}

// LinkSession is a session to be made by opening a personal link: the
// hash of its token, the invitation, its lifetimes, and the browser that
// opened the link.
type LinkSession struct {
	TokenHash    string
	InvitationID int64
	Idle, MaxAge time.Duration
	Browser, OS  string
}

// OpenLink creates the session of an opened link, as CreateSession does,
// and records the opening (LinkOpening), in one transaction: no session
// comes from a link unrecorded.
func (d *DB) OpenLink(ctx context.Context, ls LinkSession) error {
	if !validDeviceCode(ls.Browser) || !validDeviceCode(ls.OS) {
		return survey.Errorf(survey.EINVALID, "browser and operating system must be short codes, not %q and %q", ls.Browser, ls.OS)
	}
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("data: unable to begin opening link: %w", err)
	}
	defer tx.Rollback()
	if err := d.openLink(ctx, tx, ls); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: unable to commit opening link: %w", err)
	}
	return nil
}

// openLink creates the session and records the opening, as OpenLink
// does, in tx.
func (d *DB) openLink(ctx context.Context, tx queryer, ls LinkSession) error {
	now := d.now()
	if err := d.insertSession(ctx, tx, ls.TokenHash, ls.InvitationID, ls.Idle, ls.MaxAge, now); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO link_openings (invitation_id, opened_at, browser, os, session_hash)
		VALUES (?, ?, ?, ?, ?)`,
		ls.InvitationID, formatTime(now), ls.Browser, ls.OS, ls.TokenHash); err != nil {
		return fmt.Errorf("data: unable to record link opening: %w", err)
	}
	return nil
}

// validDeviceCode keeps the device columns to what they are for: a short
// family code, never a User-Agent string.
func validDeviceCode(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// FindLinkOpenings returns the openings of an invitation's link, the
// newest first, at most limit of them (all when limit ≤ 0), marking the
// one that made the session with token hash current.
func (d *DB) FindLinkOpenings(ctx context.Context, invitationID int64, current string, limit int) ([]LinkOpening, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := d.read.QueryContext(ctx, `
		SELECT opened_at, browser, os, session_hash = ? FROM link_openings
		WHERE invitation_id = ? ORDER BY opened_at DESC, id DESC LIMIT ?`,
		current, invitationID, limit)
	if err != nil {
		return nil, fmt.Errorf("data: unable to find link openings: %w", err)
	}
	defer rows.Close()
	out := []LinkOpening{}
	for rows.Next() {
		var o LinkOpening
		var opened string
		if err := rows.Scan(&opened, &o.Browser, &o.OS, &o.Current); err != nil {
			return nil, fmt.Errorf("data: unable to find link openings: %w", err)
		}
		if o.OpenedAt, err = parseTime(opened); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: unable to find link openings: %w", err)
	}
	return out, nil
}
