-- 0015_rater_counts: per 360 round, group and relation, how many raters
-- have a link and how many have submitted, in links and in distinct
-- people, so that HR's open round page reads a few rows rather than every
-- rater link of the round (data.FindRaterProgress). Never edit this file
-- once released; add a new numbered file instead.
--
-- As in 0006, the counts are derived data kept right by triggers in the
-- same transaction as every change they count, whatever code path makes
-- it. group_id is a department's or team's id, or 0 for the organisation.
-- Three levels, each kept by triggers on the one below:
--
--   rater_pairs   a rater and the leader they rate in a round: linked (a
--                 link) and submitted (a submitted response). The pair
--                 counts as invited when it has either: a rating imported
--                 without a link counts too. Rows of two zeros go.
--   rater_groups  per group of the leader rated (0, the department, each
--                 team), relation and rater: their pairs and submitted
--                 pairs in that group. Rows of zeros stay, to be counted
--                 again.
--   rater_counts  per group and relation: raters (rater_groups rows with
--                 pairs), raters_submitted (with submitted pairs), and
--                 the pairs (invited, submitted).
--
-- A leader's erasure takes their pairs off in people_delete_rater_pairs,
-- before the cascade, while their memberships still stand; the triggers
-- on cascaded links and responses then find no pair to change.

CREATE TABLE rater_pairs (
	round_id   INTEGER NOT NULL,
	subject_id INTEGER NOT NULL,
	rater_id   INTEGER NOT NULL,
	relation   TEXT NOT NULL,
	linked     INTEGER NOT NULL DEFAULT 0,
	submitted  INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (round_id, subject_id, rater_id)
) WITHOUT ROWID;
CREATE INDEX rater_pairs_subject ON rater_pairs (subject_id);

CREATE TABLE rater_groups (
	round_id  INTEGER NOT NULL,
	group_id  INTEGER NOT NULL,
	relation  TEXT NOT NULL,
	rater_id  INTEGER NOT NULL,
	pairs     INTEGER NOT NULL,
	submitted INTEGER NOT NULL,
	PRIMARY KEY (round_id, group_id, relation, rater_id)
) WITHOUT ROWID;

CREATE TABLE rater_counts (
	round_id         INTEGER NOT NULL,
	group_id         INTEGER NOT NULL,
	relation         TEXT NOT NULL,
	raters           INTEGER NOT NULL,
	raters_submitted INTEGER NOT NULL,
	invited          INTEGER NOT NULL,
	submitted        INTEGER NOT NULL,
	PRIMARY KEY (round_id, group_id, relation)
) WITHOUT ROWID;

-- Links and responses make pairs.
CREATE TRIGGER invitations_insert_rater_pairs AFTER INSERT ON invitations
WHEN NEW.relation <> 'self'
BEGIN
	INSERT INTO rater_pairs (round_id, subject_id, rater_id, relation, linked)
	VALUES (NEW.round_id, NEW.subject_id, NEW.person_id, NEW.relation, 1)
	ON CONFLICT (round_id, subject_id, rater_id) DO UPDATE SET linked = 1;
END;

CREATE TRIGGER invitations_delete_rater_pairs AFTER DELETE ON invitations
WHEN OLD.relation <> 'self'
BEGIN
	UPDATE rater_pairs SET linked = 0
	WHERE round_id = OLD.round_id AND subject_id = OLD.subject_id AND rater_id = OLD.person_id;
	DELETE FROM rater_pairs
	WHERE round_id = OLD.round_id AND subject_id = OLD.subject_id AND rater_id = OLD.person_id AND linked = 0 AND submitted = 0;
END;

CREATE TRIGGER responses_insert_rater_pairs AFTER INSERT ON responses
WHEN NEW.relation <> 'self' AND NEW.submitted_at IS NOT NULL
BEGIN
	INSERT INTO rater_pairs (round_id, subject_id, rater_id, relation, submitted)
	VALUES (NEW.round_id, NEW.subject_id, NEW.rater_id, NEW.relation, 1)
	ON CONFLICT (round_id, subject_id, rater_id) DO UPDATE SET submitted = 1;
END;

CREATE TRIGGER responses_submit_rater_pairs AFTER UPDATE OF submitted_at ON responses
WHEN NEW.relation <> 'self' AND (OLD.submitted_at IS NULL) != (NEW.submitted_at IS NULL)
BEGIN
	INSERT INTO rater_pairs (round_id, subject_id, rater_id, relation, submitted)
	SELECT NEW.round_id, NEW.subject_id, NEW.rater_id, NEW.relation, 1 WHERE NEW.submitted_at IS NOT NULL
	ON CONFLICT (round_id, subject_id, rater_id) DO UPDATE SET submitted = 1;
	UPDATE rater_pairs SET submitted = 0
	WHERE NEW.submitted_at IS NULL AND round_id = NEW.round_id AND subject_id = NEW.subject_id AND rater_id = NEW.rater_id;
	DELETE FROM rater_pairs
	WHERE round_id = NEW.round_id AND subject_id = NEW.subject_id AND rater_id = NEW.rater_id AND linked = 0 AND submitted = 0;
