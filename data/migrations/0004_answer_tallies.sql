-- 0004_answer_tallies: per response, the counts of its answers per
-- competence and value (survey.Tally, encoded), so that a round's profiles
-- are built from a few bytes per respondent rather than from every answer.
-- Never edit this file once released; add a new numbered file instead.
--
-- A tally is derived data: any change to a response's answers, by whatever
-- code path, deletes the response's tally (the triggers below); code that
-- changes answers writes a fresh one in the same transaction, and a reader
-- that finds a submitted response without one counts its answers instead.
-- So a tally can be missing, never stale. Databases from before this
-- migration start with none.

CREATE TABLE answer_tallies (
	response_id INTEGER PRIMARY KEY REFERENCES responses (id) ON DELETE CASCADE,
	tally       BLOB NOT NULL
);

CREATE TRIGGER answers_insert_drops_tally AFTER INSERT ON answers
BEGIN
	DELETE FROM answer_tallies WHERE response_id = NEW.response_id;
END;

CREATE TRIGGER answers_update_drops_tally AFTER UPDATE ON answers
BEGIN
	DELETE FROM answer_tallies WHERE response_id IN (OLD.response_id, NEW.response_id);
END;

CREATE TRIGGER answers_delete_drops_tally AFTER DELETE ON answers
BEGIN
	DELETE FROM answer_tallies WHERE response_id = OLD.response_id;
END;
