-- 0007_round_groups: the departments and teams of a round as they were
-- when it closed. Never edit this file once released; add a new numbered
-- file instead.
--
-- A closed round's profiles are HR's to see, and must never change again
-- but by an erasure: were they counted over today's departments and teams,
-- moving one person into a team and back would show the team with and
-- without that person's answers, and so the answers (the reason a round
-- never reopens either). So closing a round keeps its groups and their
-- members, by the trigger below, whatever closes it; a closed round's
-- report reads them instead of groups, people.department_id and
-- team_members. A group deleted or renamed since is kept as it was. The
-- organisation as a whole is everyone who was there at the close: people
-- ids only grow (migration 0005), so rounds.last_person_id, the highest
-- id then, tells them from those who came later. An erased person's rows
-- go with them (ON DELETE CASCADE).

ALTER TABLE rounds ADD COLUMN last_person_id INTEGER NULL;

-- A group's id now outlives the group — in round_groups, in the audit log
-- ("group:12") and in the API ("team-12"), where HR compares a group
-- across rounds by it — so, as for people (0005), an id is never given to
-- another group: groups are created above this floor
-- (data.insertGroupSQL), and deleting one raises it.
CREATE TABLE groups_id_floor (id INTEGER NOT NULL);
INSERT INTO groups_id_floor (id)
SELECT max(
	coalesce((SELECT max(id) FROM groups), 0),
	coalesce((SELECT max(CAST(substr(target, 7) AS INTEGER)) FROM audit_log WHERE target LIKE 'group:%'), 0));

CREATE TRIGGER groups_id_floor_on_delete AFTER DELETE ON groups
WHEN OLD.id > (SELECT id FROM groups_id_floor)
BEGIN
	UPDATE groups_id_floor SET id = OLD.id;
END;

CREATE TABLE round_groups (
	round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
	group_id INTEGER NOT NULL, -- the group's id then; it may since be gone
	kind     TEXT NOT NULL CHECK (kind IN ('department', 'team')),
	name     TEXT NOT NULL,
	PRIMARY KEY (round_id, group_id)
) WITHOUT ROWID;

CREATE TABLE round_members (
	round_id  INTEGER NOT NULL,
	group_id  INTEGER NOT NULL,
	person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	PRIMARY KEY (round_id, group_id, person_id),
	FOREIGN KEY (round_id, group_id) REFERENCES round_groups (round_id, group_id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX round_members_person ON round_members (person_id);

CREATE TRIGGER rounds_close_keeps_groups AFTER UPDATE OF status ON rounds
WHEN NEW.status = 'closed' AND OLD.status != 'closed'
BEGIN
	UPDATE rounds SET last_person_id = (SELECT coalesce(max(id), 0) FROM people) WHERE id = NEW.id;
	INSERT INTO round_groups (round_id, group_id, kind, name)
	SELECT NEW.id, id, kind, name FROM groups;
	INSERT INTO round_members (round_id, group_id, person_id)
	SELECT NEW.id, department_id, id FROM people WHERE department_id IS NOT NULL;
	INSERT INTO round_members (round_id, group_id, person_id)
	SELECT NEW.id, team_id, person_id FROM team_members;
END;

-- A round created closed keeps the groups of the moment too.
CREATE TRIGGER rounds_insert_closed_keeps_groups AFTER INSERT ON rounds
WHEN NEW.status = 'closed'
BEGIN
	UPDATE rounds SET last_person_id = (SELECT coalesce(max(id), 0) FROM people) WHERE id = NEW.id;
	INSERT INTO round_groups (round_id, group_id, kind, name)
	SELECT NEW.id, id, kind, name FROM groups;
	INSERT INTO round_members (round_id, group_id, person_id)
	SELECT NEW.id, department_id, id FROM people WHERE department_id IS NOT NULL;
	INSERT INTO round_members (round_id, group_id, person_id)
	SELECT NEW.id, team_id, person_id FROM team_members;
END;

-- Rounds closed before this migration: today's groups and people are the
-- best there is, and from now on they stay.
UPDATE rounds SET last_person_id = (SELECT coalesce(max(id), 0) FROM people) WHERE status = 'closed';
INSERT INTO round_groups (round_id, group_id, kind, name)
SELECT r.id, g.id, g.kind, g.name FROM rounds r, groups g WHERE r.status = 'closed';
INSERT INTO round_members (round_id, group_id, person_id)
SELECT r.id, p.department_id, p.id FROM rounds r, people p
WHERE r.status = 'closed' AND p.department_id IS NOT NULL;
INSERT INTO round_members (round_id, group_id, person_id)
SELECT r.id, m.team_id, m.person_id FROM rounds r, team_members m WHERE r.status = 'closed';
