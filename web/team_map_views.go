package web

import (
	"context"

	"lederradar/data"
)

// claimRadars lets the map show others' radars to the leader only if the
// round's group means have not been shown to them (data.ClaimRoundView):
// a team's mean less the radars its members share would be the scores of
// those who do not. Refused, the map keeps the leader's own radar and the
// counts, and says why.
func (s *Server) claimRadars(ctx context.Context, l *leader, m *data.TeamMap, v *teamMapView) error {
	viewer := l.Invitation.SubjectID
	var own []data.SharedRadar
	for _, r := range m.Shared {
		if r.PersonID == viewer {
			own = append(own, r)
		}
	}
	if len(own) == len(m.Shared) {
		return nil
	}
	ok, err := s.db.ClaimRoundView(ctx, l.Round.ID, viewer, data.ViewRadars)
	if err != nil || ok {
		return err
	}
	v.MeansSeen = v.T.T("teammap.means_seen")
	m.Shared = own
	return nil
}
