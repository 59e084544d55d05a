// Package mail sends Lederradar's mail through the organisation's own
// SMTP relay (DESIGN C16): invitations with the personal link,
// reminders to those who have not submitted, and a thank-you when a
// round closes, in the recipient's language, as plain text with an HTML
// alternative.
//
// Messages wait in the database's outbox (data.ClaimOutbox and friends),
// queued in the transaction that causes them; a Worker claims each one
// before it talks to the relay, so that none is sent twice, retries
// temporary failures with backoff, gives up on permanent ones, and keeps
// to the relay's rate. Nothing of a message is stored: it is written
// from its invitation when it is sent. Composing and SMTP are
// github.com/wneessen/go-mail's, which only this package imports.
package mail
