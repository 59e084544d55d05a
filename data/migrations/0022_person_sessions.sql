-- 0022_person_sessions: a leader signed in with the organisation's
-- provider, as an alternative to their personal links (DESIGN C16).
-- Never edit this file once released; add a new numbered file instead.
--
-- Such a session belongs to a person, not to one invitation: it lists
-- the rounds the person is invited to, and opening one makes the same
-- invitation session (sessions) a personal link makes, recorded in
-- link_openings as a link opening is. It gives nothing else: no answers,
-- no result, no other person's invitation. Only the hash of its token is
-- kept, and it ends as a leader's session does (idle and hard end).
--
-- The row goes with the person (erasure; the foreign key as well).
CREATE TABLE person_sessions (
	token_hash   TEXT PRIMARY KEY,
	person_id    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	created_at   TEXT NOT NULL,
	last_seen_at TEXT NOT NULL,
	expires_at   TEXT NOT NULL,
	idle_seconds INTEGER NOT NULL CHECK (idle_seconds > 0)
) WITHOUT ROWID;
CREATE INDEX person_sessions_person ON person_sessions (person_id);
CREATE INDEX person_sessions_expires ON person_sessions (expires_at);
