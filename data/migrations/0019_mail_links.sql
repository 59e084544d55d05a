-- 0019_mail_links: what mail needs to carry personal links without
-- storing them (DESIGN C16). Never edit this file once released; add a
-- new numbered file instead.
--
-- Links are never stored: invitations keep only the SHA-256 of the token.
-- A link that goes out by e-mail must still be written again in each
-- reminder, without a stored token and without ending the session the
-- leader already has. So a mailed link's token is derived: HMAC-SHA256
-- under a key kept here, of the invitation's id and its link_serial
-- (data/link_key.go). The same key and serial make the same link again;
-- a new serial makes a new one and the old stops working. link_serial is
-- NULL for a link made at random (the mail-merge file) or none yet.
--
-- The key lives in the database, so a copy of the database can make
-- links, as it can already read the answers (docs/assurance.md).
CREATE TABLE link_keys (
	id  INTEGER PRIMARY KEY CHECK (id = 1),
	key BLOB NOT NULL CHECK (length(key) = 32)
);

ALTER TABLE invitations ADD COLUMN link_serial INTEGER NULL CHECK (link_serial > 0);

-- The language a person's mail is written in: the one they last chose in
-- the application (or an administrator set).
ALTER TABLE people ADD COLUMN language TEXT NOT NULL DEFAULT 'da' CHECK (language IN ('da', 'en'));

-- The days before its close on which a round reminds those who have not
-- submitted, as a comma-separated list of whole days ('' for none).
ALTER TABLE rounds ADD COLUMN reminder_days TEXT NOT NULL DEFAULT '7,2';
