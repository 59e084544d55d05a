package main

import "lederradar/survey"

// retentionValue is the --retention flag: a period such as 36m (months),
// 3y, 90d, or 0 for off, as survey.ParseRetention reads it.
type retentionValue survey.Retention

// String implements flag.Value.
func (r *retentionValue) String() string { return survey.Retention(*r).String() }

// Set implements flag.Value.
func (r *retentionValue) Set(s string) error {
	v, err := survey.ParseRetention(s)
	if err != nil {
		return err
	}
	*r = retentionValue(v)
	return nil
}
