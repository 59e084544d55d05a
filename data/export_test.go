package data

// RawWriteDSN is the write connection's data source name for path: the
// same durability settings, for the raw-ceiling benchmark.
func RawWriteDSN(path string) string { return dsn(path, writeParams) }
