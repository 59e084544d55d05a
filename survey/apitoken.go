package survey

import "time"

// APIToken is a bearer token for the read-only API. Only its hash is
// stored; the token is shown once, when it is made.
type APIToken struct {
	ID        int64
	Role      Role
	Name      string
	CreatedAt time.Time
	RevokedAt time.Time
}
