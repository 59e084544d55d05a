-- 0005_people_id_floor: a person's id is never given to another person.
-- The audit log names people by id ("person:17", "leader:17"), and an
-- erased person's entries stay; without AUTOINCREMENT SQLite gives the next
-- person max(id) + 1, so erasing the newest person would hand their id, and
-- their audit trail, to the next one. People are created with an explicit
-- id above this floor (data.insertPersonSQL); deleting a person raises it.
-- Never edit this file once released; add a new numbered file instead.

CREATE TABLE people_id_floor (id INTEGER NOT NULL);

-- People erased before this migration are gone, but the audit log still
-- names them: the floor starts above every id it names.
INSERT INTO people_id_floor (id)
SELECT max(
	coalesce((SELECT max(id) FROM people), 0),
	coalesce((SELECT max(CAST(substr(target, 8) AS INTEGER)) FROM audit_log WHERE target LIKE 'person:%'), 0),
	coalesce((SELECT max(CAST(substr(actor, 8) AS INTEGER)) FROM audit_log WHERE actor LIKE 'leader:%'), 0));

CREATE TRIGGER people_id_floor_on_delete AFTER DELETE ON people
WHEN OLD.id > (SELECT id FROM people_id_floor)
BEGIN
	UPDATE people_id_floor SET id = OLD.id;
END;
