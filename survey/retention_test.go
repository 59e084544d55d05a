package survey_test

import (
	"testing"
	"time"

	"lederradar/survey"
)

func TestParseRetention(t *testing.T) {
	tests := []struct {
		in      string
		want    survey.Retention
		wantErr bool
	}{
		{in: "36m", want: survey.Retention{Months: 36}},
		{in: "36mo", want: survey.Retention{Months: 36}},
		{in: "36 months", want: survey.Retention{Months: 36}},
		{in: "36", want: survey.Retention{Months: 36}},
		{in: "3y", want: survey.Retention{Months: 36}},
		{in: "5år", want: survey.Retention{Months: 60}},
		{in: "90d", want: survey.Retention{Days: 90}},
		{in: "2w", want: survey.Retention{Days: 14}},
		{in: " 12M ", want: survey.Retention{Months: 12}},
		{in: "0", want: survey.Retention{}},
		{in: "0m", want: survey.Retention{}},
		{in: "", wantErr: true},
		{in: "m", wantErr: true},
		{in: "-3m", wantErr: true},
		{in: "36h", wantErr: true},
		{in: "1h30m", wantErr: true},
		{in: "36x", wantErr: true},
		{in: "3.5y", wantErr: true},
		{in: "99999999m", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := survey.ParseRetention(tt.in)
			if tt.wantErr {
				if survey.ErrorCode(err) != survey.EINVALID {
					t.Errorf("ParseRetention(%q) = %+v, %v; want EINVALID", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseRetention(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			}
			// String reads back.
			again, err := survey.ParseRetention(got.String())
			if err != nil || again != got {
				t.Errorf("ParseRetention(%q.String() = %q) = %+v, %v", tt.in, got.String(), again, err)
			}
		})
	}
}

func TestRetentionDates(t *testing.T) {
	closed := time.Date(2023, 3, 15, 12, 0, 0, 0, time.UTC)
	r := survey.Retention{Months: 36}
	if got, want := r.Expires(closed), time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Expires = %v, want %v", got, want)
	}
	now := time.Date(2026, 3, 16, 0, 0, 0, 0, time.UTC)
	if cut := r.Cutoff(now); !closed.Before(cut) {
		t.Errorf("a round closed %v is not due at %v (cutoff %v)", closed, now, cut)
	}
	if cut := r.Cutoff(now.AddDate(0, 0, -2)); closed.Before(cut) {
		t.Errorf("a round closed %v is due two days early (cutoff %v)", closed, cut)
	}
	off := survey.Retention{}
	if !off.Off() || !off.Cutoff(now).IsZero() || !off.Expires(closed).IsZero() {
		t.Errorf("retention off: Off %v, Cutoff %v, Expires %v", off.Off(), off.Cutoff(now), off.Expires(closed))
	}
}
