-- 0013_nominations: leaders nominate their own raters in a 360 round
-- (DESIGN C9), and raters' links wait for the administrator's download.
-- Never edit this file once released; add a new numbered file instead.

-- How many raters of each relation a leader may nominate in the round;
-- 0: none of that relation (the default: only the administrator adds
-- raters).
ALTER TABLE rounds ADD COLUMN nominate_manager INTEGER NOT NULL DEFAULT 0 CHECK (nominate_manager BETWEEN 0 AND 20);
ALTER TABLE rounds ADD COLUMN nominate_peer INTEGER NOT NULL DEFAULT 0 CHECK (nominate_peer BETWEEN 0 AND 20);
ALTER TABLE rounds ADD COLUMN nominate_employee INTEGER NOT NULL DEFAULT 0 CHECK (nominate_employee BETWEEN 0 AND 20);

-- nominated: the leader being rated added this rater; they see these,
-- and only these, on their nominations page.
-- link_pending: the rater's link has not left the system yet. A link
-- exists only when made (the table keeps its hash), so a rater added by a
-- nomination or the round page's upload gets theirs when the
-- administrator downloads the round's rater links, which makes new tokens
-- for the pending ones and clears the flag. A nomination can be removed
-- only while its link is pending: its rater cannot have answered.
ALTER TABLE invitations ADD COLUMN nominated INTEGER NOT NULL DEFAULT 0 CHECK (nominated IN (0, 1));
ALTER TABLE invitations ADD COLUMN link_pending INTEGER NOT NULL DEFAULT 0 CHECK (link_pending IN (0, 1));
CREATE INDEX invitations_link_pending ON invitations (round_id) WHERE link_pending = 1;
CREATE INDEX invitations_nominated ON invitations (round_id, subject_id) WHERE nominated = 1;
