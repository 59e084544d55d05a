package data

import "lederradar/survey"

// RawWriteDSN is the write connection's data source name for path: the
// same durability settings, for the raw-ceiling benchmark.
func RawWriteDSN(path string) string { return dsn(path, writeParams) }

// AppendTally is appendTally, for the raw-ceiling benchmark, which writes
// tallies as the store does.
func AppendTally(b []byte, t survey.Tally) []byte { return appendTally(b, t) }
