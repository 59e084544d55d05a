-- 0012_feedback: when raters stop answering, and the feedback a leader
-- has seen kept final. Never edit this file once released; add a new
-- numbered file instead.
--
-- raters_close: raters of a 360 round answer until then (NULL: until the
-- round closes). From then on the leader may see how others see them
-- while the round is still open for their own work: no rater's answer can
-- change what they see any more.
ALTER TABLE rounds ADD COLUMN raters_close TEXT NULL;

-- What a leader's raters said about them, as the leader was first shown
-- it: aggregates only (means and counts under the anonymity rule, as
-- JSON), never an answer. Kept so that what the leader sees never
-- changes — not when a rater is erased, not when the threshold changes —
-- and no before/after pair exists to subtract. It goes with the leader
-- (their erasure) and with the round (retention).
CREATE TABLE kept_feedback (
	round_id   INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
	subject_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
	body       TEXT NOT NULL,
	PRIMARY KEY (round_id, subject_id)
) WITHOUT ROWID;
CREATE INDEX kept_feedback_subject ON kept_feedback (subject_id);
