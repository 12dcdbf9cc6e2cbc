// Package errs gives errors a kind, so that one function at the HTTP edge
// (web.WriteError) can map them to a status and a message a person can act on.
package errs

import (
	"errors"
	"fmt"
)

// Kind classifies an error by what the caller can do about it.
type Kind int

// The error kinds. The zero Kind means "unclassified": an internal failure.
const (
	Invalid         Kind = iota + 1 // the input is wrong; Field/Msg say what to fix
	NotFound                        // the named thing does not exist
	Forbidden                       // authenticated, but not allowed
	Unauthenticated                 // no or bad credentials
	Conflict                        // state conflict (duplicate, already done, stale)
	Unavailable                     // a dependency is down; retry later
	TooMany                         // rate limited or locked out for now
)

// String returns the kind's name as used in JSON error bodies.
func (k Kind) String() string {
	switch k {
	case Invalid:
		return "invalid"
	case NotFound:
		return "not_found"
	case Forbidden:
		return "forbidden"
	case Unauthenticated:
		return "unauthenticated"
	case Conflict:
		return "conflict"
	case Unavailable:
		return "unavailable"
	case TooMany:
		return "too_many_requests"
	default:
		return "internal"
	}
}

// Error is an error with a kind. Field names the offending input field (if
// any) and Msg tells the caller how to fix it. Err is an optional cause that
// is never shown to callers of the HTTP API.
type Error struct {
	Kind  Kind
	Field string
	Msg   string
	Err   error
}

// Error implements error.
func (e *Error) Error() string {
	s := e.Msg
	if e.Field != "" {
		s = e.Field + ": " + s
	}
	if e.Err != nil {
		if s == "" {
			return e.Err.Error()
		}
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// E returns an error of the given kind whose message is fmt.Sprintf(msg, args...).
// If the last argument is an error and msg has no verb for it, it becomes the
// cause (Err) rather than part of the message.
//
// With no args, msg is used literally (so "50% done" stays as written).
func E(kind Kind, msg string, args ...any) error {
	var cause error
	if n := len(args); n > 0 {
		if err, ok := args[n-1].(error); ok && countVerbs(msg) < n {
			cause = err
			args = args[:n-1]
		}
		msg = fmt.Sprintf(msg, args...)
	}
	return &Error{Kind: kind, Msg: msg, Err: cause}
}

// Field returns an Invalid error naming the offending field.
func Field(field, msg string, args ...any) error {
	if len(args) > 0 {
		msg = fmt.Sprintf(msg, args...)
	}
	return &Error{Kind: Invalid, Field: field, Msg: msg}
}

// Wrap returns an error of the given kind with msg as the message shown to
// callers and err as the (logged, not shown) cause.
func Wrap(kind Kind, err error, msg string) error {
	return &Error{Kind: kind, Msg: msg, Err: err}
}

// KindOf returns the kind of the first *Error in err's chain, or 0 for plain
// errors (which the HTTP layer reports as 500 with a generic message).
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}

// Is reports whether err has the given kind.
func Is(err error, kind Kind) bool { return err != nil && KindOf(err) == kind }

// countVerbs counts formatting verbs in a format string ("%%" excluded).
func countVerbs(format string) int {
	n := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		if i+1 < len(format) && format[i+1] == '%' {
			i++
			continue
		}
		n++
	}
	return n
}
