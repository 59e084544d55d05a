package web

import (
	"lederradar/data"
)

// The leader's consents to share their radar with a team (DESIGN C14)
// in their own data download: which team, which round, since when.

type myDataTeamMap struct {
	RoundID     int64  `json:"round_id"`
	RoundName   string `json:"round_name"`
	TeamID      int64  `json:"team_id"`
	TeamName    string `json:"team_name"`
	SharedSince string `json:"shared_since"`
}

// myDataWithTeamMaps is the download with the consents after the rest.
type myDataWithTeamMaps struct {
	*myDataFile
	// TeamMaps are the teams the leader shares their radar with, per
	// round; withdrawn consents are gone.
	TeamMaps []myDataTeamMap `json:"team_maps"`
}

// withTeamMaps adds the person's consents to their download f.
func withTeamMaps(f *myDataFile, pd *data.PersonData) myDataWithTeamMaps {
	out := myDataWithTeamMaps{myDataFile: f, TeamMaps: []myDataTeamMap{}}
	for _, tc := range pd.TeamMapConsents {
		out.TeamMaps = append(out.TeamMaps, myDataTeamMap{RoundID: tc.RoundID, RoundName: tc.RoundName,
			TeamID: tc.TeamID, TeamName: tc.TeamName, SharedSince: *jsonTime(tc.GivenAt)})
	}
	return out
}
