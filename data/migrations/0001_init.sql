-- 0001_init: the first schema. Never edit this file once released; add a
-- new numbered file instead.
--
-- Times are UTC text in the fixed-width form 2006-01-02T15:04:05Z, so that
-- text comparison orders them.

-- The raw file of every instrument version a round used, so old results
-- always read against the items that were asked.
CREATE TABLE instruments (
	version TEXT PRIMARY KEY,
	body    BLOB NOT NULL
);

-- Departments (each person in at most one) and cross-cutting teams. The
-- organisation as a whole is not a row: it is everyone.
CREATE TABLE groups (
	id   INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('department', 'team')),
	name TEXT NOT NULL COLLATE NOCASE CHECK (length(trim(name)) > 0),
	UNIQUE (kind, name)
);

CREATE TABLE people (
	id            INTEGER PRIMARY KEY,
	email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
	name          TEXT NOT NULL,
	department_id INTEGER NULL REFERENCES groups (id) ON DELETE SET NULL
);
CREATE INDEX people_department ON people (department_id);
CREATE INDEX people_name ON people (name, id);

CREATE TABLE team_members (
	team_id   INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
	person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	PRIMARY KEY (team_id, person_id)
) WITHOUT ROWID;
CREATE INDEX team_members_person ON team_members (person_id);

CREATE TABLE rounds (
	id                 INTEGER PRIMARY KEY,
	name               TEXT NOT NULL UNIQUE COLLATE NOCASE,
	status             TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
	instrument_version TEXT NOT NULL REFERENCES instruments (version),
	opens_at           TEXT NULL,
	closes_at          TEXT NULL,
	created_at         TEXT NOT NULL
);
CREATE INDEX rounds_created ON rounds (created_at, id);
CREATE INDEX rounds_instrument ON rounds (instrument_version);

-- One personal link per rater, subject and round. person_id is the rater
-- (who holds the link), subject_id the person assessed: the same person for
-- a self-assessment, another for 360. Only the SHA-256 of the token is kept.
CREATE TABLE invitations (
	id         INTEGER PRIMARY KEY,
	round_id   INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
	person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	subject_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	relation   TEXT NOT NULL CHECK (relation IN ('self', 'manager', 'peer', 'employee')),
	token_hash TEXT NOT NULL UNIQUE,
	created_at TEXT NOT NULL,
	UNIQUE (round_id, person_id, subject_id),
	CHECK ((relation = 'self') = (person_id = subject_id))
);
CREATE INDEX invitations_person ON invitations (person_id);
CREATE INDEX invitations_subject ON invitations (subject_id);

-- Sessions a link was exchanged for. invitation_id is nullable so that a
-- later migration can add HR and administrator sessions (a user_id column)
-- to the same table.
CREATE TABLE sessions (
	token_hash    TEXT PRIMARY KEY,
	invitation_id INTEGER NULL REFERENCES invitations (id) ON DELETE CASCADE,
	created_at    TEXT NOT NULL,
	last_seen_at  TEXT NOT NULL,
	expires_at    TEXT NOT NULL,
	idle_seconds  INTEGER NOT NULL CHECK (idle_seconds > 0)
) WITHOUT ROWID;
CREATE INDEX sessions_invitation ON sessions (invitation_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- A rater's answers about a subject in a round. Self-assessment is the case
-- rater = subject.
CREATE TABLE responses (
	id           INTEGER PRIMARY KEY,
	round_id     INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
	subject_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	rater_id     INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	relation     TEXT NOT NULL CHECK (relation IN ('self', 'manager', 'peer', 'employee')),
	submitted_at TEXT NULL,
	UNIQUE (round_id, subject_id, rater_id),
	CHECK ((relation = 'self') = (subject_id = rater_id))
);
CREATE INDEX responses_subject ON responses (subject_id);
CREATE INDEX responses_rater ON responses (rater_id);

-- The answers themselves: personal data, so nothing but the value. No
-- timestamps, no addresses. 0 is "don't know".
CREATE TABLE answers (
	response_id INTEGER NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
	item_id     TEXT NOT NULL,
	value       INTEGER NOT NULL CHECK (value BETWEEN 0 AND 5),
	PRIMARY KEY (response_id, item_id)
) WITHOUT ROWID;

-- Idempotency keys of posted forms: a key seen before means the post is a
-- repeat and changes nothing.
CREATE TABLE form_keys (
	key         TEXT PRIMARY KEY,
	response_id INTEGER NOT NULL REFERENCES responses (id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX form_keys_response ON form_keys (response_id);