END;

CREATE TRIGGER responses_delete_rater_pairs AFTER DELETE ON responses
WHEN OLD.relation <> 'self' AND OLD.submitted_at IS NOT NULL
BEGIN
	UPDATE rater_pairs SET submitted = 0
	WHERE round_id = OLD.round_id AND subject_id = OLD.subject_id AND rater_id = OLD.rater_id;
	DELETE FROM rater_pairs
	WHERE round_id = OLD.round_id AND subject_id = OLD.subject_id AND rater_id = OLD.rater_id AND linked = 0 AND submitted = 0;
END;

-- A pair counts in every group of the leader rated.
CREATE TRIGGER rater_pairs_insert AFTER INSERT ON rater_pairs
BEGIN
	INSERT INTO rater_groups (round_id, group_id, relation, rater_id, pairs, submitted)
	SELECT NEW.round_id, g, NEW.relation, NEW.rater_id, NEW.linked OR NEW.submitted, NEW.submitted FROM (
		SELECT 0 AS g
		UNION ALL SELECT department_id FROM people WHERE id = NEW.subject_id AND department_id IS NOT NULL
		UNION ALL SELECT team_id FROM team_members WHERE person_id = NEW.subject_id
	) WHERE true
	ON CONFLICT (round_id, group_id, relation, rater_id) DO UPDATE SET
		pairs = pairs + excluded.pairs, submitted = submitted + excluded.submitted;
END;

CREATE TRIGGER rater_pairs_update AFTER UPDATE ON rater_pairs
BEGIN
	UPDATE rater_groups SET
		pairs = pairs + (NEW.linked OR NEW.submitted) - (OLD.linked OR OLD.submitted),
		submitted = submitted + NEW.submitted - OLD.submitted
	WHERE round_id = NEW.round_id AND relation = NEW.relation AND rater_id = NEW.rater_id AND group_id IN (
		SELECT 0
		UNION ALL SELECT department_id FROM people WHERE id = NEW.subject_id AND department_id IS NOT NULL
		UNION ALL SELECT team_id FROM team_members WHERE person_id = NEW.subject_id
	);
END;

CREATE TRIGGER rater_pairs_delete AFTER DELETE ON rater_pairs
BEGIN
	UPDATE rater_groups SET
		pairs = pairs - (OLD.linked OR OLD.submitted),
		submitted = submitted - OLD.submitted
	WHERE round_id = OLD.round_id AND relation = OLD.relation AND rater_id = OLD.rater_id AND group_id IN (
		SELECT 0
		UNION ALL SELECT department_id FROM people WHERE id = OLD.subject_id AND department_id IS NOT NULL
		UNION ALL SELECT team_id FROM team_members WHERE person_id = OLD.subject_id
	);
END;

-- A rater counts once per group and relation while they have a pair there.
CREATE TRIGGER rater_groups_insert AFTER INSERT ON rater_groups
BEGIN
	INSERT INTO rater_counts (round_id, group_id, relation, raters, raters_submitted, invited, submitted)
	VALUES (NEW.round_id, NEW.group_id, NEW.relation, NEW.pairs > 0, NEW.submitted > 0, NEW.pairs, NEW.submitted)
	ON CONFLICT (round_id, group_id, relation) DO UPDATE SET
		raters = raters + excluded.raters, raters_submitted = raters_submitted + excluded.raters_submitted,
		invited = invited + excluded.invited, submitted = submitted + excluded.submitted;
END;

CREATE TRIGGER rater_groups_update AFTER UPDATE ON rater_groups
BEGIN
	UPDATE rater_counts SET
		raters = raters + (NEW.pairs > 0) - (OLD.pairs > 0),
		raters_submitted = raters_submitted + (NEW.submitted > 0) - (OLD.submitted > 0),
		invited = invited + NEW.pairs - OLD.pairs,
		submitted = submitted + NEW.submitted - OLD.submitted
	WHERE round_id = NEW.round_id AND group_id = NEW.group_id AND relation = NEW.relation;
END;

