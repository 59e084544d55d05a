-- 0021_sso_sign_ins: sign-ins with the organisation's OpenID Connect
-- provider that have been started and not yet finished (DESIGN C16).
-- Never edit this file once released; add a new numbered file instead.
--
-- A sign-in leaves for the provider with a state, a nonce and a PKCE
-- code challenge; what the browser must not see (the nonce and the code
-- verifier) waits here under the hash of the state until the provider
-- sends the browser back. Finishing takes the row and deletes it in one
-- statement, so a state works once: a replayed callback finds nothing.
-- Rows live ten minutes; older ones are deleted as new ones come.
--
-- purpose is what the sign-in is for ('staff': HR and administrators,
-- 'leader': a leader's rounds) and next where it returns. Nothing here
-- names a person: who signs in is known only when the sign-in finishes.
CREATE TABLE sso_sign_ins (
	state_hash TEXT PRIMARY KEY,
	nonce      TEXT NOT NULL,
	verifier   TEXT NOT NULL,
	purpose    TEXT NOT NULL CHECK (purpose IN ('staff', 'leader')),
	next       TEXT NOT NULL DEFAULT '',
	expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX sso_sign_ins_expires ON sso_sign_ins (expires_at);
