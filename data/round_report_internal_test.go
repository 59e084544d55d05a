package data

import "testing"

func TestCountProgress(t *testing.T) {
	t.Parallel()
	progress := map[int64]uint8{
		1: Invited,
		2: Invited | Started,
		3: Invited | Started | Submitted,
		4: Started | Submitted, // answers imported without a link
		5: 0,
	}
	tests := []struct {
		name    string
		members []int64
		want    RoundCounts
	}{
		{"nobody", nil, RoundCounts{}},
		{"one with a link only", []int64{1}, RoundCounts{Invited: 1}},
		{"everyone", []int64{1, 2, 3, 4, 5}, RoundCounts{Invited: 3, Started: 3, Submitted: 2}},
		{"without a link", []int64{4}, RoundCounts{Started: 1, Submitted: 1}},
		{"someone with no progress, and one unknown", []int64{5, 99}, RoundCounts{}},
	}
	for _, tt := range tests {
		if got := countProgress(tt.members, progress); got != tt.want {
			t.Errorf("%s: countProgress = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}
