package data

import (
	"context"
	"fmt"
)

// RoundView is what a leader may be shown of others in a round: others'
// radars on a team map, or group means on their own result (migration
// 0018). A leader is shown one of them in a round, never both.
type RoundView string

// The two views of others.
const (
	ViewRadars RoundView = "radars"
	ViewMeans  RoundView = "means"
)

// ClaimRoundView asks to show the person the given view of others in a
// round. The first view claimed in a round is kept, in one statement, so
// two pages asked at once cannot both win: it returns true when the view
// is the one kept, and false when the other was claimed before.
func (d *DB) ClaimRoundView(ctx context.Context, roundID, personID int64, view RoundView) (bool, error) {
	var kept string
	err := d.write.QueryRowContext(ctx, `INSERT INTO round_views (round_id, person_id, kind, at) VALUES (?, ?, ?, ?)
		ON CONFLICT (round_id, person_id) DO UPDATE SET kind = kind RETURNING kind`,
		roundID, personID, string(view), formatTime(d.now())).Scan(&kept)
	if err != nil {
		return false, fmt.Errorf("data: unable to claim the %s view of round %d: %w", view, roundID, err)
	}
	return RoundView(kept) == view, nil
}
