-- 0018_team_maps: a cross-cutting team's own map, by consent (DESIGN
-- C14). Never edit this file once released; add a new numbered file
-- instead.
--
-- A member of a team may share their own radar with the team's other
-- members, for one round, until they withdraw: one row per round, team
-- and person, with the time the consent was given. No row, no sharing:
-- withdrawing deletes the row. Only the team's members read these rows,
-- through their own pages; no HR or administrator page, export, API or
-- aggregate reads them.
--
-- The row goes with the person (erasure), the round (retention) and the
-- team (deleted by an administrator): a consent given to a group that is
-- gone is given to no one.

CREATE TABLE team_map_consents (
	round_id  INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
	team_id   INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
	person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	given_at  TEXT NOT NULL,
	PRIMARY KEY (round_id, team_id, person_id)
) WITHOUT ROWID;
CREATE INDEX team_map_consents_person ON team_map_consents (person_id);
CREATE INDEX team_map_consents_team ON team_map_consents (team_id);

-- Leaving a team withdraws the consent given to it in a round not yet
-- closed, whose map reads today's members: joining again later must not
-- bring back a consent given before. A closed round's map reads the
-- members it kept at its close, so there the consent stays.
CREATE TRIGGER team_members_leave_withdraws AFTER DELETE ON team_members
BEGIN
	DELETE FROM team_map_consents
	WHERE team_id = OLD.team_id AND person_id = OLD.person_id
		AND round_id IN (SELECT id FROM rounds WHERE status != 'closed');
END;

-- What a leader has been shown of others in a round: others' radars on a
-- team map, or group means on their result — never both. Together they
-- would undo the anonymity rule: a team's mean over six, less the five
-- radars its sharers showed, is the sixth member's scores. So whichever a
-- leader is shown first in a round is kept here, and the other stays
-- closed to them in that round (data.ClaimRoundView). The row is about
-- the viewer, so it holds whoever shared withdraws or is erased since; it
-- goes with the viewer (erasure) and the round (retention).
CREATE TABLE round_views (
	round_id  INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
	person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	kind      TEXT NOT NULL CHECK (kind IN ('radars', 'means')),
	at        TEXT NOT NULL,
	PRIMARY KEY (round_id, person_id)
) WITHOUT ROWID;
CREATE INDEX round_views_person ON round_views (person_id);
