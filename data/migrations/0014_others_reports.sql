-- 0014_others_reports: HR's view of a closed 360 round's raters (DESIGN
-- C9): per group, how its leaders' raters see them, after the anonymity
-- rule (scoring.OthersProfiles). Never edit this file once released; add
-- a new numbered file instead.
--
-- Final like the round's report (0009): built once, at the close or at
-- the first view of a round closed without it, with the round's own
-- threshold, and never again — not after an erasure of a rater, whose
-- before and after would differ by their answers. It holds counts and
-- means, no person ids. Retention deletes it with its round.
CREATE TABLE round_others_reports (
	round_id  INTEGER PRIMARY KEY REFERENCES rounds (id) ON DELETE CASCADE,
	min_group INTEGER NOT NULL,
	body      BLOB NOT NULL
);
