-- 0006_progress_counts: per round and group, how many of the group's
-- members have a personal link (invited), have started and have submitted
-- their self-assessment, so that HR's response rates of a large
-- organisation are a few rows rather than a walk over everyone.
-- Never edit this file once released; add a new numbered file instead.
--
-- group_id is a department's or a team's id, or 0 for the organisation as
-- a whole (everyone). The counts are derived data, kept right by the
-- triggers below in the same transaction as every change they count,
-- whatever code path makes it: a link issued or deleted, a response
-- started, submitted or deleted, a team membership added or removed, a
-- person moved to another department or erased, a group deleted. Rows are
-- never created by a reader; a missing row counts zero.
--
-- A person's flags in a round, as the triggers recompute them:
--   invited   a self link (invitations.subject_id = person_id)
--   started   a self response (responses.rater_id = subject_id)
--   submitted that response has submitted_at
-- Cascaded deletes see the parent row already gone: a person's erasure
-- takes their counts off in people_delete_counts, before the cascade, and
-- the triggers on the cascaded rows do nothing once the person (or the
-- team) no longer exists.

CREATE TABLE progress_counts (
	round_id  INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
	group_id  INTEGER NOT NULL,
	invited   INTEGER NOT NULL DEFAULT 0,
	started   INTEGER NOT NULL DEFAULT 0,
	submitted INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (round_id, group_id)
) WITHOUT ROWID;

