package scoring_test

import (
	"testing"

	"lederradar/scoring"
	"lederradar/survey"
)

func TestMayOverlay(t *testing.T) {
	org := &scoring.GroupProfile{Key: "organisation", Kind: survey.Organisation}
	dept := &scoring.GroupProfile{Key: "department-3", Kind: survey.Department, ID: 3}
	team := &scoring.GroupProfile{Key: "team-5", Kind: survey.Team, ID: 5}
	hidden := &scoring.GroupProfile{Key: "team-6", Kind: survey.Team, ID: 6, Suppressed: true}
	hiddenOrg := &scoring.GroupProfile{Key: "organisation", Kind: survey.Organisation, Suppressed: true}
	tests := []struct {
		name string
		g    *scoring.GroupProfile
		kept []int64
		want bool
	}{
		{"the organisation, in no group", org, nil, true},
		{"the organisation hidden", hiddenOrg, []int64{3}, false},
		{"their department", dept, []int64{3, 5}, true},
		{"their team", team, []int64{3, 5}, true},
		{"a department they were not in", dept, []int64{5}, false},
		{"a team they were not in", team, []int64{3}, false},
		{"their team, hidden", hidden, []int64{3, 6}, false},
		{"no profile", nil, []int64{3}, false},
	}
	for _, tt := range tests {
		if got := scoring.MayOverlay(tt.g, tt.kept); got != tt.want {
			t.Errorf("%s: MayOverlay = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestChooseOverlay(t *testing.T) {
	org := &scoring.GroupProfile{Key: "organisation", Kind: survey.Organisation}
	dept := &scoring.GroupProfile{Key: "department-3", Kind: survey.Department, ID: 3}
	team := &scoring.GroupProfile{Key: "team-5", Kind: survey.Team, ID: 5}
	tests := []struct {
		name   string
		groups []*scoring.GroupProfile
		chosen string
		want   int
	}{
		{"nothing to overlay", nil, "organisation", -1},
		{"by default the department", []*scoring.GroupProfile{org, dept, team}, "", 1},
		{"by default the organisation, without a department shown", []*scoring.GroupProfile{org, team}, "", 0},
		{"the organisation alone", []*scoring.GroupProfile{org}, "", 0},
		{"the team chosen", []*scoring.GroupProfile{org, dept, team}, "team-5", 2},
		{"the organisation chosen", []*scoring.GroupProfile{org, dept, team}, "organisation", 0},
		{"a group not offered chosen: the default", []*scoring.GroupProfile{org, dept}, "team-5", 1},
		{"a made-up key: the default", []*scoring.GroupProfile{org, dept, team}, "department-99", 1},
	}
	for _, tt := range tests {
		if got := scoring.ChooseOverlay(tt.groups, tt.chosen); got != tt.want {
			t.Errorf("%s: ChooseOverlay = %d, want %d", tt.name, got, tt.want)
		}
	}
}
