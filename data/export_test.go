package data

import (
	"context"

	"lederradar/survey"
)

// RawWriteDSN is the write connection's data source name for path: the
// same durability settings, for the raw-ceiling benchmark.
func RawWriteDSN(path string) string { return dsn(path, writeParams) }

// AppendTally is appendTally, for the raw-ceiling benchmark, which writes
// tallies as the store does.
func AppendTally(b []byte, t survey.Tally) []byte { return appendTally(b, t) }

// BuildRoundReport is buildReport: a round's report from the database as
// it is now, neither kept nor held, the reference a kept one is compared
// with.
func (d *DB) BuildRoundReport(ctx context.Context, round *survey.Round, minGroup int) (*RoundReport, error) {
	return d.buildReport(ctx, round, minGroup)
}

// EncodeReport and DecodeReport are the kept report's codec.
func EncodeReport(r *RoundReport) []byte { return encodeReport(r) }

// DecodeReport reads what EncodeReport wrote.
func DecodeReport(b []byte, round *survey.Round, in *survey.Instrument) (*RoundReport, error) {
	return decodeReport(b, reportFormat, round, in)
}

// DecodeReportFormat reads a report kept in the given format.
func DecodeReportFormat(b []byte, format int, round *survey.Round, in *survey.Instrument) (*RoundReport, error) {
	return decodeReport(b, format, round, in)
}

// ReportFormat is the format a report is kept in; OldestReadFormat the
// oldest one read as kept, not built again.
const (
	ReportFormat     = reportFormat
	OldestReadFormat = oldestReadFormat
)

// HeldReport returns the report of round id held in memory, or nil.
func (d *DB) HeldReport(id int64) *RoundReport {
	d.reports.mu.Lock()
	defer d.reports.mu.Unlock()
	return d.reports.done[id]
}

// ForgetReports drops the reports held in memory, as a restart does.
func (d *DB) ForgetReports() {
	d.reports.mu.Lock()
	d.reports.done = nil
	d.reports.mu.Unlock()
}

// CountRows runs a count query on the read connection, for tests that
// check what a change left behind.
func (d *DB) CountRows(ctx context.Context, query string, args ...any) (int, error) {
	var n int
	err := d.read.QueryRowContext(ctx, query, args...).Scan(&n)
	return n, err
}
