package web

import "lederradar/data"

// The leader's development plans and shares in their data download
// (GDPR art. 15 and 20): every plan with its focuses, every share with
// its recipient and times — never a share's token, which is not kept.

type myDataPlan struct {
	RoundID   int64         `json:"round_id"`
	RevisitOn *string       `json:"revisit_on"`
	UpdatedAt string        `json:"updated_at"`
	Focuses   []myDataFocus `json:"focuses"`
}

type myDataFocus struct {
	CompetenceID string `json:"competence_id"`
	Actions      string `json:"actions"`
	Involve      string `json:"involve"`
}

type myDataShare struct {
	ID           int64   `json:"id"`
	RoundID      int64   `json:"round_id"`
	Recipient    string  `json:"recipient"`
	CreatedAt    string  `json:"created_at"`
	ExpiresAt    string  `json:"expires_at"`
	RevokedAt    *string `json:"revoked_at"`
	LastOpenedAt *string `json:"last_opened_at"`
}

// withPlans adds the person's plans and shares to their download f.
func withPlans(f *myDataFile, pd *data.PersonData) *myDataFile {
	f.DevelopmentPlans, f.Shares = []myDataPlan{}, []myDataShare{}
	for _, p := range pd.Plans {
		mp := myDataPlan{RoundID: p.RoundID, UpdatedAt: *jsonTime(p.UpdatedAt), RevisitOn: jsonDate(p.RevisitOn), Focuses: []myDataFocus{}}
		for _, fo := range p.Focuses {
			mp.Focuses = append(mp.Focuses, myDataFocus{CompetenceID: fo.CompetenceID, Actions: fo.Actions, Involve: fo.Involve})
		}
		f.DevelopmentPlans = append(f.DevelopmentPlans, mp)
	}
	for _, s := range pd.Shares {
		f.Shares = append(f.Shares, myDataShare{ID: s.ID, RoundID: s.RoundID, Recipient: s.Recipient,
			CreatedAt: *jsonTime(s.CreatedAt), ExpiresAt: *jsonTime(s.ExpiresAt), RevokedAt: jsonTime(s.RevokedAt), LastOpenedAt: jsonTime(s.LastOpenedAt)})
	}
	return f
}
