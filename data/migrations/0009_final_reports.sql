-- 0009_final_reports: a closed round's report is final (DESIGN.md C7).
-- Never edit this file once released; add a new numbered file instead.
--
-- A closed round's report is built once, with the anonymity threshold in
-- force when the round closed, and kept with the round; nothing changes
-- it again: not an edit of the organisation, not a server started with
-- another --min-group, not an erasure. Were it built again after any of
-- these, the report before and the report after would differ by exactly
-- what changed — one erased person's scores, or a team shown at one
-- threshold and hidden at the other — and HR could subtract one from the
-- other. The report holds counts and profiles after the anonymity rule,
-- no person ids: it is anonymous statistics (GDPR recital 26) and stays
-- when a person is erased. Retention deletes it with its round.
--
-- min_group is the threshold the round's report is built with: set at the
-- close (data.CloseRound), or, for a round closed before this migration,
-- when its report is first kept after it (the server's threshold then).

ALTER TABLE rounds ADD COLUMN min_group INTEGER NULL;

-- What 0008 kept reports fresh with, now that nothing may change them.
DROP TRIGGER rounds_change_drops_report;
DROP TRIGGER rounds_delete_drops_report;
DROP TRIGGER people_delete_drops_report;
DROP TRIGGER round_groups_delete_drops_report;
DROP TRIGGER round_members_delete_drops_report;
DROP TRIGGER invitations_insert_drops_report;
DROP TRIGGER invitations_delete_drops_report;
DROP TRIGGER responses_insert_drops_report;
DROP TRIGGER responses_update_drops_report;
DROP TRIGGER responses_delete_drops_report;
DROP TRIGGER answer_tallies_insert_drops_report;
DROP TRIGGER answer_tallies_update_drops_report;
DROP TRIGGER answer_tallies_delete_drops_report;
DROP TABLE report_epoch;
