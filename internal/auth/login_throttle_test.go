package auth_test

import (
	"testing"
	"time"

	"lederradar/internal/auth"
)

// TestLoginDelay: free attempts for typing errors, then 1, 2, 4, 8 s and
// never more than the cap, for the account or the client, whichever has
// failed more.
func TestLoginDelay(t *testing.T) {
	for _, tt := range []struct {
		account, client int
		want            time.Duration
	}{
		{0, 0, 0},
		{2, 2, 0},
		{3, 0, time.Second},
		{0, 3, time.Second},
		{4, 0, 2 * time.Second},
		{5, 1, 4 * time.Second},
		{1, 6, 8 * time.Second},
		{7, 0, 10 * time.Second},
		{1000, 0, 10 * time.Second},
		{0, 1 << 30, 10 * time.Second},
		{-1, 0, 0},
	} {
		if got := auth.LoginDelay(tt.account, tt.client); got != tt.want {
			t.Errorf("LoginDelay(%d, %d) = %v, want %v", tt.account, tt.client, got, tt.want)
		}
	}
}
