package scoring_test

import (
	"reflect"
	"testing"

	"lederradar/scoring"
	"lederradar/survey"
)

func TestGroupKey(t *testing.T) {
	tests := []struct {
		kind survey.GroupKind
		id   int64
		want string
	}{
		{survey.Organisation, 0, "organisation"},
		{survey.Organisation, 7, "organisation"}, // the organisation has no id of its own
		{survey.Department, 3, "department-3"},
		{survey.Team, 12, "team-12"},
	}
	for _, tt := range tests {
		if got := scoring.GroupKey(tt.kind, tt.id); got != tt.want {
			t.Errorf("GroupKey(%s, %d) = %q, want %q", tt.kind, tt.id, got, tt.want)
		}
	}
}

func TestReportGroups(t *testing.T) {
	dept := func(id int64, name string) survey.Group {
		return survey.Group{ID: id, Kind: survey.Department, Name: name}
	}
	team := func(id int64, name string) survey.Group { return survey.Group{ID: id, Kind: survey.Team, Name: name} }
	tests := []struct {
		name     string
		everyone []int64
		groups   []survey.Group
		members  map[int64][]int64
		want     []string // keys, in order
	}{
		{"no groups: the organisation alone", []int64{1, 2}, nil, nil, []string{"organisation"}},
		{
			"departments before teams, each by name",
			[]int64{1, 2, 3},
			[]survey.Group{team(1, "Alfa"), dept(2, "Vej"), team(3, "Beta"), dept(4, "Børn")},
			map[int64][]int64{1: {1}, 2: {2}, 3: {3}, 4: {1, 2}},
			[]string{"organisation", "department-4", "department-2", "team-1", "team-3"},
		},
		{
			// Byte order: upper case before lower, "Ø" (two bytes) after "z".
			"names in byte order",
			nil,
			[]survey.Group{dept(1, "ørsted"), dept(2, "alfa"), dept(3, "Zulu"), dept(4, "Alfa")},
			nil,
			[]string{"organisation", "department-4", "department-3", "department-2", "department-1"},
		},
		{
			"ties by id",
			nil,
			[]survey.Group{team(9, "T"), team(5, "T"), dept(7, "T")},
			nil,
			[]string{"organisation", "department-7", "team-5", "team-9"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := append([]survey.Group(nil), tt.groups...)
			got := scoring.ReportGroups(tt.everyone, tt.groups, tt.members)
			var keys []string
			for _, s := range got {
				keys = append(keys, s.Key)
			}
			if !reflect.DeepEqual(keys, tt.want) {
				t.Errorf("order %v, want %v", keys, tt.want)
			}
			if !reflect.DeepEqual(tt.groups, before) {
				t.Errorf("the groups given were reordered: %v", tt.groups)
			}
			if org := got[0]; org.Kind != survey.Organisation || org.ID != 0 || org.Name != "" || !reflect.DeepEqual(org.Members, tt.everyone) {
				t.Errorf("the organisation is %+v, want everyone", org)
			}
			for _, s := range got[1:] {
				var g survey.Group
				for _, c := range tt.groups {
					if c.ID == s.ID {
						g = c
					}
				}
				if s.Kind != g.Kind || s.Name != g.Name || !reflect.DeepEqual(s.Members, tt.members[g.ID]) {
					t.Errorf("%s = %+v, want %+v with members %v", s.Key, s, g, tt.members[g.ID])
				}
			}
		})
	}
}
