-- 0011_raters: 360 rounds (DESIGN C9). Never edit this file once
-- released; add a new numbered file instead.
--
-- A rater need not be a leader of the organisation: an e-mail address is
-- enough. Such a person is a row of people with rater_only set, so that
-- links, responses and erasure work for them as for anyone, while the
-- organisation's members, lists, counts and reports leave them out.
-- Importing them as a leader later clears the flag.
ALTER TABLE people ADD COLUMN rater_only INTEGER NOT NULL DEFAULT 0 CHECK (rater_only IN (0, 1));

-- The organisation's members in name order, as reports and lists walk
-- them, without the raters.
CREATE INDEX people_leaders_name ON people (name, id) WHERE rater_only = 0;

-- A round is self-only or 360; importing raters makes it 360.
-- manager_shown: the manager's answers may be shown to the leader alone
-- (raters are told so on their form). several_managers: a leader may have
-- more than one rater with the relation manager.
ALTER TABLE rounds ADD COLUMN kind TEXT NOT NULL DEFAULT 'self' CHECK (kind IN ('self', '360'));
ALTER TABLE rounds ADD COLUMN manager_shown INTEGER NOT NULL DEFAULT 0 CHECK (manager_shown IN (0, 1));
ALTER TABLE rounds ADD COLUMN several_managers INTEGER NOT NULL DEFAULT 0 CHECK (several_managers IN (0, 1));
