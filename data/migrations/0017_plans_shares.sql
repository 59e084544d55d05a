-- 0017_plans_shares: a leader's development plans and the links they
-- share them by (DESIGN C8). Never edit this file once released; add a
-- new numbered file instead.
--
-- A plan is the leader's alone: no HR or administrator page, export or
-- aggregate reads these tables. A plan belongs to one round and one
-- person and goes with either (the leader's erasure, the round's
-- retention); the next round's result reads the previous round's plan.

CREATE TABLE plans (
	round_id   INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
	person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	revisit_on TEXT NULL, -- a day, 2006-01-02
	updated_at TEXT NOT NULL,
	PRIMARY KEY (round_id, person_id)
) WITHOUT ROWID;
CREATE INDEX plans_person ON plans (person_id);

-- seq orders a plan's focuses as the leader put them (1 to 3).
CREATE TABLE plan_focuses (
	round_id      INTEGER NOT NULL,
	person_id     INTEGER NOT NULL,
	seq           INTEGER NOT NULL CHECK (seq BETWEEN 1 AND 3),
	competence_id TEXT NOT NULL,
	actions       TEXT NOT NULL DEFAULT '',
	involve       TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (round_id, person_id, seq),
	UNIQUE (round_id, person_id, competence_id),
	FOREIGN KEY (round_id, person_id) REFERENCES plans (round_id, person_id) ON DELETE CASCADE
) WITHOUT ROWID;

-- A read-only link to one round's result and plan, for one named
-- recipient. Only the SHA-256 of the token is kept. A revoked share stays
-- listed until it would have expired, so the leader sees it ended.
CREATE TABLE shares (
	id             INTEGER PRIMARY KEY,
	round_id       INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
	person_id      INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	recipient      TEXT NOT NULL CHECK (length(trim(recipient)) > 0),
	token_hash     TEXT NOT NULL UNIQUE,
	created_at     TEXT NOT NULL,
	expires_at     TEXT NOT NULL,
	revoked_at     TEXT NULL,
	last_opened_at TEXT NULL
);
CREATE INDEX shares_person ON shares (person_id, round_id);
CREATE INDEX shares_round ON shares (round_id);
