-- 0003_retention: when a round was closed, so that closed rounds and their
-- answers can be deleted once the retention period has passed. Never edit
-- this file once released; add a new numbered file instead.
--
-- Times are UTC text in the fixed-width form 2006-01-02T15:04:05Z, so that
-- text comparison orders them.

ALTER TABLE rounds ADD COLUMN closed_at TEXT NULL;

-- Rounds closed before this migration did not record when. The announced
-- close date stands in for it where that date has passed, else the time of
-- this migration.
UPDATE rounds
SET closed_at = min(
	coalesce(closes_at, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
	strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
WHERE status = 'closed';

CREATE INDEX rounds_closed ON rounds (status, closed_at);
