-- 0016_others_groups: the raters' report of a closed 360 round (0014) one
-- row per group, so that a view reads the groups it shows rather than
-- the whole report: at 100,000 leaders the whole is 16 MB of JSON, and
-- held decoded it took 24 MB of the server's memory. Never edit this file
-- once released; add a new numbered file instead.
--
-- round_others_reports keeps a round's threshold and marks the report as
-- kept; its body is left empty. body here is one scoring.GroupProfile as
-- JSON; seq is the group's place in the round's report.
CREATE TABLE round_others_groups (
	round_id INTEGER NOT NULL REFERENCES round_others_reports (round_id) ON DELETE CASCADE,
	key      TEXT NOT NULL,
	seq      INTEGER NOT NULL,
	body     BLOB NOT NULL,
	PRIMARY KEY (round_id, key)
) WITHOUT ROWID;
CREATE UNIQUE INDEX round_others_groups_order ON round_others_groups (round_id, seq);

INSERT INTO round_others_groups (round_id, key, seq, body)
SELECT r.round_id, json_extract(g.value, '$.Key'), g.key, g.value
FROM round_others_reports r, json_each(r.body) g
WHERE true;

UPDATE round_others_reports SET body = X'';