CREATE TRIGGER rater_groups_delete AFTER DELETE ON rater_groups
BEGIN
	UPDATE rater_counts SET
		raters = raters - (OLD.pairs > 0), raters_submitted = raters_submitted - (OLD.submitted > 0),
		invited = invited - OLD.pairs, submitted = submitted - OLD.submitted
	WHERE round_id = OLD.round_id AND group_id = OLD.group_id AND relation = OLD.relation;
END;

-- Memberships move a leader's pairs between groups.
CREATE TRIGGER team_members_insert_rater_groups AFTER INSERT ON team_members
BEGIN
	INSERT INTO rater_groups (round_id, group_id, relation, rater_id, pairs, submitted)
	SELECT round_id, NEW.team_id, relation, rater_id, sum(linked OR submitted), sum(submitted)
	FROM rater_pairs WHERE subject_id = NEW.person_id GROUP BY round_id, relation, rater_id
	ON CONFLICT (round_id, group_id, relation, rater_id) DO UPDATE SET
		pairs = pairs + excluded.pairs, submitted = submitted + excluded.submitted;
END;

CREATE TRIGGER team_members_delete_rater_groups AFTER DELETE ON team_members
WHEN EXISTS (SELECT 1 FROM people WHERE id = OLD.person_id) AND EXISTS (SELECT 1 FROM groups WHERE id = OLD.team_id)
BEGIN
	UPDATE rater_groups SET pairs = pairs - f.p, submitted = submitted - f.s
	FROM (
		SELECT round_id, relation, rater_id, sum(linked OR submitted) AS p, sum(submitted) AS s
		FROM rater_pairs WHERE subject_id = OLD.person_id GROUP BY round_id, relation, rater_id
	) AS f
	WHERE rater_groups.round_id = f.round_id AND rater_groups.group_id = OLD.team_id
		AND rater_groups.relation = f.relation AND rater_groups.rater_id = f.rater_id;
END;

CREATE TRIGGER people_department_rater_groups AFTER UPDATE OF department_id ON people
WHEN OLD.department_id IS NOT NEW.department_id
BEGIN
	UPDATE rater_groups SET pairs = pairs - f.p, submitted = submitted - f.s
	FROM (
		SELECT round_id, relation, rater_id, sum(linked OR submitted) AS p, sum(submitted) AS s
		FROM rater_pairs WHERE subject_id = NEW.id GROUP BY round_id, relation, rater_id
	) AS f
	WHERE OLD.department_id IS NOT NULL AND rater_groups.round_id = f.round_id
		AND rater_groups.group_id = OLD.department_id
		AND rater_groups.relation = f.relation AND rater_groups.rater_id = f.rater_id;

	INSERT INTO rater_groups (round_id, group_id, relation, rater_id, pairs, submitted)
	SELECT round_id, NEW.department_id, relation, rater_id, sum(linked OR submitted), sum(submitted)
	FROM rater_pairs WHERE NEW.department_id IS NOT NULL AND subject_id = NEW.id GROUP BY round_id, relation, rater_id
	ON CONFLICT (round_id, group_id, relation, rater_id) DO UPDATE SET
		pairs = pairs + excluded.pairs, submitted = submitted + excluded.submitted;
END;

-- A rater's pairs go with their cascaded links and responses, whose
-- leaders' groups still stand.
CREATE TRIGGER people_delete_rater_pairs BEFORE DELETE ON people
BEGIN
	DELETE FROM rater_pairs WHERE subject_id = OLD.id;
END;

CREATE TRIGGER groups_delete_rater_counts AFTER DELETE ON groups
BEGIN
	-- Round by round, along the primary keys, rather than a scan.
	DELETE FROM rater_groups WHERE round_id IN (SELECT id FROM rounds) AND group_id = OLD.id;
	DELETE FROM rater_counts WHERE round_id IN (SELECT id FROM rounds) AND group_id = OLD.id;
END;

CREATE TRIGGER rounds_delete_rater_counts AFTER DELETE ON rounds
BEGIN
	DELETE FROM rater_counts WHERE round_id = OLD.id;
	DELETE FROM rater_groups WHERE round_id = OLD.id;
	DELETE FROM rater_pairs WHERE round_id = OLD.id;
END;

-- The pairs of the rounds already there; their triggers fill in the rest.
INSERT INTO rater_pairs (round_id, subject_id, rater_id, relation, linked, submitted)
SELECT round_id, subject_id, rater_id, min(relation), max(linked), max(submitted) FROM (
	SELECT round_id, subject_id, person_id AS rater_id, relation, 1 AS linked, 0 AS submitted
	FROM invitations WHERE relation <> 'self'
	UNION ALL SELECT round_id, subject_id, rater_id, relation, 0, 1
	FROM responses WHERE relation <> 'self' AND submitted_at IS NOT NULL
) WHERE true GROUP BY round_id, subject_id, rater_id;
