// Package auth holds what proves who someone is: the personal links' and
// sessions' tokens (only their SHA-256 is stored), the staff's passwords
// (the rules a new one must meet, the list of common ones it may not be,
// argon2id hashes) and the log-in throttle that slows guessing. None of it
// is a rule of the assessment itself, so it lives beside the domain
// (survey), not in it.
package auth
