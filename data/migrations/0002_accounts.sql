-- 0002_accounts: HR and administrator accounts, their sessions, log-in
-- throttling, API tokens and the audit log. Never edit this file once
-- released; add a new numbered file instead.
--
-- Times are UTC text in the fixed-width form 2006-01-02T15:04:05Z, so that
-- text comparison orders them.

-- HR and administrator accounts. Leaders have none: their personal link is
-- their key. password_hash is a PHC string (argon2id); the password itself
-- is never stored.
CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
	role          TEXT NOT NULL CHECK (role IN ('hr', 'admin')),
	password_hash TEXT NOT NULL CHECK (length(password_hash) > 0),
	created_at    TEXT NOT NULL,
	disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
);

-- A session belongs either to an invitation (a leader) or to a user (HR,
-- administrator), never both and never neither, so one kind can never be
-- taken for the other.
ALTER TABLE sessions ADD COLUMN user_id INTEGER NULL REFERENCES users (id) ON DELETE CASCADE
	CHECK ((user_id IS NULL) <> (invitation_id IS NULL));
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed log-ins per account (the e-mail typed, folded to lower case),
-- never per address: a forged X-Forwarded-For must not reset the count.
-- Unknown e-mails are counted too, so behaviour does not reveal which
-- accounts exist. Rows older than a day are pruned as new ones come.
CREATE TABLE login_failures (
	email TEXT NOT NULL COLLATE NOCASE,
	at    TEXT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, at);
CREATE INDEX login_failures_at ON login_failures (at);

-- Bearer tokens for the read-only API. Only the SHA-256 of the token is
-- kept; a revoked token stays listed, so the audit log's "token:N" still
-- names something.
CREATE TABLE api_tokens (
	id         INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,
	role       TEXT NOT NULL CHECK (role IN ('hr', 'admin')),
	name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
	created_at TEXT NOT NULL,
	revoked_at TEXT NULL
);

-- Who did what to what, when. Never answers, passwords or tokens.
CREATE TABLE audit_log (
	id     INTEGER PRIMARY KEY,
	at     TEXT NOT NULL,
	actor  TEXT NOT NULL CHECK (length(actor) > 0),
	action TEXT NOT NULL CHECK (length(action) > 0),
	target TEXT NOT NULL DEFAULT '',
	detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at, id);
