-- 0009: reserved for the branch that was given this number while this
-- one was written (migrations are numbered without gaps). Delete this file
-- when that branch's 0009 is merged; it changes nothing.
SELECT 1;
