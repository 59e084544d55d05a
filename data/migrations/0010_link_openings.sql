-- 0010_link_openings: every time a personal link was exchanged for a
-- session in a browser that held none for it, so that its leader sees
-- whether someone else opened it (the administrator's link file can
-- answer as anyone). Never edit this file once released; add a new
-- numbered file instead.
--
-- Kept: when, and the browser and operating system families (codes such
-- as 'chrome' and 'windows', read coarsely from the User-Agent). Never the
-- User-Agent itself, the link's token or an address. session_hash is the
-- hash of the session the opening made, as sessions keeps it, so that the
-- leader's pages can say which opening is "this browser"; the session
-- itself may be long gone. The rows go with the invitation: an erasure
-- and the retention period delete them (data.ErasePerson,
-- data.DeleteExpiredRounds), the foreign key as well.
CREATE TABLE link_openings (
	id            INTEGER PRIMARY KEY,
	invitation_id INTEGER NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
	opened_at     TEXT NOT NULL,
	browser       TEXT NOT NULL,
	os            TEXT NOT NULL,
	session_hash  TEXT NOT NULL
);
CREATE INDEX link_openings_invitation ON link_openings (invitation_id, opened_at);
