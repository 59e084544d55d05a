package survey

import (
	"errors"
	"fmt"
)

// Error codes. They say what went wrong in terms a handler can map to a
// status once, in one place (web), without knowing where the error came from.
const (
	ECONFLICT     = "conflict"     // the action conflicts with the current state
	EINTERNAL     = "internal"     // a fault of ours, never the user's
	EINVALID      = "invalid"      // the input fails validation
	ENOTFOUND     = "not_found"    // no such thing, or not for this caller
	EFORBIDDEN    = "forbidden"    // the caller may not do this
	EUNAUTHORIZED = "unauthorized" // the caller is not signed in
	ECLOSED       = "closed"       // the round no longer takes answers
)

// Error is the domain's one error type. Message is safe to show to a user
// of the command line and the logs, in English; anything else stays in the
// wrapped cause and in the logs. A page shows the catalogue's message
// under Key instead (web/locales, section [reason]), in the reader's
// language, so that no English text reaches a Danish page.
type Error struct {
	Code    string
	Message string
	Key     string // the message's key in the catalogues; "" for none
	Args    []any  // the values the catalogue's message names, in order
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("survey error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WithKey names the catalogue message that says e in the reader's
// language, with the values it names; it returns e, so it chains after
// Errorf.
func (e *Error) WithKey(key string, args ...any) *Error {
	e.Key, e.Args = key, args
	return e
}

// ErrorKey returns the catalogue key and its values of the first *Error
// in err's chain, or "" when it has none.
func ErrorKey(err error) (string, []any) {
	var e *Error
	if errors.As(err, &e) {
		return e.Key, e.Args
	}
	return "", nil
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of the first *Error in err's
// chain, or a generic message for any other error.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}
