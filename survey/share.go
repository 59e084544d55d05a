package survey

import (
	"strings"
	"time"
	"unicode/utf8"
)

// A share (DESIGN C8) is a read-only link a leader makes to their result
// and plan of one round for one named person, typically their own
// manager. It lasts until it expires or the leader revokes it, whichever
// comes first, and dies with the leader's erasure.

// Share lifetimes, in days: the default a leader is offered, and the
// longest they may choose.
const (
	DefaultShareDays = 30
	MaxShareDays     = 90
	// MaxRecipientLen bounds the recipient's name, in characters.
	MaxRecipientLen = 100
)

// Share is one link a leader made.
type Share struct {
	ID       int64
	RoundID  int64
	PersonID int64
	// Recipient names whom the leader made it for, as they typed it.
	Recipient string
	CreatedAt time.Time
	ExpiresAt time.Time
	// RevokedAt is when the leader revoked it; zero while they have not.
	RevokedAt time.Time
	// LastOpenedAt is when the link was last opened; zero if never.
	LastOpenedAt time.Time
}

// ShareState says whether a share's link shows anything at a moment.
type ShareState string

// A share is active until it is revoked or expires.
const (
	ShareActive  ShareState = "active"
	ShareRevoked ShareState = "revoked"
	ShareExpired ShareState = "expired"
)

// State is the share's state at now: revoked wins over expired, so a
// leader who revoked a link reads that they did.
func (s Share) State(now time.Time) ShareState {
	switch {
	case !s.RevokedAt.IsZero():
		return ShareRevoked
	case !now.Before(s.ExpiresAt):
		return ShareExpired
	}
	return ShareActive
}

// NewShare checks what a leader typed for a new share and returns it,
// made at now and expiring days later.
func NewShare(roundID, personID int64, recipient string, days int, now time.Time) (Share, error) {
	recipient = strings.Join(strings.Fields(recipient), " ")
	switch {
	case recipient == "":
		return Share{}, Errorf(EINVALID, "a share needs a recipient").WithKey("share_recipient")
	case utf8.RuneCountInString(recipient) > MaxRecipientLen:
		return Share{}, Errorf(EINVALID, "recipient longer than %d characters", MaxRecipientLen).WithKey("share_recipient_long", MaxRecipientLen)
	case days < 1 || days > MaxShareDays:
		return Share{}, Errorf(EINVALID, "a share lasts 1 to %d days", MaxShareDays).WithKey("share_days", MaxShareDays)
	}
	return Share{RoundID: roundID, PersonID: personID, Recipient: recipient, CreatedAt: now,
		ExpiresAt: now.AddDate(0, 0, days)}, nil
}
