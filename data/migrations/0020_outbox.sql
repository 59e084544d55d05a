-- 0020_outbox: the durable outbox of mail (DESIGN C16). Never edit this
-- file once released; add a new numbered file instead.
--
-- A message is queued in the transaction that causes it (invitations
-- sent, a reminder day reached, a round closed) and sent by one worker
-- (internal/mail). Nothing of the message is kept: no address, no text,
-- no link. It is rendered when sent, from its invitation; so erasing the
-- person, or deleting the round, deletes it (the cascade from
-- invitations).
--
-- tag makes a message unique: an invitation's link serial ('s1'), a
-- reminder's day ('d7'), '' for the thank-you. Each is queued once.
--
-- Never twice: the worker marks a message 'sending' and commits before it
-- talks to the relay, and 'sent' after. A message still 'sending' when
-- its claim has run out (next_attempt_at) was cut off mid-send: it
-- becomes 'unknown' and is not sent again by itself. 'failed' is a
-- permanent refusal or too many temporary ones. last_error is the relay's
-- reply with the recipient's address taken out.
CREATE TABLE outbox (
	id              INTEGER PRIMARY KEY,
	kind            TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder', 'thanks')),
	invitation_id   INTEGER NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
	tag             TEXT NOT NULL DEFAULT '',
	status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'unknown')),
	attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	next_attempt_at TEXT NOT NULL,
	last_error      TEXT NOT NULL DEFAULT '',
	created_at      TEXT NOT NULL,
	sent_at         TEXT NULL,
	UNIQUE (kind, invitation_id, tag)
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_invitation ON outbox (invitation_id);