-- The overview lists groups as a round's report does: departments, then
-- teams, each by name in byte order (the report's order, which also
-- breaks the anonymity rule's ties). This index lets a page of it be read
-- without sorting every group.
CREATE INDEX groups_report_order ON groups (kind, name COLLATE BINARY, id);

-- Links and responses never move to another round or person (nothing in
-- Lederradar does that; delete and create instead), so the counts need no
-- rule for it.
CREATE TRIGGER invitations_never_move BEFORE UPDATE OF round_id, person_id, subject_id ON invitations
WHEN OLD.round_id IS NOT NEW.round_id OR OLD.person_id IS NOT NEW.person_id OR OLD.subject_id IS NOT NEW.subject_id
BEGIN
	SELECT RAISE(ABORT, 'an invitation never moves to another round or person');
END;

CREATE TRIGGER responses_never_move BEFORE UPDATE OF round_id, subject_id, rater_id ON responses
WHEN OLD.round_id IS NOT NEW.round_id OR OLD.subject_id IS NOT NEW.subject_id OR OLD.rater_id IS NOT NEW.rater_id
BEGIN
	SELECT RAISE(ABORT, 'a response never moves to another round or person');
END;

CREATE TRIGGER invitations_insert_counts AFTER INSERT ON invitations
WHEN NEW.subject_id = NEW.person_id
BEGIN
	INSERT INTO progress_counts (round_id, group_id, invited)
	SELECT NEW.round_id, g, 1 FROM (
		SELECT 0 AS g
		UNION ALL SELECT department_id FROM people WHERE id = NEW.person_id AND department_id IS NOT NULL
		UNION ALL SELECT team_id FROM team_members WHERE person_id = NEW.person_id
	) WHERE true
	ON CONFLICT (round_id, group_id) DO UPDATE SET invited = invited + 1;
END;

CREATE TRIGGER invitations_delete_counts AFTER DELETE ON invitations
WHEN OLD.subject_id = OLD.person_id AND EXISTS (SELECT 1 FROM people WHERE id = OLD.person_id)
BEGIN
	UPDATE progress_counts SET invited = invited - 1
	WHERE round_id = OLD.round_id AND group_id IN (
		SELECT 0
		UNION ALL SELECT department_id FROM people WHERE id = OLD.person_id AND department_id IS NOT NULL
		UNION ALL SELECT team_id FROM team_members WHERE person_id = OLD.person_id
	);
END;

CREATE TRIGGER responses_insert_counts AFTER INSERT ON responses
WHEN NEW.rater_id = NEW.subject_id
BEGIN
	INSERT INTO progress_counts (round_id, group_id, started, submitted)
	SELECT NEW.round_id, g, 1, NEW.submitted_at IS NOT NULL FROM (
		SELECT 0 AS g
		UNION ALL SELECT department_id FROM people WHERE id = NEW.subject_id AND department_id IS NOT NULL
		UNION ALL SELECT team_id FROM team_members WHERE person_id = NEW.subject_id
	) WHERE true
	ON CONFLICT (round_id, group_id) DO UPDATE SET started = started + 1, submitted = submitted + excluded.submitted;
END;

CREATE TRIGGER responses_submit_counts AFTER UPDATE OF submitted_at ON responses
WHEN NEW.rater_id = NEW.subject_id AND (OLD.submitted_at IS NULL) != (NEW.submitted_at IS NULL)
BEGIN
	UPDATE progress_counts SET submitted = submitted + iif(NEW.submitted_at IS NULL, -1, 1)
	WHERE round_id = NEW.round_id AND group_id IN (
		SELECT 0
		UNION ALL SELECT department_id FROM people WHERE id = NEW.subject_id AND department_id IS NOT NULL
		UNION ALL SELECT team_id FROM team_members WHERE person_id = NEW.subject_id
	);
END;

CREATE TRIGGER responses_delete_counts AFTER DELETE ON responses
WHEN OLD.rater_id = OLD.subject_id AND EXISTS (SELECT 1 FROM people WHERE id = OLD.subject_id)
BEGIN
	UPDATE progress_counts SET started = started - 1, submitted = submitted - (OLD.submitted_at IS NOT NULL)
	WHERE round_id = OLD.round_id AND group_id IN (
		SELECT 0
		UNION ALL SELECT department_id FROM people WHERE id = OLD.subject_id AND department_id IS NOT NULL
		UNION ALL SELECT team_id FROM team_members WHERE person_id = OLD.subject_id
	);
END;

-- A person's flags per round, for the triggers that add or take off all
-- of them at once.
CREATE TRIGGER team_members_insert_counts AFTER INSERT ON team_members
BEGIN
	INSERT INTO progress_counts (round_id, group_id, invited, started, submitted)
	SELECT round_id, NEW.team_id, max(i), max(s), max(u) FROM (
		SELECT round_id, 1 AS i, 0 AS s, 0 AS u FROM invitations WHERE person_id = NEW.person_id AND subject_id = NEW.person_id
		UNION ALL SELECT round_id, 0, 1, submitted_at IS NOT NULL FROM responses WHERE subject_id = NEW.person_id AND rater_id = NEW.person_id
	) WHERE true GROUP BY round_id
	ON CONFLICT (round_id, group_id) DO UPDATE SET
		invited = invited + excluded.invited, started = started + excluded.started, submitted = submitted + excluded.submitted;
END;

CREATE TRIGGER team_members_delete_counts AFTER DELETE ON team_members
WHEN EXISTS (SELECT 1 FROM people WHERE id = OLD.person_id) AND EXISTS (SELECT 1 FROM groups WHERE id = OLD.team_id)
BEGIN
	UPDATE progress_counts SET invited = invited - f.i, started = started - f.s, submitted = submitted - f.u
	FROM (
		SELECT round_id, max(i) AS i, max(s) AS s, max(u) AS u FROM (
			SELECT round_id, 1 AS i, 0 AS s, 0 AS u FROM invitations WHERE person_id = OLD.person_id AND subject_id = OLD.person_id
			UNION ALL SELECT round_id, 0, 1, submitted_at IS NOT NULL FROM responses WHERE subject_id = OLD.person_id AND rater_id = OLD.person_id
		) GROUP BY round_id
	) AS f
	WHERE progress_counts.round_id = f.round_id AND progress_counts.group_id = OLD.team_id;
END;

CREATE TRIGGER people_department_counts AFTER UPDATE OF department_id ON people
WHEN OLD.department_id IS NOT NEW.department_id
BEGIN
	UPDATE progress_counts SET invited = invited - f.i, started = started - f.s, submitted = submitted - f.u
	FROM (
		SELECT round_id, max(i) AS i, max(s) AS s, max(u) AS u FROM (
			SELECT round_id, 1 AS i, 0 AS s, 0 AS u FROM invitations WHERE person_id = NEW.id AND subject_id = NEW.id
			UNION ALL SELECT round_id, 0, 1, submitted_at IS NOT NULL FROM responses WHERE subject_id = NEW.id AND rater_id = NEW.id
		) GROUP BY round_id
	) AS f
	WHERE OLD.department_id IS NOT NULL AND progress_counts.round_id = f.round_id AND progress_counts.group_id = OLD.department_id;

	INSERT INTO progress_counts (round_id, group_id, invited, started, submitted)
	SELECT round_id, NEW.department_id, max(i), max(s), max(u) FROM (
		SELECT round_id, 1 AS i, 0 AS s, 0 AS u FROM invitations WHERE person_id = NEW.id AND subject_id = NEW.id
		UNION ALL SELECT round_id, 0, 1, submitted_at IS NOT NULL FROM responses WHERE subject_id = NEW.id AND rater_id = NEW.id
	) WHERE NEW.department_id IS NOT NULL GROUP BY round_id
	ON CONFLICT (round_id, group_id) DO UPDATE SET
		invited = invited + excluded.invited, started = started + excluded.started, submitted = submitted + excluded.submitted;
END;

CREATE TRIGGER people_delete_counts BEFORE DELETE ON people
BEGIN
	UPDATE progress_counts SET invited = invited - f.i, started = started - f.s, submitted = submitted - f.u
	FROM (
		SELECT round_id, max(i) AS i, max(s) AS s, max(u) AS u FROM (
			SELECT round_id, 1 AS i, 0 AS s, 0 AS u FROM invitations WHERE person_id = OLD.id AND subject_id = OLD.id
			UNION ALL SELECT round_id, 0, 1, submitted_at IS NOT NULL FROM responses WHERE subject_id = OLD.id AND rater_id = OLD.id
		) GROUP BY round_id
	) AS f
	WHERE progress_counts.round_id = f.round_id AND progress_counts.group_id IN (
		SELECT 0
		UNION ALL SELECT OLD.department_id WHERE OLD.department_id IS NOT NULL
		UNION ALL SELECT team_id FROM team_members WHERE person_id = OLD.id
	);
END;

CREATE TRIGGER groups_delete_counts AFTER DELETE ON groups
BEGIN
	-- Round by round, along the primary key, rather than a scan.
	DELETE FROM progress_counts WHERE round_id IN (SELECT id FROM rounds) AND group_id = OLD.id;
END;

-- The counts of the rounds already there.
INSERT INTO progress_counts (round_id, group_id, invited, started, submitted)
SELECT f.round_id, m.group_id, sum(f.i), sum(f.s), sum(f.u)
FROM (
	SELECT person_id, round_id, max(i) AS i, max(s) AS s, max(u) AS u FROM (
		SELECT person_id, round_id, 1 AS i, 0 AS s, 0 AS u FROM invitations WHERE subject_id = person_id
		UNION ALL SELECT subject_id, round_id, 0, 1, submitted_at IS NOT NULL FROM responses WHERE rater_id = subject_id
	) GROUP BY person_id, round_id
) AS f
JOIN (
	SELECT id AS person_id, 0 AS group_id FROM people
	UNION ALL SELECT id, department_id FROM people WHERE department_id IS NOT NULL
	UNION ALL SELECT person_id, team_id FROM team_members
) AS m ON m.person_id = f.person_id
WHERE true
GROUP BY f.round_id, m.group_id;
