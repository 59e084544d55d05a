package auth

import (
	_ "embed"
	"strings"
	"sync"
)

// commonPasswordList is passwords/common.txt: every password of 12 bytes
// or more among the million most common (SecLists), one a line; see
// passwords/README.md for its source and licence.
//
//go:embed passwords/common.txt
var commonPasswordList string

// commonPasswords is the list as a set of lower-case passwords, built on
// first use: only setting a password needs it, never a log-in.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, strings.Count(commonPasswordList, "\n"))
	for line := range strings.Lines(commonPasswordList) {
		if p := strings.TrimRight(line, "\r\n"); p != "" {
			set[strings.ToLower(p)] = struct{}{}
		}
	}
	return set
})

// IsCommonPassword reports whether p, in any mix of upper and lower case,
// is on the list of common passwords: attackers try those first.
func IsCommonPassword(p string) bool {
	_, ok := commonPasswords()[strings.ToLower(p)]
	return ok
}
