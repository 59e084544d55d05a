package auth

import "time"

// Log-in throttling slows whoever guesses passwords without locking the
// owner out (OWASP Authentication Cheat Sheet: a delay that grows with
// failed attempts rather than a lockout that anyone can trigger). Every
// attempt is counted as failed before its password is checked, per
// account (the e-mail typed, from every client) and per client (its
// address, from every account), over LoginFailureWindow. The first
// LoginFreeFailures cost nothing, for typing errors; after that an
// attempt waits LoginDelayBase, doubling with each further failure, up to
// LoginDelayCap, before its password is checked. The owner with the right
// password therefore always gets in, after LoginDelayCap at most, however
// many others guess; a guesser is held to LoginDelayCap per guess.
const (
	LoginFailureWindow = 15 * time.Minute
	LoginFreeFailures  = 3
	LoginDelayBase     = time.Second
	LoginDelayCap      = 10 * time.Second
)

// LoginDelay returns how long an attempt waits before its password is
// checked, given the failures recorded before it for its account and for
// its client: the larger of the two delays.
func LoginDelay(accountFailures, clientFailures int) time.Duration {
	return max(loginDelay(accountFailures), loginDelay(clientFailures))
}

func loginDelay(failures int) time.Duration {
	n := failures - LoginFreeFailures
	if n < 0 {
		return 0
	}
	if n >= 8 { // past the cap long before; keeps the shift small
		return LoginDelayCap
	}
	return min(LoginDelayCap, LoginDelayBase<<n)
}
