package scoring

// ResponseCountsShown reports whether a group's response counts (how
// many were invited, started, submitted; the response rate) may be
// shown: only when at least minGroup people are counted, the invited or,
// where answers were imported without links, those who submitted. With
// fewer, a count can tell whether one known person answered: a
// one-person group's "1 of 1" says that she did.
func ResponseCountsShown(invited, submitted, minGroup int) bool {
	return max(invited, submitted) >= minGroup
}
