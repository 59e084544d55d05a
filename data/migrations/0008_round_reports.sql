-- 0008_round_reports: a closed round's report, kept once built, so that a
-- start of the server reads it rather than building it again from every
-- membership, progress flag and tally (about half a second at 100,000
-- people). Never edit this file once released; add a new numbered file
-- instead.
--
-- The body is the report as web builds it (groups, counts and profiles
-- after the anonymity rule), in web's encoding: format names the encoding
-- and min_group the anonymity threshold it was built with, and a reader
-- that wants another builds the report again.
--
-- A kept report is derived data and must never outlive what it was built
-- from — above all an erased person's answers. Since 0007 a closed round's
-- inputs change only by deletion (an erasure, retention), but the triggers
-- below take any change to them: they delete the round's kept report and
-- count report_epoch up, in the same transaction as the change. A report
-- is stored only while report_epoch is what it was in the snapshot it was
-- built from (data.StoreRoundReport), so a build that raced a change is
-- never kept. Inserts into round_groups and round_members come only from
-- the close itself, which the rounds trigger covers. Answers change a
-- closed round's report only through answer_tallies (0004's triggers):
-- a report whose build counted a submitted response without a tally (a
-- database from before 0004) is never kept (data.ReportInputs.Epoch), so
-- the answers table, which every save writes, needs no trigger here.

-- The body is kept in parts of at most 256 KiB, in order (data.reportPart):
-- a large organisation's is megabytes, and SQLite copies a blob whole
-- into memory of its own, outside Go's collector, to write or read it.
CREATE TABLE round_reports (
	round_id  INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
	part      INTEGER NOT NULL,
	min_group INTEGER NOT NULL,
	format    INTEGER NOT NULL,
	body      BLOB NOT NULL,
	PRIMARY KEY (round_id, part)
) WITHOUT ROWID;

CREATE TABLE report_epoch (n INTEGER NOT NULL);
INSERT INTO report_epoch (n) VALUES (0);

CREATE TRIGGER rounds_change_drops_report AFTER UPDATE OF status, last_person_id, instrument_version ON rounds
WHEN OLD.status = 'closed' OR NEW.status = 'closed'
BEGIN
	UPDATE report_epoch SET n = n + 1;
	DELETE FROM round_reports WHERE round_id IN (OLD.id, NEW.id);
END;

CREATE TRIGGER rounds_delete_drops_report AFTER DELETE ON rounds
WHEN OLD.status = 'closed'
BEGIN
	UPDATE report_epoch SET n = n + 1;
	DELETE FROM round_reports WHERE round_id = OLD.id;
END;

-- A person who was there when a round closed is in its organisation.
CREATE TRIGGER people_delete_drops_report AFTER DELETE ON people
WHEN EXISTS (SELECT 1 FROM rounds WHERE status = 'closed' AND last_person_id >= OLD.id)
BEGIN
	UPDATE report_epoch SET n = n + 1;
	DELETE FROM round_reports WHERE round_id IN (
		SELECT id FROM rounds WHERE status = 'closed' AND last_person_id >= OLD.id);
END;

-- Rows deleted with their round (retention) see the round gone already:
-- rounds_delete_drops_report has counted, and so have the people's and
-- the responses' triggers of an erasure.
CREATE TRIGGER round_groups_delete_drops_report AFTER DELETE ON round_groups
WHEN EXISTS (SELECT 1 FROM rounds WHERE id = OLD.round_id)
BEGIN
	UPDATE report_epoch SET n = n + 1;
	DELETE FROM round_reports WHERE round_id = OLD.round_id;
END;

CREATE TRIGGER round_members_delete_drops_report AFTER DELETE ON round_members
WHEN EXISTS (SELECT 1 FROM rounds WHERE id = OLD.round_id)
BEGIN
	UPDATE report_epoch SET n = n + 1;
	DELETE FROM round_reports WHERE round_id = OLD.round_id;
END;

CREATE TRIGGER invitations_insert_drops_report AFTER INSERT ON invitations
WHEN (SELECT status FROM rounds WHERE id = NEW.round_id) = 'closed'
BEGIN
	UPDATE report_epoch SET n = n + 1;
	DELETE FROM round_reports WHERE round_id = NEW.round_id;
END;

CREATE TRIGGER invitations_delete_drops_report AFTER DELETE ON invitations
WHEN (SELECT status FROM rounds WHERE id = OLD.round_id) = 'closed'
BEGIN
	UPDATE report_epoch SET n = n + 1;
	DELETE FROM round_reports WHERE round_id = OLD.round_id;
END;

CREATE TRIGGER responses_insert_drops_report AFTER INSERT ON responses
WHEN (SELECT status FROM rounds WHERE id = NEW.round_id) = 'closed'
BEGIN
	UPDATE report_epoch SET n = n + 1;
	DELETE FROM round_reports WHERE round_id = NEW.round_id;
END;

CREATE TRIGGER responses_update_drops_report AFTER UPDATE OF submitted_at, relation ON responses
WHEN (SELECT status FROM rounds WHERE id = NEW.round_id) = 'closed'
BEGIN
	UPDATE report_epoch SET n = n + 1;
	DELETE FROM round_reports WHERE round_id = NEW.round_id;
END;

CREATE TRIGGER responses_delete_drops_report AFTER DELETE ON responses
WHEN (SELECT status FROM rounds WHERE id = OLD.round_id) = 'closed'
BEGIN
	UPDATE report_epoch SET n = n + 1;
	DELETE FROM round_reports WHERE round_id = OLD.round_id;
END;

CREATE TRIGGER answer_tallies_insert_drops_report AFTER INSERT ON answer_tallies
WHEN (SELECT r.status FROM responses s JOIN rounds r ON r.id = s.round_id WHERE s.id = NEW.response_id) = 'closed'
BEGIN
	UPDATE report_epoch SET n = n + 1;
	DELETE FROM round_reports WHERE round_id = (SELECT round_id FROM responses WHERE id = NEW.response_id);
END;

CREATE TRIGGER answer_tallies_update_drops_report AFTER UPDATE ON answer_tallies
WHEN (SELECT r.status FROM responses s JOIN rounds r ON r.id = s.round_id WHERE s.id = NEW.response_id) = 'closed'
BEGIN
	UPDATE report_epoch SET n = n + 1;
	DELETE FROM round_reports WHERE round_id = (SELECT round_id FROM responses WHERE id = NEW.response_id);
END;

-- A response's deletion deletes its tally by cascade, after the response
-- is gone: then responses_delete_drops_report has already counted.
CREATE TRIGGER answer_tallies_delete_drops_report AFTER DELETE ON answer_tallies
WHEN (SELECT r.status FROM responses s JOIN rounds r ON r.id = s.round_id WHERE s.id = OLD.response_id) = 'closed'
BEGIN
	UPDATE report_epoch SET n = n + 1;
	DELETE FROM round_reports WHERE round_id = (SELECT round_id FROM responses WHERE id = OLD.response_id);
END;
